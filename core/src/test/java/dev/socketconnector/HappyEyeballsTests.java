package dev.socketconnector;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for Happy Eyeballs across an {@code addresses} list (RFC 8305): the next address
 * after {@code connectAttemptDelay} or at once after a failure, the first to connect
 * wins, the losers are closed unseen, one {@code open} or one {@code connectError}, one
 * connect deadline. Loopback only: a listener whose accept queue is full stands for a
 * peer that drops SYNs, a closed port for one that refuses. Prints the measured connect
 * times per transport ({@code HAPPY-EYEBALLS} lines in the test output).
 */
@ExtendWith(LeakCheckExtension.class)
class HappyEyeballsTests {

    private static final Duration DELAY = Duration.ofMillis(250);

    private final List<String> observed = new CopyOnWriteArrayList<>();

    private final SocketObserver observer = new SocketObserver() {
        @Override
        public void connecting(Socket<?> socket, String endpoint, boolean tls, String target) {
            HappyEyeballsTests.this.observed.add("connecting");
        }

        @Override
        public void connected(Socket<?> socket, String endpoint, boolean tls, Duration elapsed) {
            HappyEyeballsTests.this.observed.add("connected");
        }

        @Override
        public void connectFailed(Socket<?> socket, String endpoint, boolean tls, Duration elapsed, Throwable cause) {
            HappyEyeballsTests.this.observed.add("connectFailed:" + ((SocketConnectException) cause).code());
        }

        @Override
        public void closed(Socket<?> socket, String endpoint, String reason) {
            HappyEyeballsTests.this.observed.add("closed");
        }
    };

    private SocketConnector connector(Duration connectTimeout) {
        return SocketConnector.builder()
            .connectAttemptDelay(DELAY)
            .connectTimeout(connectTimeout)
            .observer(this.observer)
            .build();
    }

    private static TcpSocketConnectOptions<Void> options(RecordingSocketHandler<Void> handler,
            InetSocketAddress... addresses) {
        return TcpSocketConnectOptions.<Void>builder().addresses(List.of(addresses)).socket(handler).build();
    }

    private static InetSocketAddress local(int port) {
        return new InetSocketAddress("127.0.0.1", port);
    }

    @Test
    void fullBacklogThenLiveOpensWithinTheDelayPlus300MsWithExactlyOneOpen() throws Exception {
        try (FullBacklogListener full = FullBacklogListener.open();
                TestServer live = TestServer.tcp();
                SocketConnector connector = connector(Duration.ofSeconds(10))) {
            RecordingSocketHandler<Void> handler = new RecordingSocketHandler<>();
            long start = System.nanoTime();
            Socket<Void> socket = connector.connect(options(handler, local(full.port()), local(live.port())))
                .get(10, TimeUnit.SECONDS);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            System.out.println("HAPPY-EYEBALLS [full-backlog, live] transport=" + connector.transport() + " connect="
                    + millis + " ms (connectAttemptDelay " + DELAY.toMillis() + " ms)");
            assertThat(socket.remotePort()).isEqualTo(live.port());
            assertThat(millis).isGreaterThanOrEqualTo(DELAY.toMillis() - 20).isLessThan(DELAY.toMillis() + 300);
            assertThat(connector.sockets()).containsExactly(socket);
            socket.end();
            handler.awaitClose();
            assertThat(handler.events()).containsExactly("open", "close");
            Await.until("the observer's closed", Duration.ofSeconds(5), () -> this.observed.contains("closed"));
            assertThat(this.observed).containsExactly("connecting", "connected", "closed");
            assertThat(live.acceptedCount()).isEqualTo(1);
        }
    }

    @Test
    void refusedThenLiveOpensAtOnceWithoutWaitingForTheDelay() throws Exception {
        try (TestServer live = TestServer.tcp(); SocketConnector connector = connector(Duration.ofSeconds(10))) {
            RecordingSocketHandler<Void> handler = new RecordingSocketHandler<>();
            int refused = SocketConnectTests.closedPort();
            long start = System.nanoTime();
            Socket<Void> socket = connector.connect(options(handler, local(refused), local(live.port())))
                .get(10, TimeUnit.SECONDS);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            System.out.println(
                    "HAPPY-EYEBALLS [refused, live] transport=" + connector.transport() + " connect=" + millis + " ms");
            assertThat(socket.remotePort()).isEqualTo(live.port());
            assertThat(millis).isLessThan(DELAY.toMillis());
            socket.terminate();
            handler.awaitClose();
            assertThat(handler.events()).containsExactly("open", "close");
        }
    }

    @Test
    void everyAddressAttemptIsLoggedAtDebugOnce() throws Exception {
        try (TestServer live = TestServer.tcp();
                SocketConnector connector = connector(Duration.ofSeconds(10));
                dev.socketconnector.reliability.LogCapture logs = new dev.socketconnector.reliability.LogCapture()) {
            RecordingSocketHandler<Void> handler = new RecordingSocketHandler<>();
            int refused = SocketConnectTests.closedPort();
            Socket<Void> socket = connector.connect(options(handler, local(refused), local(live.port())))
                .get(10, TimeUnit.SECONDS);
            socket.terminate();
            handler.awaitClose();
            List<String> attempts = logs.records()
                .stream()
                .filter((r) -> r.getLoggerName().endsWith(".AddressRace") && r.getMessage().contains("connect attempt")
                        && r.getMessage().startsWith("Socket "))
                .map(java.util.logging.LogRecord::getMessage)
                .filter((m) -> !m.contains("failed"))
                .toList();
            assertThat(attempts).hasSize(2);
            assertThat(attempts.get(0)).contains("connect attempt 1 to 127.0.0.1:" + refused);
            assertThat(attempts.get(1)).contains("connect attempt 2 to 127.0.0.1:" + live.port());
        }
    }

    @Test
    void aConnectToOneAddressIsLoggedAsTheRaceLogsIt() throws Exception {
        // one IP address needs no race (Dialer dials it directly): the same DEBUG lines
        try (TestServer live = TestServer.tcp();
                SocketConnector connector = connector(Duration.ofSeconds(10));
                dev.socketconnector.reliability.LogCapture logs = new dev.socketconnector.reliability.LogCapture()) {
            RecordingSocketHandler<Void> handler = new RecordingSocketHandler<>();
            Socket<Void> socket = connector
                .connect(TcpSocketConnectOptions.<Void>builder()
                    .hostname("127.0.0.1")
                    .port(live.port())
                    .socket(handler)
                    .build())
                .get(10, TimeUnit.SECONDS);
            socket.terminate();
            handler.awaitClose();
            List<String> lines = logs.records()
                .stream()
                .filter((r) -> r.getLoggerName().endsWith(".AddressRace") && r.getMessage().startsWith("Socket "))
                .map(java.util.logging.LogRecord::getMessage)
                .toList();
            assertThat(lines).hasSize(2);
            assertThat(lines.get(0)).contains("connect attempt 1 to 127.0.0.1:" + live.port());
            assertThat(lines.get(1)).contains("connected to 127.0.0.1:" + live.port() + " after 1 attempt(s)");
        }
    }

    @Test
    void cancellingTheConnectToOneAddressStopsIt() throws Exception {
        try (SaturatedListener only = SaturatedListener.open("127.0.0.1", 0);
                SocketConnector connector = connector(Duration.ofSeconds(10))) {
            RecordingSocketHandler<Void> handler = new RecordingSocketHandler<>();
            CompletableFuture<Socket<Void>> connect = connector.connect(options(handler, local(only.port())));
            // the attempt is in flight (its SYN dropped)
            Thread.sleep(200);
            assertThat(connect.cancel(false)).isTrue();
            Throwable error = handler.awaitConnectError();
            assertThat(error).isInstanceOfSatisfying(SocketConnectException.class,
                    (ex) -> assertThat(ex.code()).isEqualTo("ECONNABORTED"));
            // once the listener frees its queue, no retransmitted SYN of ours arrives
            only.acceptAll();
            Thread.sleep(1500);
            assertThat(only.acceptAll()).isZero();
            assertThat(handler.events()).containsExactly("connectError");
            assertThat(connector.sockets()).isEmpty();
            assertThat(this.observed).containsExactly("connecting", "connectFailed:ECONNABORTED");
        }
    }

    @Test
    void slowFirstAttemptThatWouldWinIsNotAborted() throws Exception {
        // both addresses drop SYNs at first; the first frees its queue before the second
        // address is even tried, so the retransmission of the first attempt's SYN (about
        // 1 s after it) connects while the second attempt still hangs
        try (SaturatedListener first = SaturatedListener.open("127.0.0.1", 0);
                SaturatedListener second = SaturatedListener.open("127.0.0.1", 0);
                SocketConnector connector = connector(Duration.ofSeconds(10))) {
            RecordingSocketHandler<Void> handler = new RecordingSocketHandler<>();
            long start = System.nanoTime();
            CompletableFuture<Socket<Void>> connect = connector
                .connect(options(handler, local(first.port()), local(second.port())));
            Thread.sleep(100);
            assertThat(first.acceptAll()).isZero();
            Socket<Void> socket = connect.get(10, TimeUnit.SECONDS);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            System.out.println("HAPPY-EYEBALLS [slow first, hanging second] transport=" + connector.transport()
                    + " connect=" + millis + " ms");
            assertThat(socket.remotePort()).isEqualTo(first.port());
            assertThat(millis).isGreaterThan(DELAY.toMillis());
            assertThat(connector.sockets()).containsExactly(socket);
            // the losing attempt was closed while its SYN was unanswered: once the second
            // listener frees its queue, no retransmission of ours ever arrives there
            second.acceptAll();
            Thread.sleep(1500);
            assertThat(second.acceptAll()).isZero();
            socket.end();
            handler.awaitClose();
            assertThat(handler.events()).containsExactly("open", "close");
        }
    }

    @Test
    void everyAddressRefusingGivesOneConnectErrorAtOnce() throws Exception {
        try (SocketConnector connector = connector(Duration.ofSeconds(10))) {
            RecordingSocketHandler<Void> handler = new RecordingSocketHandler<>();
            long start = System.nanoTime();
            Throwable error = SocketConnectTests.failure(connector.connect(
                    options(handler, local(SocketConnectTests.closedPort()), local(SocketConnectTests.closedPort()))));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(DELAY);
            assertThat(error).isInstanceOfSatisfying(SocketConnectException.class,
                    (ex) -> assertThat(ex.code()).isEqualTo("ECONNREFUSED"));
            // the second refusal rides along on connectError's error
            assertThat(handler.awaitConnectError().getSuppressed()).hasSize(1);
            assertThat(handler.events()).containsExactly("connectError");
            Await.until("the observer's connectFailed", Duration.ofSeconds(5),
                    () -> this.observed.contains("connectFailed:ECONNREFUSED"));
            assertThat(this.observed).containsExactly("connecting", "connectFailed:ECONNREFUSED");
            assertThat(connector.sockets()).isEmpty();
        }
    }

    @Test
    void hangingThenRefusedFailsAtTheDeadlineWithTheRefusalAsTheMoreTellingError() throws Exception {
        try (FullBacklogListener full = FullBacklogListener.open();
                SocketConnector connector = connector(Duration.ofMillis(1000))) {
            RecordingSocketHandler<Void> handler = new RecordingSocketHandler<>();
            long start = System.nanoTime();
            Throwable error = SocketConnectTests.failure(
                    connector.connect(options(handler, local(full.port()), local(SocketConnectTests.closedPort()))));
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            // the first attempt still ran when the refusal came: the connect waits for it
            // until the deadline, then reports the refusal rather than ETIMEDOUT
            assertThat(millis).isBetween(950L, 1500L);
            assertThat(error).isInstanceOfSatisfying(SocketConnectException.class,
                    (ex) -> assertThat(ex.code()).isEqualTo("ECONNREFUSED"));
            assertThat(handler.events()).containsExactly("connectError");
        }
    }

    @Test
    void connectTimeoutCoversEveryAttempt() throws Exception {
        try (FullBacklogListener first = FullBacklogListener.open();
                FullBacklogListener second = FullBacklogListener.open();
                SocketConnector connector = connector(Duration.ofMillis(700))) {
            RecordingSocketHandler<Void> handler = new RecordingSocketHandler<>();
            long start = System.nanoTime();
            Throwable error = SocketConnectTests
                .failure(connector.connect(options(handler, local(first.port()), local(second.port()))));
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(millis).isBetween(650L, 1200L);
            assertThat(error).isInstanceOfSatisfying(SocketConnectException.class,
                    (ex) -> assertThat(ex.code()).isEqualTo("ETIMEDOUT"));
            assertThat(handler.events()).containsExactly("connectError");
            Await.until("the observer's connectFailed", Duration.ofSeconds(5),
                    () -> this.observed.contains("connectFailed:ETIMEDOUT"));
            assertThat(this.observed).containsExactly("connecting", "connectFailed:ETIMEDOUT");
        }
    }

    @Test
    void connectorCloseDuringTheRaceFailsTheConnectOnceAndLeavesNothingOpen() throws Exception {
        FullBacklogListener first = FullBacklogListener.open();
        FullBacklogListener second = FullBacklogListener.open();
        try (first; second) {
            SocketConnector connector = connector(Duration.ofSeconds(10));
            RecordingSocketHandler<Void> handler = new RecordingSocketHandler<>();
            CompletableFuture<Socket<Void>> connect = connector
                .connect(options(handler, local(first.port()), local(second.port())));
            // both attempts are in flight
            Thread.sleep(DELAY.toMillis() + 100);
            long start = System.nanoTime();
            connector.close();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
            Throwable error = SocketConnectTests.failure(connect);
            assertThat(error).isInstanceOfSatisfying(SocketConnectException.class,
                    (ex) -> assertThat(ex.code()).isEqualTo("ECONNABORTED"));
            assertThat(handler.events()).containsAnyOf("connectError").doesNotContain("open", "close");
            assertThat(connector.sockets()).isEmpty();
        }
    }

    @Test
    void cancellingTheConnectDuringTheRaceStopsEveryAttempt() throws Exception {
        try (SaturatedListener first = SaturatedListener.open("127.0.0.1", 0);
                SaturatedListener second = SaturatedListener.open("127.0.0.1", 0);
                SocketConnector connector = connector(Duration.ofSeconds(10))) {
            RecordingSocketHandler<Void> handler = new RecordingSocketHandler<>();
            CompletableFuture<Socket<Void>> connect = connector
                .connect(options(handler, local(first.port()), local(second.port())));
            // both attempts are in flight
            Thread.sleep(DELAY.toMillis() + 100);
            assertThat(connect.cancel(false)).isTrue();
            Throwable error = handler.awaitConnectError();
            assertThat(error).isInstanceOfSatisfying(SocketConnectException.class,
                    (ex) -> assertThat(ex.code()).isEqualTo("ECONNABORTED"));
            // once both listeners free their queues, no retransmitted SYN of ours arrives
            first.acceptAll();
            second.acceptAll();
            Thread.sleep(1500);
            assertThat(first.acceptAll()).isZero();
            assertThat(second.acceptAll()).isZero();
            assertThat(handler.events()).containsExactly("connectError");
            assertThat(connector.sockets()).isEmpty();
        }
    }

    @Test
    void tlsHandshakeRunsOnTheWinnerOnly() throws Exception {
        PkiFixture pki = PkiFixture.get();
        try (FullBacklogListener full = FullBacklogListener.open();
                TlsNettyServer server = TlsNettyServer.start(pki, (ctx, ssl) -> {
                });
                SocketConnector connector = connector(Duration.ofSeconds(10))) {
            RecordingSocketHandler<Void> handler = new RecordingSocketHandler<>();
            Socket<Void> socket = connector
                .connect(TcpSocketConnectOptions.<Void>builder()
                    .addresses(List.of(local(full.port()), local(server.port())))
                    .tls(TlsOptions.builder().ca(pki.file("ca.crt")).build())
                    .socket(handler)
                    .build())
                .get(10, TimeUnit.SECONDS);
            assertThat(socket.authorized()).isTrue();
            assertThat(socket.remotePort()).isEqualTo(server.port());
            socket.end();
            handler.awaitClose();
            assertThat(handler.events()).containsExactly("handshake:true", "open", "close");
        }
    }

}
