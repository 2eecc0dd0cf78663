package dev.socketconnector.reliability;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.LogRecord;

import dev.socketconnector.Await;
import dev.socketconnector.PkiFixture;
import dev.socketconnector.ReadyState;
import dev.socketconnector.RecordingSocketHandler;
import dev.socketconnector.Socket;
import dev.socketconnector.SocketConnector;
import dev.socketconnector.TcpSocketConnectOptions;
import dev.socketconnector.TestServer;
import dev.socketconnector.TlsOpenSslServer;
import dev.socketconnector.TlsOptions;
import dev.socketconnector.TlsProvider;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Handler code that throws in every callback, on a connector with a single event-loop
 * thread: each exception is routed as SEMANTICS.md says (to {@code error}; a throw from
 * {@code open} fails the connect; a throw from {@code error} is logged with the original
 * attached), the one event-loop thread survives every throw, and a healthy socket on the
 * same thread keeps working throughout.
 */
class ThrowingHandlerTests {

    private final SocketConnector connector = SocketConnector.builder()
        .eventLoopThreads(1)
        .connectTimeout(Duration.ofSeconds(10))
        .writeBufferWaterMark(4 * 1024, 16 * 1024)
        .build();

    @AfterEach
    void closeConnector() {
        this.connector.close();
    }

    /**
     * Throws from every callback (open only when asked), records each exception it threw
     * and every error.
     */
    static final class Thrower extends TrackingHandler<Void> {

        final List<RuntimeException> thrown = new CopyOnWriteArrayList<>();

        final List<Thread> loopThreads = new CopyOnWriteArrayList<>();

        private final boolean throwFromOpen;

        Thrower(boolean throwFromOpen) {
            this.throwFromOpen = throwFromOpen;
        }

        private RuntimeException boom(String callback) {
            this.loopThreads.add(Thread.currentThread());
            RuntimeException ex = new IllegalStateException("boom from " + callback);
            this.thrown.add(ex);
            return ex;
        }

        @Override
        public void open(Socket<Void> socket) {
            super.open(socket);
            if (this.throwFromOpen) {
                throw boom("open");
            }
            this.loopThreads.add(Thread.currentThread());
        }

        @Override
        public void data(Socket<Void> socket, byte[] data) {
            super.data(socket, data);
            throw boom("data");
        }

        @Override
        public void drain(Socket<Void> socket) {
            super.drain(socket);
            throw boom("drain");
        }

        @Override
        public void end(Socket<Void> socket) {
            super.end(socket);
            throw boom("end");
        }

        @Override
        public void timeout(Socket<Void> socket) {
            super.timeout(socket);
            throw boom("timeout");
        }

        @Override
        public void close(Socket<Void> socket, @Nullable Throwable error) {
            super.close(socket, error);
            throw boom("close");
        }

        @Override
        public void error(Socket<Void> socket, Throwable error) {
            super.error(socket, error);
            throw boom("error");
        }

        @Override
        public void connectError(Socket<Void> socket, Throwable error) {
            super.connectError(socket, error);
            throw boom("connectError");
        }

        @Override
        public void handshake(Socket<Void> socket, boolean success, @Nullable Throwable authorizationError) {
            super.handshake(socket, success, authorizationError);
            throw boom("handshake");
        }

        /** Returns the messages of the errors handed to error, in order. */
        List<String> errorMessages() {
            return errors().stream().map(Throwable::getMessage).toList();
        }

    }

    /**
     * A socket that echoes nothing but proves the loop is alive: the peer pings, it
     * answers.
     */
    private static void assertHealthy(Socket<Void> socket, RecordingSocketHandler<Void> handler, TestServer.Peer peer,
            int round) throws Exception {
        String ping = "ping" + round;
        int before = handler.received().length;
        peer.write(ping);
        handler.awaitBytes(before + ping.length());
        assertThat(socket.write("pong" + round)).isEqualTo(ping.length());
        assertThat(new String(peer.readExactly(ping.length()))).isEqualTo("pong" + round);
    }

    @Test
    void everyThrowingCallbackIsRoutedToErrorAndTheLoopKeepsServingOtherSockets() throws Exception {
        try (TestServer server = TestServer.tcp(); LogCapture logs = new LogCapture()) {
            RecordingSocketHandler<Void> good = new RecordingSocketHandler<>();
            Socket<Void> goodSocket = this.connector
                .connect(TcpSocketConnectOptions.<Void>builder()
                    .hostname("127.0.0.1")
                    .port(server.port())
                    .socket(good)
                    .build())
                .get(10, TimeUnit.SECONDS);
            TestServer.Peer goodPeer = server.accept();
            Thrower bad = new Thrower(false);
            Socket<Void> badSocket = this.connector
                .connect(TcpSocketConnectOptions.<Void>builder()
                    .hostname("127.0.0.1")
                    .port(server.port())
                    .socket(bad)
                    .build())
                .get(10, TimeUnit.SECONDS);
            TestServer.Peer badPeer = server.accept();
            Thread loop = bad.loopThreads.get(0);

            badPeer.write("x");
            awaitErrors(bad, 1);
            assertThat(bad.errorMessages()).containsExactly("boom from data");
            assertThat(badSocket.readyState()).isEqualTo(ReadyState.OPEN);
            assertHealthy(goodSocket, good, goodPeer, 1);

            // fill the buffer while the peer does not read, then let it read: drain fires
            // and throws
            byte[] chunk = new byte[64 * 1024];
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (badSocket.write(chunk) > 0 && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            int beforeReading = bad.errors().size();
            CompletableFuture<byte[]> drained = CompletableFuture.supplyAsync(() -> {
                try {
                    return badPeer.readExactly((int) badSocket.bytesWritten());
                }
                catch (Exception ex) {
                    throw new IllegalStateException(ex);
                }
            });
            awaitErrors(bad, beforeReading + 1);
            drained.get(10, TimeUnit.SECONDS);
            assertThat(bad.errorMessages().subList(1, bad.errors().size())).as("drains while filling and after")
                .isNotEmpty()
                .containsOnly("boom from drain");
            assertThat(badSocket.readyState()).isEqualTo(ReadyState.OPEN);
            assertHealthy(goodSocket, good, goodPeer, 2);
            int drains = bad.errors().size() - 1;

            // the peer's FIN: end throws, the socket closes anyway, close throws
            badPeer.shutdownOutput();
            bad.awaitClose(10);
            awaitErrors(bad, drains + 3);
            List<String> messages = bad.errorMessages();
            assertThat(messages).hasSize(drains + 3);
            assertThat(messages.get(0)).isEqualTo("boom from data");
            assertThat(messages.subList(drains + 1, messages.size())).containsExactly("boom from end",
                    "boom from close");
            List<String> events = bad.events();
            assertThat(events).startsWith("open", "data", "error", "drain", "error")
                .endsWith("end", "error", "close", "error");
            assertThat(bad.count("drain")).isEqualTo(drains);
            assertThat(bad.count("close")).isEqualTo(1);
            assertThat(badSocket.readyState()).isEqualTo(ReadyState.CLOSED);
            assertHealthy(goodSocket, good, goodPeer, 3);

            // every throw from error itself was logged once, with the exception it was
            // handling attached
            List<LogRecord> errorHandlerLogs = logs.warnings("dev.socketconnector")
                .stream()
                .filter((r) -> r.getThrown() != null && "boom from error".equals(r.getThrown().getMessage()))
                .toList();
            assertThat(errorHandlerLogs).hasSize(messages.size());
            assertThat(errorHandlerLogs).allSatisfy((r) -> assertThat(r.getThrown().getSuppressed()).hasSize(1));
            assertThat(errorHandlerLogs.stream().map((r) -> r.getThrown().getSuppressed()[0].getMessage()).toList())
                .isEqualTo(messages);

            // one loop thread served everything, and it is still the same live thread
            assertThat(Set.copyOf(bad.loopThreads)).containsExactly(loop);
            assertThat(loop.isAlive()).isTrue();
            assertThat(good.threads()).containsExactly(loop.getName());
            assertThat(this.connector.sockets()).containsExactly(goodSocket);
        }
    }

    @Test
    void throwingTimeoutIsRoutedToErrorAndTheSocketStillClosesOnce() throws Exception {
        try (TestServer server = TestServer.tcp()) {
            Thrower bad = new Thrower(false);
            Socket<Void> socket = this.connector
                .connect(TcpSocketConnectOptions.<Void>builder()
                    .hostname("127.0.0.1")
                    .port(server.port())
                    .socket(bad)
                    .build())
                .get(10, TimeUnit.SECONDS);
            server.accept();
            socket.timeout(1);
            bad.awaitClose(5);
            awaitErrors(bad, 2);
            assertThat(bad.events()).containsExactly("open", "timeout", "error", "close", "error");
            assertThat(bad.errorMessages()).containsExactly("boom from timeout", "boom from close");
            assertThat(bad.loopThreads.get(0).isAlive()).isTrue();
        }
    }

    @Test
    void throwingOpenFailsTheConnectWithItsExceptionAndTheLoopServesTheNextConnect() throws Exception {
        try (TestServer server = TestServer.tcp()) {
            Thrower bad = new Thrower(true);
            CompletableFuture<Socket<Void>> future = this.connector.connect(TcpSocketConnectOptions.<Void>builder()
                .hostname("127.0.0.1")
                .port(server.port())
                .socket(bad)
                .build());
            Throwable failure = FaultTests.failure(future);
            assertThat(failure).isSameAs(bad.thrown.get(0));
            bad.awaitClose(5);
            awaitErrors(bad, 2);
            assertThat(bad.count("open")).isEqualTo(1);
            assertThat(bad.count("close")).isEqualTo(1);
            assertThat(bad.errorMessages()).contains("boom from open");
            assertThat(this.connector.sockets()).isEmpty();
            RecordingSocketHandler<Void> next = new RecordingSocketHandler<>();
            this.connector
                .connect(TcpSocketConnectOptions.<Void>builder()
                    .hostname("127.0.0.1")
                    .port(server.port())
                    .socket(next)
                    .build())
                .get(10, TimeUnit.SECONDS);
            assertThat(next.threads()).containsExactly(bad.loopThreads.get(0).getName());
        }
    }

    @Test
    void throwingConnectErrorFailsTheFutureWithWhatItThrewAndNothingElseFires() throws Exception {
        int port;
        try (ServerSocket closed = new ServerSocket()) {
            closed.bind(new InetSocketAddress("127.0.0.1", 0));
            port = closed.getLocalPort();
        }
        Thrower bad = new Thrower(false);
        Throwable failure = FaultTests.failure(this.connector
            .connect(TcpSocketConnectOptions.<Void>builder().hostname("127.0.0.1").port(port).socket(bad).build()));
        assertThat(failure).isSameAs(bad.thrown.get(0));
        // a quiet period, not a wait: no callback may follow connectError
        Thread.sleep(200);
        assertThat(bad.events()).containsExactly("connectError");
        assertThat(bad.loopThreads.get(0).isAlive()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = { "OPENSSL", "JDK" })
    void throwingHandshakeIsRoutedToErrorAndTheSocketStillOpens(TlsProvider provider) throws Exception {
        PkiFixture pki = PkiFixture.get();
        try (TlsOpenSslServer server = TlsOpenSslServer.start(pki, "-cert", "server.crt", "-key", "server.key")) {
            Thrower bad = new Thrower(false);
            Socket<Void> socket = this.connector
                .connect(TcpSocketConnectOptions.<Void>builder()
                    .hostname("127.0.0.1")
                    .port(server.port())
                    .socket(bad)
                    .tls(TlsOptions.builder().provider(provider).ca(pki.file("ca.crt")).build())
                    .build())
                .get(10, TimeUnit.SECONDS);
            assertThat(bad.events()).containsExactly("handshake:true", "error", "open");
            assertThat(bad.errorMessages()).containsExactly("boom from handshake");
            assertThat(socket.authorized()).isTrue();
            socket.end();
            bad.awaitClose(5);
        }
    }

    private static void awaitErrors(Thrower handler, int count) throws InterruptedException {
        Await.poll(Duration.ofSeconds(10), () -> handler.errors().size() >= count);
        assertThat(handler.errors()).as("errors; events " + handler.events()).hasSizeGreaterThanOrEqualTo(count);
    }

}
