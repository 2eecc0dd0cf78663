package dev.socketconnector;

import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.netty.buffer.Unpooled;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Correctness of the socket's state machine, events and write path, each test named after
 * what it proves: half-open closing, TLS close_notify and fatal errors, callbacks never
 * nested, atomic transitions, no silently lost bytes under races, memory held during a
 * loop stall, and end() against a peer that stopped reading (issue 11).
 */
class CorrectnessTests {

    private static final int HIGH = 1024 * 1024;

    private final SocketConnector connector = SocketConnector.create();

    @AfterEach
    void closeConnector() {
        this.connector.close();
    }

    private <D> Socket<D> connect(SocketConnector connector, int port, RecordingSocketHandler<D> handler,
            boolean allowHalfOpen) throws Exception {
        return connector
            .connect(TcpSocketConnectOptions.<D>builder()
                .hostname("127.0.0.1")
                .port(port)
                .socket(handler)
                .allowHalfOpen(allowHalfOpen)
                .build())
            .get(10, TimeUnit.SECONDS);
    }

    private static @Nullable Throwable awaitClose(RecordingSocketHandler<?> handler, Duration wait) throws Exception {
        Await.poll(wait, handler::isClosed);
        assertThat(handler.isClosed()).as("close fired within %s; events %s", wait, handler.events()).isTrue();
        return handler.awaitClose();
    }

    // ---- bug 1: a socket with both directions shut closes ----

    @Test
    void halfOpenSocketClosesWhenItShutsItsOutputInsideEnd() throws Exception {
        try (TestServer server = TestServer.tcp()) {
            RecordingSocketHandler<Void> handler = new RecordingSocketHandler<Void>().onEnd((socket) -> {
                socket.write("reply");
                socket.shutdown();
            });
            Socket<Void> socket = connect(this.connector, server.port(), handler, true);
            TestServer.Peer peer = server.accept();
            peer.write("request");
            peer.shutdownOutput();
            assertThat(new String(peer.readToEndAsync().get(10, TimeUnit.SECONDS))).isEqualTo("reply");
            assertThat(awaitClose(handler, Duration.ofSeconds(5))).isNull();
            assertThat(socket.readyState()).isEqualTo(ReadyState.CLOSED);
            assertThat(this.connector.sockets()).doesNotContain(socket);
            assertThat(handler.events()).containsExactly("open", "data", "end", "close");
        }
    }

    @Test
    void halfOpenSocketClosesWhenAnotherThreadShutsItsOutputAfterThePeersFin() throws Exception {
        try (TestServer server = TestServer.tcp()) {
            RecordingSocketHandler<Void> handler = new RecordingSocketHandler<>();
            Socket<Void> socket = connect(this.connector, server.port(), handler, true);
            TestServer.Peer peer = server.accept();
            peer.shutdownOutput();
            Await.poll(Duration.ofSeconds(5), () -> handler.events().contains("end"));
            assertThat(handler.events()).containsExactly("open", "end");
            assertThat(socket.readyState()).isEqualTo(ReadyState.OPEN);
            assertThat(socket.write("late reply")).isEqualTo(10);
            socket.shutdown();
            assertThat(new String(peer.readToEndAsync().get(10, TimeUnit.SECONDS))).isEqualTo("late reply");
            assertThat(awaitClose(handler, Duration.ofSeconds(5))).isNull();
            assertThat(socket.readyState()).isEqualTo(ReadyState.CLOSED);
            assertThat(this.connector.sockets()).doesNotContain(socket);
        }
    }

    // ---- bug 2: a fatal TLS error closes the output before error runs ----

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = { "OPENSSL", "JDK" })
    void writeInsideErrorAfterAFatalTlsErrorReturnsMinusOneAndCountsNothing(TlsProvider provider) throws Exception {
        PkiFixture pki = PkiFixture.get();
        // after the handshake the server writes a record with a broken MAC, bypassing its
        // SslHandler
        byte[] broken = new byte[] { 0x17, 0x03, 0x03, 0x00, 0x20, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
                16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32 };
        try (TlsNettyServer server = TlsNettyServer.start(pki,
                (ctx, ssl) -> ctx.executor()
                    .schedule(() -> ctx.pipeline().firstContext().writeAndFlush(Unpooled.wrappedBuffer(broken)), 100,
                            TimeUnit.MILLISECONDS))) {
            AtomicInteger written = new AtomicInteger(Integer.MIN_VALUE);
            AtomicReference<ReadyState> stateInError = new AtomicReference<>();
            RecordingSocketHandler<Void> handler = new RecordingSocketHandler<Void>().onError((socket, error) -> {
                written.set(socket.write("hello"));
                stateInError.set(socket.readyState());
            });
            Socket<Void> socket = this.connector
                .connect(TcpSocketConnectOptions.<Void>builder()
                    .hostname("127.0.0.1")
                    .port(server.port())
                    .socket(handler)
                    .tls(TlsOptions.builder().provider(provider).ca(pki.file("ca.crt")).build())
                    .build())
                .get(10, TimeUnit.SECONDS);
            awaitClose(handler, Duration.ofSeconds(5));
            if (provider == TlsProvider.OPENSSL) {
                // netty's OpenSSL engine sends its alert at once but raises the failure
                // only on the next wrap,
                // so the peer's FIN (its answer to the alert) can be reported first
                assertThat(handler.events()).as("errors %s", handler.errors())
                    .isIn(List.of("handshake:true", "open", "error", "close"),
                            List.of("handshake:true", "open", "end", "error", "close"));
            }
            else {
                assertThat(handler.events()).as("errors %s", handler.errors())
                    .containsExactly("handshake:true", "open", "error", "close");
            }
            assertThat(written.get()).as("write inside error").isEqualTo(-1);
            assertThat(stateInError.get()).isEqualTo(ReadyState.CLOSING);
            assertThat(socket.bytesWritten()).isZero();
        }
    }

    // ---- bug 3: close_notify without FIN ends the stream, and is answered ----

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = { "OPENSSL", "JDK" })
    void tlsCloseNotifyWithoutFinFiresEndThenCloseAndIsAnsweredWithCloseNotify(TlsProvider provider) throws Exception {
        PkiFixture pki = PkiFixture.get();
        try (TlsNettyServer server = TlsNettyServer.start(pki, (ctx, ssl) -> {
            ctx.writeAndFlush(Unpooled.copiedBuffer("bye", java.nio.charset.StandardCharsets.UTF_8));
            // close_notify only: the TCP connection stays open both ways
            ssl.closeOutbound();
        })) {
            RecordingSocketHandler<Void> handler = new RecordingSocketHandler<>();
            Socket<Void> socket = this.connector
                .connect(TcpSocketConnectOptions.<Void>builder()
                    .hostname("127.0.0.1")
                    .port(server.port())
                    .socket(handler)
                    .tls(TlsOptions.builder().provider(provider).ca(pki.file("ca.crt")).build())
                    .build())
                .get(10, TimeUnit.SECONDS);
            assertThat(awaitClose(handler, Duration.ofSeconds(5))).isNull();
            assertThat(handler.events()).containsExactly("handshake:true", "open", "data", "end", "close");
            assertThat(new String(handler.received())).isEqualTo("bye");
            server.closeNotifyReceived.get(5, TimeUnit.SECONDS);
            assertThat(socket.readyState()).isEqualTo(ReadyState.CLOSED);
        }
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = { "OPENSSL", "JDK" })
    void tlsCloseNotifyThenFinFiresEndOnce(TlsProvider provider) throws Exception {
        PkiFixture pki = PkiFixture.get();
        try (TlsNettyServer server = TlsNettyServer.start(pki, (ctx, ssl) -> ssl.closeOutbound()
            .addListener((done) -> ((io.netty.channel.socket.DuplexChannel) ctx.channel()).shutdownOutput()))) {
            RecordingSocketHandler<Void> handler = new RecordingSocketHandler<>();
            this.connector
                .connect(TcpSocketConnectOptions.<Void>builder()
                    .hostname("127.0.0.1")
                    .port(server.port())
                    .socket(handler)
                    .tls(TlsOptions.builder().provider(provider).ca(pki.file("ca.crt")).build())
                    .build())
                .get(10, TimeUnit.SECONDS);
            assertThat(awaitClose(handler, Duration.ofSeconds(5))).isNull();
            // a quiet period, not a wait: no callback may follow close
            Thread.sleep(100);
            assertThat(handler.events()).containsExactly("handshake:true", "open", "end", "close");
        }
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = { "OPENSSL", "JDK" })
    void tlsCloseNotifyWithAllowHalfOpenFiresEndThenWritesAreSentOrRefused(TlsProvider provider) throws Exception {
        PkiFixture pki = PkiFixture.get();
        try (TlsNettyServer server = TlsNettyServer.start(pki, (ctx, ssl) -> ssl.closeOutbound())) {
            AtomicInteger writtenInEnd = new AtomicInteger(Integer.MIN_VALUE);
            RecordingSocketHandler<Void> handler = new RecordingSocketHandler<Void>()
                .onEnd((socket) -> writtenInEnd.set(socket.write("after")));
            Socket<Void> socket = this.connector
                .connect(TcpSocketConnectOptions.<Void>builder()
                    .hostname("127.0.0.1")
                    .port(server.port())
                    .socket(handler)
                    .allowHalfOpen(true)
                    .tls(TlsOptions.builder().provider(provider).ca(pki.file("ca.crt")).build())
                    .build())
                .get(10, TimeUnit.SECONDS);
            // the handler records "end" before its onEnd action runs: wait for the
            // write's result itself
            Await.poll(Duration.ofSeconds(5), () -> writtenInEnd.get() != Integer.MIN_VALUE);
            if (provider == TlsProvider.OPENSSL) {
                // Netty's OpenSSL engine closes both directions on close_notify: the
                // write is refused, never
                // dropped, and with both directions shut the socket closes
                assertThat(writtenInEnd.get()).isEqualTo(-1);
                assertThat(awaitClose(handler, Duration.ofSeconds(5))).isNull();
                assertThat(server.closeNotifyReceived.get(5, TimeUnit.SECONDS)).isEmpty();
            }
            else {
                // the JDK engine keeps its output open: the half-open rules apply as on
                // TCP
                assertThat(writtenInEnd.get()).isEqualTo(5);
                assertThat(socket.readyState()).isEqualTo(ReadyState.OPEN);
                assertThat(socket.write(" more")).isEqualTo(5);
                socket.shutdown();
                assertThat(awaitClose(handler, Duration.ofSeconds(5))).isNull();
                assertThat(server.closeNotifyReceived.get(5, TimeUnit.SECONDS)).as("what the server read")
                    .isEqualTo("after more");
            }
            assertThat(handler.events()).containsExactly("handshake:true", "open", "end", "close");
        }
    }

    // ---- bug 4: each callback in its own task, never nested ----

    @Test
    void shutdownReadSideInsideOpenRunsEndAfterOpenHasReturned() throws Exception {
        try (TestServer server = TestServer.tcp()) {
            AtomicReference<List<String>> duringOpen = new AtomicReference<>();
            RecordingSocketHandler<Void> handler = new RecordingSocketHandler<>();
            handler.onOpen((socket) -> {
                socket.shutdown(true);
                duringOpen.set(handler.events());
            });
            connect(this.connector, server.port(), handler, false);
            assertThat(awaitClose(handler, Duration.ofSeconds(5))).isNull();
            assertThat(duringOpen.get()).as("callbacks run inside shutdown(true)").containsExactly("open");
            assertThat(handler.events()).containsExactly("open", "end", "close");
        }
    }

    // ---- bug 5: transitions are atomic and only move forward ----

    @Test
    void transitionsFromUserThreadsRacingTheLoopsCloseAlwaysEndClosed() throws Exception {
        ExecutorService racers = Executors.newFixedThreadPool(2);
        try (TestServer server = TestServer.tcp()) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            int iterations = 0;
            while (iterations < 300 && System.nanoTime() < deadline) {
                RecordingSocketHandler<Void> handler = new RecordingSocketHandler<>();
                Socket<Void> socket = connect(this.connector, server.port(), handler, false);
                TestServer.Peer peer = server.accept();
                int op = iterations % 4;
                CountDownLatch go = new CountDownLatch(1);
                Future<?> racer = racers.submit(() -> {
                    go.await(5, TimeUnit.SECONDS);
                    // spin until the loop is closing the socket, then race it
                    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
                    while (!handler.isClosed() && socket.readyState() == ReadyState.OPEN && System.nanoTime() < until) {
                        switch (op) {
                            case 0 -> socket.terminate();
                            case 1 -> socket.end();
                            case 2 -> socket.shutdown(true);
                            default -> socket.end("x");
                        }
                    }
                    return null;
                });
                go.countDown();
                peer.reset();
                awaitClose(handler, Duration.ofSeconds(5));
                racer.get(5, TimeUnit.SECONDS);
                assertThat(socket.readyState()).as("iteration %d, op %d", iterations, op).isEqualTo(ReadyState.CLOSED);
                assertThat(socket.write("late")).isEqualTo(-1);
                iterations++;
            }
            assertThat(iterations).isPositive();
            assertThat(this.connector.sockets()).isEmpty();
        }
        finally {
            racers.shutdownNow();
        }
    }

    // ---- bug 8: bytes accepted on other threads are never silently lost ----

    @Test
    void bytesAcceptedOnOtherThreadsAllReachThePeerWhenEndRacesTheWrites() throws Exception {
        writeRace(false);
    }

    @Test
    void bytesAcceptedOnOtherThreadsAllReachThePeerWhenItsFinRacesTheWrites() throws Exception {
        writeRace(true);
    }

    /**
     * Writers on several threads (more than the cores, so some are preempted mid-write)
     * race end() or the peer's FIN; the peer's byte count must equal the sum of what
     * write accepted unless close has an error. end() alternates between the test thread
     * and the event loop (inside {@code data}, where it runs at once, while writers are
     * mid-write).
     */
    private void writeRace(boolean peerFin) throws Exception {
        int writers = 6;
        ExecutorService pool = Executors.newFixedThreadPool(writers + 1);
        List<String> silentLosses = new ArrayList<>();
        int iterations = 0;
        long totalAccepted = 0;
        try (TestServer server = TestServer.tcp()) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
            while (iterations < 1500 && System.nanoTime() < deadline) {
                boolean endOnLoop = !peerFin && iterations % 2 == 1;
                RecordingSocketHandler<Void> handler = new RecordingSocketHandler<Void>()
                    .onData((socket, data) -> socket.end());
                Socket<Void> socket = connect(this.connector, server.port(), handler, false);
                TestServer.Peer peer = server.accept();
                // the peer closes once it has read our FIN, as a server does (end() waits
                // for that, up to a second, before it closes)
                Future<byte[]> read = pool.submit(() -> {
                    byte[] all = peer.readToEnd();
                    peer.close();
                    return all;
                });
                AtomicLong accepted = new AtomicLong();
                CountDownLatch started = new CountDownLatch(writers);
                List<Future<?>> running = new ArrayList<>();
                for (int w = 0; w < writers; w++) {
                    running.add(pool.submit(() -> {
                        started.countDown();
                        byte[] chunk = new byte[29];
                        for (int k = 0; k < 300; k++) {
                            int n = socket.write(chunk);
                            if (n < 0) {
                                break;
                            }
                            accepted.addAndGet(n);
                        }
                    }));
                }
                assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
                if (peerFin) {
                    peer.shutdownOutput();
                }
                else if (endOnLoop) {
                    peer.write("x");
                }
                else {
                    socket.end();
                }
                for (Future<?> writer : running) {
                    writer.get(10, TimeUnit.SECONDS);
                }
                Throwable closeError = handler.awaitClose();
                byte[] received = read.get(10, TimeUnit.SECONDS);
                peer.close();
                assertThat(socket.bytesWritten()).isEqualTo(accepted.get());
                if (closeError == null && received.length != accepted.get()) {
                    silentLosses.add("iteration " + iterations + ": accepted " + accepted.get() + ", peer got "
                            + received.length);
                }
                totalAccepted += accepted.get();
                iterations++;
            }
        }
        finally {
            pool.shutdownNow();
        }
        assertThat(silentLosses).as("silent losses in %d iterations", iterations).isEmpty();
        assertThat(iterations).isGreaterThan(20);
        assertThat(totalAccepted).isPositive();
    }

    // ---- bug 10: what tiny writes hold during a loop stall stays within the mark ----

    @Test
    void oneByteWritesDuringAnEventLoopStallHoldNoMoreThanTheHighWaterMarkPlusOneWrite() throws Exception {
        // measured in a child JVM: at PARANOID, Netty's leak detector keeps about 5 KB of
        // records per buffer,
        // which would swamp what the connector itself holds
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        Process probe = new ProcessBuilder(java, "-Xmx512m", "-Dio.netty.leakDetection.level=disabled", "-cp",
                System.getProperty("java.class.path"), StallHoldProbeMain.class.getName(), Integer.toString(HIGH))
            .redirectErrorStream(true)
            .start();
        try {
            CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(probe.getInputStream().readAllBytes());
                }
                catch (java.io.IOException ex) {
                    throw new java.io.UncheckedIOException(ex);
                }
            });
            assertThat(probe.waitFor(50, TimeUnit.SECONDS)).as("the probe finished").isTrue();
            String text = output.get(5, TimeUnit.SECONDS);
            assertThat(probe.exitValue()).as("probe output: %s", text).isZero();
            Matcher result = Pattern.compile("writes=(\\d+) held=(-?\\d+)").matcher(text);
            assertThat(result.find()).as("probe output: %s", text).isTrue();
            long writes = Long.parseLong(result.group(1));
            long held = Long.parseLong(result.group(2));
            assertThat(writes).as("writes refused before the probe's bound").isBetween(1L, 3_999_999L);
            // the mark, one 1-byte write, and 128 KiB for what the probe cannot see
            // exactly (heap after GC, the
            // allocator's direct-memory granularity)
            assertThat(held).as("bytes held for %d accepted 1-byte writes; probe: %s", writes, text.strip())
                .isLessThanOrEqualTo(HIGH + 1 + 128 * 1024);
        }
        finally {
            probe.destroyForcibly();
        }
    }

    // ---- bug 13: end() against a peer that stopped reading ----

    @Test
    void endAgainstAPeerThatStoppedReadingTerminatesWithEtimedoutAfterTheShutdownTimeout() throws Exception {
        try (SocketConnector quick = SocketConnector.builder().shutdownTimeout(Duration.ofMillis(500)).build();
                TestServer server = TestServer.tcp()) {
            RecordingSocketHandler<Void> handler = new RecordingSocketHandler<>();
            Socket<Void> socket = connect(quick, server.port(), handler, false);
            TestServer.Peer peer = server.accept();
            byte[] chunk = new byte[64 * 1024];
            int zeros = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (zeros < 30 && System.nanoTime() < deadline) {
                if (socket.write(chunk) == 0) {
                    zeros++;
                    // deliberate pacing: "stalled" means 30 refusals 10 ms apart
                    Thread.sleep(10);
                }
                else {
                    zeros = 0;
                }
            }
            assertThat(zeros).as("the peer's window and the buffer are full").isEqualTo(30);
            long start = System.nanoTime();
            socket.end();
            Throwable error = awaitClose(handler, Duration.ofSeconds(5));
            long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(error).isInstanceOf(SocketTransportException.class);
            assertThat(((SocketTransportException) error).code()).isEqualTo("ETIMEDOUT");
            assertThat(error.getCause()).hasMessageContaining("the peer stopped reading");
            assertThat(elapsed).isGreaterThanOrEqualTo(450);
            assertThat(socket.readyState()).isEqualTo(ReadyState.CLOSED);
            assertThat(quick.sockets()).doesNotContain(socket);
            peer.close();
        }
    }

}
