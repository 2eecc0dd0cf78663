package dev.socketconnector.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import dev.socketconnector.Await;
import dev.socketconnector.Framing;
import dev.socketconnector.KeepAliveOptions;
import dev.socketconnector.RecordingSocketHandler;
import dev.socketconnector.Socket;
import dev.socketconnector.Resolver;
import dev.socketconnector.SocketObserver;
import dev.socketconnector.TcpSocketConnectOptions;
import dev.socketconnector.TlsOptions;
import dev.socketconnector.Transport;
import io.netty.channel.ChannelOption;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Dialer}: connects through Netty's {@code Bootstrap} and the
 * connector's resolver group, against a loopback listener. Names resolve through the
 * resolver's lookup seam from a fixed table, so that one name can have two loopback
 * addresses in a chosen order.
 */
class DialerTests {

    private final List<NettySocketConnector> connectors = new ArrayList<>();

    @AfterEach
    void closeConnectors() throws Exception {
        for (NettySocketConnector connector : this.connectors) {
            connector.closeAsync(Duration.ofSeconds(1)).get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void openSocketsPipelineHoldsOnlyItsNamedHandlers() throws Exception {
        NettySocketConnector connector = connector();
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Socket<Void> socket = connector
                .<Void>connect(options("127.0.0.1", listener.getLocalPort(), new RecordingSocketHandler<>()))
                .get(10, TimeUnit.SECONDS);
            NettySocket<?> nettySocket = (NettySocket<?>) socket;
            // the bootstrap's per-connect handler has left: what remains is what
            // initPipeline added
            List<String> names = nettySocket.loop
                .submit(() -> List.copyOf(nettySocket.channel.pipeline().toMap().keySet()))
                .get(10, TimeUnit.SECONDS);
            assertThat(names).containsExactly(PipelineNames.EVENTS);
            socket.terminate();
        }
    }

    @Test
    void openSocketKeepsNoAddressRaceAndStillCloses() throws Exception {
        NettySocketConnector connector = connector();
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            RecordingSocketHandler<Void> handler = new RecordingSocketHandler<>();
            NettySocket<Void> nettySocket = open(connector, listener, handler);
            Socket<Void> socket = nettySocket;
            // an idle open socket holds no connect-time state: the race, its targets and
            // addresses are garbage once the socket is open (issue 14, idle memory)
            Object race = nettySocket.loop.submit(() -> nettySocket.events.race()).get(10, TimeUnit.SECONDS);
            assertThat(race).isNull();
            assertThat(socket.openedAt()).isNotNull();
            // the close goes to the channel directly
            socket.end();
            assertThat(handler.awaitClose()).isNull();
            assertThat(handler.rawEvents()).endsWith("close");
        }
    }

    @Test
    void openSocketKeepsNoConnectAttemptNorClosingStateAndStillCloses() throws Exception {
        NettySocketConnector connector = connector();
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            RecordingSocketHandler<Void> handler = new RecordingSocketHandler<>();
            NettySocket<Void> nettySocket = open(connector, listener, handler);
            Socket<Void> socket = nettySocket;
            // an idle open socket holds neither its connect attempt (deadline, future,
            // flags) nor any closing state: both are garbage or not yet made while it is
            // open (issue 14, idle memory)
            List<Object> state = nettySocket.loop.submit(
                    () -> java.util.Arrays.asList(nettySocket.events.attempt(), nettySocket.events.closingStarted()))
                .get(10, TimeUnit.SECONDS);
            assertThat(state).containsExactly(null, false);
            // nor a close future: it is made when something waits for the close
            assertThat(nettySocket.closeFutureMade()).isFalse();
            assertThat(socket.readyState()).isEqualTo(dev.socketconnector.ReadyState.OPEN);
            // it still closes as an open socket does: close fires once, without error
            socket.end();
            assertThat(handler.awaitClose()).isNull();
            assertThat(handler.rawEvents()).containsExactly("open", "close");
            // a close future asked for once close has fired completes (at once, or when
            // the close that fired close has finished)
            assertThat(nettySocket.closeFuture()).succeedsWithin(Duration.ofSeconds(5));
        }
    }

    @Test
    void endsLingerClosesOnThePeersFinWithoutShuttingInputDown() throws Exception {
        NettySocketConnector connector = connector();
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            RecordingSocketHandler<Void> handler = new RecordingSocketHandler<>();
            NettySocket<Void> nettySocket = open(connector, listener, handler);
            Socket<Void> socket = nettySocket;
            try (java.net.Socket peer = listener.accept()) {
                peer.setSoTimeout(5000);
                socket.end();
                // our FIN has arrived: the socket lingers for the peer's FIN
                assertThat(peer.getInputStream().read()).isEqualTo(-1);
                Await.until("linger", Duration.ofSeconds(5), () -> onLoop(nettySocket, nettySocket.events::lingering));
                // the peer's FIN closes the channel directly: Netty does not shut the
                // input of a socket whose both directions are done (that fails with
                // ENOTCONN, an exception with a stack trace per connection)
                Object halfClosure = onLoop(nettySocket,
                        () -> nettySocket.channel.config().getOption(ChannelOption.ALLOW_HALF_CLOSURE));
                assertThat(halfClosure).isEqualTo(Boolean.FALSE);
                long closedAt = System.nanoTime();
                peer.shutdownOutput();
                assertThat(handler.awaitClose()).isNull();
                // closed by the peer's FIN, well before the linger's bound
                assertThat(Duration.ofNanos(System.nanoTime() - closedAt)).isLessThan(SocketClosing.END_LINGER);
                assertThat(handler.rawEvents()).containsExactly("open", "close");
            }
        }
    }

    @Test
    void nameWithSeveralAddressesConnectsToTheFirst() throws Exception {
        NettySocketConnector connector = connector();
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            Socket<Void> socket = connector
                .<Void>connect(options("v4-first.test", listener.getLocalPort(), new RecordingSocketHandler<>()))
                .get(10, TimeUnit.SECONDS);
            assertThat(socket.remoteAddress()).isEqualTo("127.0.0.1");
            socket.terminate();
        }
    }

    @Test
    void nameWhoseFirstAddressRefusesConnectsToTheNextWithOneOpen() throws Exception {
        NettySocketConnector connector = connector();
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            RecordingSocketHandler<Void> handler = new RecordingSocketHandler<>();
            // ::1 first, where nothing listens on the port (refused at once); 127.0.0.1
            // second, where the listener is: tried at once after the refusal, without
            // waiting for connectAttemptDelay
            long start = System.nanoTime();
            Socket<Void> socket = connector.<Void>connect(options("v6-first.test", listener.getLocalPort(), handler))
                .get(10, TimeUnit.SECONDS);
            long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(socket.remoteAddress()).isEqualTo("127.0.0.1");
            assertThat(elapsedMillis).isLessThan(250);
            socket.terminate();
            Await.until("close", Duration.ofSeconds(5), () -> handler.events().contains("close"));
            assertThat(handler.events()).containsExactly("open", "close");
        }
    }

    @Test
    void jdkResolverLooksTheNameUpAgainAtEveryAttempt() throws Exception {
        AtomicReference<InetAddress> answer = new AtomicReference<>(InetAddress.getByName("::1"));
        AtomicInteger lookups = new AtomicInteger();
        HostResolver resolver = new HostResolver((host) -> {
            lookups.incrementAndGet();
            return new InetAddress[] { answer.get() };
        }, 2, 4, 4, "test-dns");
        NettySocketConnector connector = connector(resolver);
        try (ServerSocket v6 = new ServerSocket(0, 50, InetAddress.getByName("::1"));
                ServerSocket v4 = new ServerSocket(v6.getLocalPort(), 50, InetAddress.getByName("127.0.0.1"))) {
            Socket<Void> first = connector
                .<Void>connect(options("moving.test", v6.getLocalPort(), new RecordingSocketHandler<>()))
                .get(10, TimeUnit.SECONDS);
            assertThat(first.remoteAddress()).isEqualTo("::1");
            first.terminate();
            answer.set(InetAddress.getByName("127.0.0.1"));
            Socket<Void> second = connector
                .<Void>connect(options("moving.test", v6.getLocalPort(), new RecordingSocketHandler<>()))
                .get(10, TimeUnit.SECONDS);
            assertThat(second.remoteAddress()).isEqualTo("127.0.0.1");
            second.terminate();
            assertThat(lookups.get()).isEqualTo(2);
        }
    }

    @Test
    void interleavesFamiliesStartingWithTheFirstAnswersFamily() throws Exception {
        InetSocketAddress a4 = new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 1);
        InetSocketAddress b4 = new InetSocketAddress(InetAddress.getByName("192.0.2.2"), 1);
        InetSocketAddress c4 = new InetSocketAddress(InetAddress.getByName("192.0.2.3"), 1);
        InetSocketAddress a6 = new InetSocketAddress(InetAddress.getByName("2001:db8::1"), 1);
        InetSocketAddress b6 = new InetSocketAddress(InetAddress.getByName("2001:db8::2"), 1);
        assertThat(AddressRace.interleave(List.of(a6, b6, a4, b4, c4))).containsExactly(a6, a4, b6, b4, c4);
        assertThat(AddressRace.interleave(List.of(a4, b4, c4, a6))).containsExactly(a4, a6, b4, c4);
        assertThat(AddressRace.interleave(List.of(a4, b4))).containsExactly(a4, b4);
        assertThat(AddressRace.interleave(List.of(b6))).containsExactly(b6);
    }

    /**
     * Runs {@code task} on the socket's loop and returns what it returned (5 s at most).
     */
    private static <T> T onLoop(NettySocket<?> socket, Callable<T> task) {
        try {
            return socket.loop.submit(task).get(5, TimeUnit.SECONDS);
        }
        catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    private NettySocketConnector connector() throws UnknownHostException {
        InetAddress v4 = InetAddress.getByName("127.0.0.1");
        InetAddress v6 = InetAddress.getByName("::1");
        HostResolver resolver = new HostResolver((host) -> switch (host) {
            case "v4-first.test" -> new InetAddress[] { v4, v6 };
            case "v6-first.test" -> new InetAddress[] { v6, v4 };
            default -> throw new UnknownHostException(host + ": not in the test table");
        }, 2, 4, 4, "test-dns");
        return connector(resolver);
    }

    private NettySocketConnector connector(HostResolver resolver) {
        ConnectorSettings settings = new ConnectorSettings(Transport.AUTO, 1, Duration.ofSeconds(5),
                Duration.ofSeconds(1), () -> TlsOptions.DEFAULTS, SocketObserver.NONE, true, KeepAliveOptions.DISABLED,
                512 * 1024, 1024 * 1024, Map.of(), Duration.ZERO, Duration.ZERO, new byte[0], Duration.ofMillis(250),
                Resolver.jdk(), Framing.none());
        NettySocketConnector connector = new NettySocketConnector(settings, resolver);
        this.connectors.add(connector);
        return connector;
    }

    /** Connects to the loopback listener and waits for the socket to open. */
    private static NettySocket<Void> open(NettySocketConnector connector, ServerSocket listener,
            RecordingSocketHandler<Void> handler) throws Exception {
        return (NettySocket<Void>) connector.<Void>connect(options("127.0.0.1", listener.getLocalPort(), handler))
            .get(10, TimeUnit.SECONDS);
    }

    private static TcpSocketConnectOptions<Void> options(String host, int port, RecordingSocketHandler<Void> handler) {
        return TcpSocketConnectOptions.<Void>builder().hostname(host).port(port).socket(handler).build();
    }

}
