package dev.socketconnector.reliability;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.socketconnector.Await;
import dev.socketconnector.EndpointState;
import dev.socketconnector.KeepAliveOptions;
import dev.socketconnector.ManagedEndpoint;
import dev.socketconnector.ReadyState;
import dev.socketconnector.ReconnectPolicy;
import dev.socketconnector.RecordingSocketHandler;
import dev.socketconnector.Socket;
import dev.socketconnector.SocketConnector;
import dev.socketconnector.SocketHandler;
import dev.socketconnector.SocketTransportException;
import dev.socketconnector.TcpSocketConnectOptions;
import dev.socketconnector.TestServer;
import dev.socketconnector.Transport;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Noticing a peer that has silently gone: the peer is an echo server in a network
 * namespace that the test then blackholes ({@link PeerNamespace}: its segments, ACKs
 * included, vanish; nothing is reset). TCP_USER_TIMEOUT closes a socket with data in
 * flight (epoll and io_uring; refused on NIO), and readIdleTimeout with a heartbeat that
 * the peer echoes closes it on every transport. The detection times are printed.
 */
class DeadPeerTests {

    private static @Nullable PeerNamespace network;

    @BeforeAll
    static void startPeer() throws Exception {
        network = PeerNamespace.start("d");
    }

    @AfterAll
    static void removePeer() throws Exception {
        PeerNamespace fixture = network;
        network = null;
        if (fixture != null) {
            fixture.close();
        }
    }

    @AfterEach
    void restoreLink() throws Exception {
        network().restore();
    }

    private static PeerNamespace network() {
        PeerNamespace fixture = network;
        if (fixture == null) {
            throw new IllegalStateException("the namespace was not created");
        }
        return fixture;
    }

    @Test
    void userTimeoutClosesWithEtimedoutOnceDataStaysUnacknowledged() throws Exception {
        KeepAliveOptions keepAlive = KeepAliveOptions.builder().userTimeout(Duration.ofSeconds(2)).build();
        Transport transport;
        try (SocketConnector probe = SocketConnector.builder().build()) {
            transport = probe.transport();
        }
        if (transport == Transport.NIO) {
            // the JDK cannot set TCP_USER_TIMEOUT: refused when built (the readIdle test
            // below covers NIO)
            assertThatIllegalArgumentException()
                .isThrownBy(() -> SocketConnector.builder().keepAlive(keepAlive).build())
                .withMessageContaining("NIO")
                .withMessageContaining("readIdleTimeout");
            return;
        }
        try (SocketConnector connector = SocketConnector.builder().keepAlive(keepAlive).build()) {
            RecordingSocketHandler<Void> handler = new RecordingSocketHandler<>();
            Socket<Void> socket = connect(connector, TcpSocketConnectOptions.<Void>builder(), handler);
            byte[] hello = "hello".getBytes();
            socket.write(hello);
            handler.awaitBytes(hello.length);
            network().blackhole();
            long start = System.nanoTime();
            assertThat(socket.write(new byte[64 * 1024])).isEqualTo(64 * 1024);
            Throwable error = handler.awaitClose();
            long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            System.err.println("userTimeout 2 s, peer blackholed, 64 KiB in flight (" + connector.transport()
                    + "): closed after " + elapsed + " ms with " + error);
            assertThat(error).isInstanceOf(SocketTransportException.class);
            assertThat(((SocketTransportException) error).code()).isEqualTo("ETIMEDOUT");
            assertThat(elapsed).isBetween(1800L, 3000L);
            assertThat(handler.events()).containsExactly("open", "data", "close");
        }
    }

    @Test
    void readIdleTimeoutWithAHeartbeatDetectsABlackholedPeerOnEveryTransport() throws Exception {
        Duration interval = Duration.ofMillis(200);
        Duration timeout = Duration.ofSeconds(1);
        try (SocketConnector connector = SocketConnector.builder().build()) {
            RecordingSocketHandler<Void> handler = new RecordingSocketHandler<>();
            connect(connector,
                    TcpSocketConnectOptions.<Void>builder()
                        .readIdleTimeout(timeout)
                        .heartbeat(interval, "hb".getBytes()),
                    handler);
            handler.awaitBytes(3 * 2);
            // the echoed heartbeats keep a healthy but quiet connection open well past
            // the timeout
            assertThat(Await.poll(timeout.plusMillis(500), handler::isClosed)).as("closed while the peer answered")
                .isFalse();
            network().blackhole();
            long start = System.nanoTime();
            Throwable error = handler.awaitClose();
            long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            System.err.println("readIdleTimeout 1 s + heartbeat 200 ms, peer blackholed (" + connector.transport()
                    + "): closed after " + elapsed + " ms");
            assertThat(((SocketTransportException) error).code()).isEqualTo("ETIMEDOUT");
            assertThat(elapsed).as("detection within interval + timeout + 1 s")
                .isBetween(timeout.minus(interval).toMillis() - 100, interval.plus(timeout).toMillis() + 1000);
        }
    }

    @Test
    void aManagedEndpointWhosePeerIsBlackholedReconnectsToALiveAddressFromItsList() throws Exception {
        Duration interval = Duration.ofMillis(200);
        Duration timeout = Duration.ofSeconds(1);
        ReconnectPolicy quick = ReconnectPolicy.builder()
            .initialBackoff(Duration.ofMillis(50))
            .maxBackoff(Duration.ofMillis(200))
            .jitter(0)
            .build();
        try (TestServer live = TestServer.tcp();
                SocketConnector connector = SocketConnector.builder()
                    .endpoint("peer",
                            TcpSocketConnectOptions.builder()
                                .addresses(List.of(new InetSocketAddress(network().peerAddress(), network().port()),
                                        new InetSocketAddress("127.0.0.1", live.port())))
                                .readIdleTimeout(timeout)
                                .heartbeat(interval, "hb".getBytes())
                                .socket(new SocketHandler<Object>() {
                                })
                                .build())
                    .build()) {
            List<EndpointState> states = new CopyOnWriteArrayList<>();
            ManagedEndpoint endpoint = connector.manage("peer", quick,
                    (managed, previous, current, cause) -> states.add(current));
            Socket<?> first = endpoint.whenConnected().get(10, TimeUnit.SECONDS);
            assertThat(first.remoteAddress()).as("the first address of the list").isEqualTo(network().peerAddress());
            network().blackhole();
            long start = System.nanoTime();
            // the read-idle timeout drops the silent peer; the reconnect's first attempt
            // (the blackholed address) gets no answer, so Happy Eyeballs starts the
            // second after connectAttemptDelay and that one wins
            Await.until("reconnected to the live address", Duration.ofSeconds(10),
                    () -> endpoint.state() == EndpointState.CONNECTED && endpoint.socket() != first);
            long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            Socket<?> again = endpoint.socket();
            assertThat(again).isNotNull();
            assertThat(again.remoteAddress()).isEqualTo("127.0.0.1");
            assertThat(again.remotePort()).isEqualTo(live.port());
            assertThat(live.accept()).isNotNull();
            System.err.println("managed endpoint, peer blackholed, reconnected to the live address ("
                    + connector.transport() + ") after " + elapsed + " ms");
            assertThat(elapsed).as("detection + backoff + connectAttemptDelay")
                .isLessThan(interval.plus(timeout).toMillis() + 1000 + 250 + 1000);
            assertThat(first.readyState()).isEqualTo(ReadyState.CLOSED);
            assertThat(endpoint.lastError()).isNull();
            assertThat(states).containsSubsequence(EndpointState.CONNECTED, EndpointState.BACKING_OFF,
                    EndpointState.CONNECTING, EndpointState.CONNECTED);
        }
    }

    private static Socket<Void> connect(SocketConnector connector, TcpSocketConnectOptions.Builder<Void> builder,
            RecordingSocketHandler<Void> handler) throws Exception {
        return connector
            .connect(builder.hostname(network().peerAddress()).port(network().port()).socket(handler).build())
            .get(10, TimeUnit.SECONDS);
    }

}
