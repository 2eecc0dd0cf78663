package dev.socketconnector;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@code readIdleTimeout} and {@code heartbeat} against loopback peers: a silent peer is
 * dropped with ETIMEDOUT, a talking one is not; heartbeats reach the peer while the
 * socket is quiet and never while data flows, uncounted. Dead-peer detection over a
 * blackholed link is in {@code reliability.DeadPeerTests}.
 */
@ExtendWith(LeakCheckExtension.class)
class ReadIdleAndHeartbeatTests {

    private static final byte[] PING = "PING\n".getBytes(StandardCharsets.US_ASCII);

    private final CompletableFuture<String> closeReason = new CompletableFuture<>();

    private final List<SocketConnector> connectors = new ArrayList<>();

    @AfterEach
    void close() {
        this.connectors.forEach(SocketConnector::close);
    }

    private SocketConnector connector(SocketConnectorBuilder builder) {
        SocketConnector connector = builder.addObserver(new SocketObserver() {
            @Override
            public void closed(Socket<?> socket, @Nullable String endpoint, String reason) {
                ReadIdleAndHeartbeatTests.this.closeReason.complete(reason);
            }
        }).build();
        this.connectors.add(connector);
        return connector;
    }

    @Test
    void silentPeerIsDroppedWithEtimedoutAfterTheReadIdleTimeout() throws Exception {
        SocketConnector connector = connector(SocketConnector.builder());
        try (TestServer server = TestServer.tcp()) {
            RecordingSocketHandler<Void> handler = new RecordingSocketHandler<>();
            long start = System.nanoTime();
            connector
                .connect(options(server.port(), handler).toBuilder().readIdleTimeout(Duration.ofSeconds(1)).build())
                .get(10, TimeUnit.SECONDS);
            TestServer.Peer peer = server.accept();
            Throwable error = handler.awaitClose();
            long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            System.err.println("readIdleTimeout 1 s against a silent peer (" + connector.transport()
                    + "): closed after " + elapsed + " ms");
            assertThat(elapsed).isBetween(950L, 2000L);
            assertThat(error).isInstanceOf(SocketTransportException.class);
            assertThat(((SocketTransportException) error).code()).isEqualTo("ETIMEDOUT");
            assertThat(error.getCause()).hasMessageContaining("read idle for")
                .hasMessageContaining("readIdleTimeout 1000 ms")
                .hasMessageContaining("127.0.0.1:" + server.port());
            assertThat(handler.events()).containsExactly("open", "close");
            assertThat(this.closeReason.get(5, TimeUnit.SECONDS)).isEqualTo("idle");
            assertThat(readToEndOrReset(peer)).as("the peer sees the reset").isEqualTo("reset");
        }
    }

    @Test
    void peerThatKeepsSendingIsNotDroppedAndOneThatStopsIs() throws Exception {
        SocketConnector connector = connector(SocketConnector.builder().readIdleTimeout(Duration.ofMillis(600)));
        try (TestServer server = TestServer.tcp()) {
            RecordingSocketHandler<Void> handler = new RecordingSocketHandler<>();
            connector.connect(options(server.port(), handler)).get(10, TimeUnit.SECONDS);
            TestServer.Peer peer = server.accept();
            long start = System.nanoTime();
            for (int i = 0; i < 10; i++) {
                peer.write("x");
                Thread.sleep(200);
            }
            assertThat(handler.isClosed()).as("open after 2 s of data every 200 ms").isFalse();
            long silentSince = System.nanoTime();
            Throwable error = handler.awaitClose();
            long silent = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - silentSince);
            assertThat(((SocketTransportException) error).code()).isEqualTo("ETIMEDOUT");
            assertThat(silent).as("closed %d ms after the last byte", silent).isBetween(350L, 1600L);
            assertThat(System.nanoTime() - start).isGreaterThan(TimeUnit.SECONDS.toNanos(2));
        }
    }

    @Test
    void connectsZeroTurnsTheConnectorsDefaultOff() throws Exception {
        SocketConnector connector = connector(SocketConnector.builder()
            .readIdleTimeout(Duration.ofMillis(300))
            .heartbeat(Duration.ofMillis(100), PING));
        try (TestServer server = TestServer.tcp()) {
            RecordingSocketHandler<Void> handler = new RecordingSocketHandler<>();
            connector
                .connect(options(server.port(), handler).toBuilder()
                    .readIdleTimeout(Duration.ZERO)
                    .heartbeat(Duration.ZERO, new byte[0])
                    .build())
                .get(10, TimeUnit.SECONDS);
            TestServer.Peer peer = server.accept();
            peer.channel().configureBlocking(false);
            assertThat(Await.poll(Duration.ofMillis(1000), handler::isClosed)).as("closed by an idle timeout")
                .isFalse();
            assertThat(peer.channel().read(ByteBuffer.allocate(64))).as("heartbeat bytes at the peer").isZero();
        }
    }

    @Test
    void heartbeatReachesThePeerEveryIntervalWhileQuietAndIsNotCounted() throws Exception {
        SocketConnector connector = connector(SocketConnector.builder());
        try (TestServer server = TestServer.tcp()) {
            RecordingSocketHandler<Void> handler = new RecordingSocketHandler<>();
            Socket<Void> socket = connector
                .connect(options(server.port(), handler).toBuilder().heartbeat(Duration.ofMillis(200), PING).build())
                .get(10, TimeUnit.SECONDS);
            TimedReader reader = TimedReader.start(server.accept());
            Await.until("6 heartbeats", Duration.ofSeconds(5), () -> reader.count(PING) >= 6);
            List<Long> gaps = reader.gaps(PING);
            System.err.println("heartbeat 200 ms (" + connector.transport() + "): gaps at the peer " + gaps + " ms");
            assertThat(reader.text()).isEqualTo("PING\n".repeat(reader.count(PING)));
            // timed at the peer's reads: a read delayed by a loaded machine shortens the
            // next gap by as much, so the spacing is checked on average, and no gap is a
            // miss
            assertThat(gaps.stream().mapToLong(Long::longValue).average().orElseThrow()).isBetween(170.0, 300.0);
            assertThat(gaps).allSatisfy((gap) -> assertThat(gap).isLessThan(450L));
            assertThat(socket.bytesWritten()).as("heartbeats are not counted").isZero();
        }
    }

    @Test
    void heartbeatIsNeverSentWhileDataFlows() throws Exception {
        SocketConnector connector = connector(SocketConnector.builder().heartbeat(Duration.ofMillis(200), PING));
        try (TestServer server = TestServer.tcp()) {
            RecordingSocketHandler<Void> handler = new RecordingSocketHandler<>();
            Socket<Void> socket = connector.connect(options(server.port(), handler)).get(10, TimeUnit.SECONDS);
            TimedReader reader = TimedReader.start(server.accept());
            byte[] data = "data\n".getBytes(StandardCharsets.US_ASCII);
            // a writer descheduled for most of an interval (a loaded machine) leaves a
            // quiet gap in which a heartbeat is right: only such gaps may have one
            int quietGaps = 0;
            long last = System.nanoTime();
            for (int i = 0; i < 30; i++) {
                assertThat(socket.write(data)).isEqualTo(data.length);
                Thread.sleep(50);
                long now = System.nanoTime();
                quietGaps += (now - last > TimeUnit.MILLISECONDS.toNanos(150)) ? 1 : 0;
                last = now;
            }
            Await.until("the data at the peer", Duration.ofSeconds(5), () -> reader.count(data) == 30);
            assertThat(reader.count(PING))
                .as("heartbeats during 1.5 s of writes every 50 ms (" + quietGaps + " writer gaps over 150 ms)")
                .isLessThanOrEqualTo(quietGaps);
            int early = reader.count(PING);
            assertThat(socket.bytesWritten()).isEqualTo(30L * data.length);
            Await.until("a heartbeat once the writes stop", Duration.ofSeconds(2),
                    () -> reader.count(PING) == early + 1);
            assertThat(reader.text()).endsWith("data\nPING\n");
            assertThat(socket.bytesWritten()).isEqualTo(30L * data.length);
        }
    }

    @Test
    void heartbeatsOnAUnixSocketAndOverTlsTakeTheWritePath() throws Exception {
        SocketConnector connector = connector(SocketConnector.builder().heartbeat(Duration.ofMillis(100), PING));
        try (TestServer server = TestServer.unix()) {
            Socket<Void> socket = connector
                .connect(UnixSocketOptions.<Void>builder()
                    .unix(server.path())
                    .socket(new RecordingSocketHandler<>())
                    .build())
                .get(10, TimeUnit.SECONDS);
            TimedReader reader = TimedReader.start(server.accept());
            Await.until("3 heartbeats on a unix socket", Duration.ofSeconds(5), () -> reader.count(PING) >= 3);
            assertThat(socket.bytesWritten()).isZero();
        }
        PkiFixture pki = PkiFixture.get();
        CopyOnWriteArrayList<String> received = new CopyOnWriteArrayList<>();
        try (TlsNettyServer server = TlsNettyServer.start(pki,
                (ctx, ssl) -> ctx.pipeline().addBefore(ctx.name(), "tap", new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext tap, Object msg) {
                        received.add(((ByteBuf) msg).toString(StandardCharsets.US_ASCII));
                        tap.fireChannelRead(msg);
                    }
                }))) {
            Socket<Void> socket = connector
                .connect(TcpSocketConnectOptions.<Void>builder()
                    .hostname("127.0.0.1")
                    .port(server.port())
                    .socket(new RecordingSocketHandler<>())
                    .tls(TlsOptions.builder().ca(pki.file("ca.crt")).build())
                    .build())
                .get(10, TimeUnit.SECONDS);
            Await.until("3 heartbeats over TLS", Duration.ofSeconds(5),
                    () -> String.join("", received).split("PING\n", -1).length > 3);
            assertThat(String.join("", received)).matches("(PING\n)+");
            assertThat(socket.bytesWritten()).isZero();
        }
    }

    @Test
    void invalidValuesAreRefusedNamingTheOption() {
        SocketHandler<Void> handler = new RecordingSocketHandler<>();
        assertThatIllegalArgumentException()
            .isThrownBy(() -> options(1, handler).toBuilder().readIdleTimeout(Duration.ofMillis(-1)).build())
            .withMessageStartingWith("readIdleTimeout must be zero (off) or between 1 ms and 2147483647 ms");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> options(1, handler).toBuilder().readIdleTimeout(Duration.ofDays(25)).build())
            .withMessageStartingWith("readIdleTimeout must be");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> options(1, handler).toBuilder().heartbeat(Duration.ofSeconds(1), new byte[0]).build())
            .withMessage("heartbeat payload must not be empty");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> UnixSocketOptions.<Void>builder()
                .unix("/tmp/x.sock")
                .socket(handler)
                .heartbeat(Duration.ofNanos(10), PING)
                .build())
            .withMessageStartingWith("heartbeat interval must be zero (off) or between 1 ms and");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> SocketConnector.builder().readIdleTimeout(Duration.ofSeconds(-1)).build())
            .withMessageStartingWith("readIdleTimeout must be");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> SocketConnector.builder().heartbeat(Duration.ofSeconds(1), new byte[0]).build())
            .withMessage("heartbeat payload must not be empty");
    }

    @Test
    void optionsKeepTheirSettingsAndCopyThePayload() {
        byte[] payload = PING.clone();
        TcpSocketConnectOptions<Void> options = options(1, new RecordingSocketHandler<>()).toBuilder()
            .readIdleTimeout(Duration.ofSeconds(3))
            .heartbeat(Duration.ofSeconds(1), payload)
            .build();
        payload[0] = 'X';
        TcpSocketConnectOptions<Void> copy = options.toBuilder().build();
        assertThat(copy.readIdleTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(copy.heartbeatInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(copy.heartbeatPayload()).isEqualTo(PING);
        copy.heartbeatPayload()[0] = 'X';
        assertThat(copy.heartbeatPayload()).isEqualTo(PING);
        UnixSocketOptions<Void> unix = UnixSocketOptions.<Void>builder()
            .unix("/tmp/x.sock")
            .socket(new RecordingSocketHandler<>())
            .readIdleTimeout(Duration.ZERO)
            .heartbeat(Duration.ofMillis(250), PING)
            .build()
            .toBuilder()
            .build();
        assertThat(unix.readIdleTimeout()).isZero();
        assertThat(unix.heartbeatInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(unix.heartbeatPayload()).isEqualTo(PING);
        TcpSocketConnectOptions<Void> unset = options(1, new RecordingSocketHandler<>());
        assertThat(unset.readIdleTimeout()).isNull();
        assertThat(unset.heartbeatInterval()).isNull();
        assertThat(unset.heartbeatPayload()).isNull();
    }

    private static TcpSocketConnectOptions<Void> options(int port, SocketHandler<Void> handler) {
        return TcpSocketConnectOptions.<Void>builder().hostname("127.0.0.1").port(port).socket(handler).build();
    }

    private static String readToEndOrReset(TestServer.Peer peer) {
        try {
            peer.readToEnd();
            return "end";
        }
        catch (IOException ex) {
            return "reset";
        }
    }

    /** Reads a peer on its own thread and records when each byte arrived. */
    static final class TimedReader {

        private final StringBuffer text = new StringBuffer();

        private final List<Long> arrivals = new CopyOnWriteArrayList<>();

        static TimedReader start(TestServer.Peer peer) {
            TimedReader reader = new TimedReader();
            Thread thread = new Thread(() -> {
                ByteBuffer buffer = ByteBuffer.allocate(4096);
                try {
                    while (peer.channel().read(buffer) >= 0) {
                        long now = System.nanoTime();
                        buffer.flip();
                        while (buffer.hasRemaining()) {
                            reader.arrivals.add(now);
                            reader.text.append((char) buffer.get());
                        }
                        buffer.clear();
                    }
                }
                catch (IOException ex) {
                    // closed
                }
            }, "timed-reader");
            thread.setDaemon(true);
            thread.start();
            return reader;
        }

        String text() {
            return this.text.toString();
        }

        int count(byte[] token) {
            String all = text();
            String needle = new String(token, StandardCharsets.US_ASCII);
            int count = 0;
            for (int at = all.indexOf(needle); at >= 0; at = all.indexOf(needle, at + needle.length())) {
                count++;
            }
            return count;
        }

        /** Milliseconds between the arrivals of successive tokens. */
        List<Long> gaps(byte[] token) {
            String all = text();
            String needle = new String(token, StandardCharsets.US_ASCII);
            List<Long> gaps = new ArrayList<>();
            long previous = -1;
            for (int at = all.indexOf(needle); at >= 0; at = all.indexOf(needle, at + needle.length())) {
                long arrival = this.arrivals.get(at);
                if (previous >= 0) {
                    gaps.add(TimeUnit.NANOSECONDS.toMillis(arrival - previous));
                }
                previous = arrival;
            }
            return gaps;
        }

    }

}
