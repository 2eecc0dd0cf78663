package dev.socketconnector.autoconfigure;

import java.net.ConnectException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import dev.socketconnector.EndpointState;
import dev.socketconnector.ManagedEndpoint;
import dev.socketconnector.ReadyState;
import dev.socketconnector.ReconnectPolicy;
import dev.socketconnector.Socket;
import dev.socketconnector.SocketConnector;
import dev.socketconnector.SocketHandler;
import dev.socketconnector.TestServer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests connect-on-startup endpoints against servers on 127.0.0.1 and unix paths:
 * connecting on startup, reconnecting after the server restarts, not blocking startup,
 * and the graceful shutdown (FIN, close once).
 */
class ManagedEndpointsTests {

    private static final String ECHO = "socket.connector.endpoints.echo.";

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, SocketConnectorAutoConfiguration.class))
        .withUserConfiguration(HandlerConfiguration.class)
        .withPropertyValues(ECHO + "connect-on-startup=true", ECHO + "reconnect.initial-backoff=50ms",
                ECHO + "reconnect.max-backoff=200ms", ECHO + "reconnect.jitter=0");

    @Test
    void connectOnStartupShouldConnectAndHandlerShouldSeeOpenAndData() throws Exception {
        try (TestServer server = TestServer.tcp()) {
            this.contextRunner.withPropertyValues(ECHO + "hostname=127.0.0.1", ECHO + "port=" + server.port())
                .run((context) -> {
                    EventRecordingHandler handler = context.getBean(EventRecordingHandler.class);
                    SocketChannel peer = server.accept().channel();
                    handler.await("open");
                    ManagedEndpoint endpoint = context.getBean(SocketEndpointRegistry.class).endpoint("echo");
                    assertThat(endpoint).isNotNull();
                    waitFor(() -> endpoint.state() == EndpointState.CONNECTED, "CONNECTED");
                    Socket<?> socket = endpoint.socket();
                    assertThat(socket).isNotNull();
                    assertThat(socket.endpoint()).isEqualTo("echo");
                    assertThat(socket.readyState()).isEqualTo(ReadyState.OPEN);
                    assertThat(endpoint.lastError()).isNull();
                    assertThat(endpoint.nextAttempt()).isNull();
                    assertThat(endpoint.reconnects()).isZero();
                    peer.write(ByteBuffer.wrap("hello".getBytes(StandardCharsets.UTF_8)));
                    assertThat(handler.await("data:")).isEqualTo("data:hello");
                    socket.write("pong");
                    ByteBuffer read = ByteBuffer.allocate(4);
                    while (read.hasRemaining() && peer.read(read) >= 0) {
                        // blocking read of the 4 bytes just written
                    }
                    assertThat(new String(read.array(), StandardCharsets.UTF_8)).isEqualTo("pong");
                });
        }
    }

    @Test
    void serverRestartShouldReconnectAndHandlerShouldSeeSecondOpen() throws Exception {
        TestServer server = TestServer.tcp();
        int port = server.port();
        try {
            this.contextRunner.withPropertyValues(ECHO + "hostname=127.0.0.1", ECHO + "port=" + port).run((context) -> {
                EventRecordingHandler handler = context.getBean(EventRecordingHandler.class);
                ManagedEndpoint endpoint = context.getBean(SocketEndpointRegistry.class).endpoint("echo");
                server.accept();
                handler.await("open");
                Socket<?> first = endpoint.socket();
                server.close();
                handler.await("close:");
                waitFor(() -> endpoint.state() == EndpointState.BACKING_OFF
                        && endpoint.lastError() instanceof ConnectException, "BACKING_OFF after refused");
                assertThat(endpoint.nextAttempt()).isNotNull();
                try (TestServer restarted = TestServer.tcpOnPort(port)) {
                    restarted.accept();
                    handler.await("open");
                    waitFor(() -> endpoint.state() == EndpointState.CONNECTED, "CONNECTED again");
                    assertThat(endpoint.socket()).isNotNull().isNotSameAs(first);
                    assertThat(endpoint.reconnects()).isPositive();
                    assertThat(handler.count("open")).isEqualTo(2);
                    assertThat(handler.opened()).hasSize(2);
                    assertThat(handler.opened().get(0).readyState()).isEqualTo(ReadyState.CLOSED);
                }
            });
        }
        finally {
            server.close();
        }
    }

    @Test
    void unreachableEndpointShouldNeitherBlockNorFailStartupAndConnectOnceServerStarts() throws Exception {
        int port = TestServer.freePort();
        long started = System.nanoTime();
        this.contextRunner.withPropertyValues(ECHO + "hostname=127.0.0.1", ECHO + "port=" + port).run((context) -> {
            assertThat(context).hasNotFailed();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
            ManagedEndpoint endpoint = context.getBean(SocketEndpointRegistry.class).endpoint("echo");
            waitFor(() -> endpoint.state() == EndpointState.BACKING_OFF && endpoint.reconnects() >= 2,
                    "two reconnect attempts");
            assertThat(endpoint.lastError()).isInstanceOf(ConnectException.class);
            assertThat(endpoint.socket()).isNull();
            try (TestServer server = TestServer.tcpOnPort(port)) {
                server.accept();
                context.getBean(EventRecordingHandler.class).await("open");
                waitFor(() -> endpoint.state() == EndpointState.CONNECTED, "CONNECTED");
                assertThat(endpoint.lastError()).isNull();
            }
        });
    }

    @Test
    void reconnectDisabledShouldStopAfterDrop() throws Exception {
        try (TestServer server = TestServer.tcp()) {
            this.contextRunner
                .withPropertyValues(ECHO + "hostname=127.0.0.1", ECHO + "port=" + server.port(),
                        ECHO + "reconnect.enabled=false")
                .run((context) -> {
                    EventRecordingHandler handler = context.getBean(EventRecordingHandler.class);
                    ManagedEndpoint endpoint = context.getBean(SocketEndpointRegistry.class).endpoint("echo");
                    server.accept().close();
                    handler.await("close:");
                    waitFor(() -> endpoint.state() == EndpointState.STOPPED, "STOPPED");
                    assertThat(endpoint.nextAttempt()).isNull();
                    assertThat(endpoint.reconnects()).isZero();
                });
        }
    }

    @Test
    void shutdownShouldSendFinAndFireCloseOnce() throws Exception {
        try (TestServer server = TestServer.tcp()) {
            EventRecordingHandler[] handler = new EventRecordingHandler[1];
            TestServer.Peer[] peer = new TestServer.Peer[1];
            SocketConnector[] connector = new SocketConnector[1];
            ManagedEndpoint[] endpoint = new ManagedEndpoint[1];
            this.contextRunner.withPropertyValues(ECHO + "hostname=127.0.0.1", ECHO + "port=" + server.port())
                .run((context) -> {
                    handler[0] = context.getBean(EventRecordingHandler.class);
                    connector[0] = context.getBean(SocketConnector.class);
                    endpoint[0] = context.getBean(SocketEndpointRegistry.class).endpoint("echo");
                    peer[0] = server.accept();
                    handler[0].await("open");
                    // CONNECTED (and socket()) once open has returned
                    endpoint[0].whenConnected().get(10, TimeUnit.SECONDS).write("bye");
                });
            // the context is closed: the lifecycle ended the socket (FIN after the
            // pending write)
            byte[] received = peer[0].readToEndAsync().get(10, TimeUnit.SECONDS);
            assertThat(new String(received, StandardCharsets.UTF_8)).isEqualTo("bye");
            assertThat(connector[0].isClosed()).isTrue();
            assertThat(connector[0].sockets()).isEmpty();
            assertThat(handler[0].count("close:null")).isEqualTo(1);
            assertThat(handler[0].events()).containsExactly("open", "close:null");
            assertThat(endpoint[0].state()).isEqualTo(EndpointState.STOPPED);
            assertThat(server.acceptedCount()).isEqualTo(1);
        }
    }

    @Test
    void shutdownShouldTerminateWhatIsLeftWithinShutdownPhaseTimeout() throws Exception {
        try (TestServer server = TestServer.tcp()) {
            EventRecordingHandler[] handler = new EventRecordingHandler[1];
            long[] closing = new long[1];
            this.contextRunner
                .withPropertyValues(ECHO + "hostname=127.0.0.1", ECHO + "port=" + server.port(),
                        "socket.connector.shutdown-timeout=10s", "spring.lifecycle.timeout-per-shutdown-phase=300ms")
                .run((context) -> {
                    handler[0] = context.getBean(EventRecordingHandler.class);
                    server.accept();
                    handler[0].await("open");
                    Socket<?> socket = context.getBean(SocketEndpointRegistry.class)
                        .endpoint("echo")
                        .whenConnected()
                        .get(10, TimeUnit.SECONDS);
                    // the peer never reads: fill the kernel's buffers and ours until
                    // write() stops accepting
                    byte[] chunk = new byte[64 * 1024];
                    int stalled = 0;
                    for (int i = 0; i < 2000 && stalled < 20; i++) {
                        if (socket.write(chunk) == 0) {
                            stalled++;
                            // deliberate pacing, not a wait: "stalled" means 20
                            // refusals 5 ms apart
                            Thread.sleep(5);
                        }
                        else {
                            stalled = 0;
                        }
                    }
                    assertThat(stalled).isEqualTo(20);
                    closing[0] = System.nanoTime();
                });
            Duration shutdown = Duration.ofNanos(System.nanoTime() - closing[0]);
            // ended with writes pending: waited the capped 300ms, not 10s, then
            // terminated
            assertThat(shutdown).isBetween(Duration.ofMillis(250), Duration.ofSeconds(5));
            assertThat(handler[0].count("open")).isEqualTo(1);
            assertThat(handler[0].events().stream().filter((event) -> event.startsWith("close:")).count()).isEqualTo(1);
        }
    }

    @Test
    void unixEndpointShouldConnectOnStartup() throws Exception {
        try (TestServer server = TestServer.unix()) {
            this.contextRunner.withPropertyValues(ECHO + "unix=" + server.path()).run((context) -> {
                TestServer.Peer peer = server.accept();
                context.getBean(EventRecordingHandler.class).await("open");
                ManagedEndpoint endpoint = context.getBean(SocketEndpointRegistry.class).endpoint("echo");
                waitFor(() -> endpoint.state() == EndpointState.CONNECTED, "CONNECTED");
                peer.write("over unix");
                assertThat(context.getBean(EventRecordingHandler.class).await("data:")).isEqualTo("data:over unix");
            });
        }
    }

    @Test
    void endpointWithoutConnectOnStartupShouldNotConnect() throws Exception {
        try (TestServer server = TestServer.tcp()) {
            this.contextRunner
                .withPropertyValues(ECHO + "hostname=127.0.0.1", ECHO + "port=" + server.port(),
                        ECHO + "connect-on-startup=false")
                .run((context) -> {
                    assertThat(context.getBean(SocketEndpointRegistry.class).endpoints()).isEmpty();
                    EventRecordingHandler handler = context.getBean(EventRecordingHandler.class);
                    assertThat(server.acceptedCount()).isZero();
                    assertThat(handler.events()).isEmpty();
                    // the endpoint still connects on demand, by name
                    Socket<Object> socket = context.getBean(SocketConnector.class)
                        .<Object>connect("echo")
                        .get(10, TimeUnit.SECONDS);
                    server.accept();
                    assertThat(socket.endpoint()).isEqualTo("echo");
                    assertThat(handler.await("open")).isEqualTo("open");
                });
        }
    }

    @Test
    void handlerOpenThrowingShouldBackOffWithThatError() throws Exception {
        try (TestServer server = TestServer.tcp()) {
            new ApplicationContextRunner()
                .withConfiguration(
                        AutoConfigurations.of(SslAutoConfiguration.class, SocketConnectorAutoConfiguration.class))
                .withUserConfiguration(FailingOpenConfiguration.class)
                .withPropertyValues(ECHO + "connect-on-startup=true", ECHO + "reconnect.initial-backoff=50ms",
                        ECHO + "hostname=127.0.0.1", ECHO + "port=" + server.port(),
                        ECHO + "handler=failingOpenHandler")
                .run((context) -> {
                    ManagedEndpoint endpoint = context.getBean(SocketEndpointRegistry.class).endpoint("echo");
                    server.accept();
                    waitFor(() -> endpoint.lastError() instanceof IllegalStateException
                            && endpoint.state() != EndpointState.CONNECTED, "backing off after open threw");
                    assertThat(endpoint.lastError()).hasMessage("not today");
                    assertThat(endpoint.socket()).isNull();
                });
        }
    }

    @Test
    void backoffShouldGrowByMultiplierUpToMaxAndSpreadByJitter() {
        SocketConnectorProperties.Endpoint properties = new SocketConnectorProperties.Endpoint();
        SocketConnectorProperties.Reconnect reconnect = properties.getReconnect();
        reconnect.setInitialBackoff(Duration.ofMillis(100));
        reconnect.setMaxBackoff(Duration.ofMillis(1000));
        reconnect.setMultiplier(2.0);
        reconnect.setJitter(0.0);
        ReconnectPolicy policy = policy(properties);
        assertThat(policy.backoff(1, 0.9)).isEqualTo(Duration.ofMillis(100));
        assertThat(policy.backoff(2, 0.9)).isEqualTo(Duration.ofMillis(200));
        assertThat(policy.backoff(4, 0.9)).isEqualTo(Duration.ofMillis(800));
        assertThat(policy.backoff(5, 0.9)).isEqualTo(Duration.ofMillis(1000));
        assertThat(policy.backoff(60, 0.9)).isEqualTo(Duration.ofMillis(1000));
        reconnect.setJitter(0.5);
        policy = policy(properties);
        assertThat(policy.backoff(1, 0.0)).isEqualTo(Duration.ofMillis(50));
        assertThat(policy.backoff(1, 0.5)).isEqualTo(Duration.ofMillis(100));
        assertThat(policy.backoff(2, 0.999)).isBetween(Duration.ofMillis(299), Duration.ofMillis(300));
        // the jitter spreads the capped delay too (a cap below the jitter window would
        // gather a herd there)
        assertThat(policy.backoff(5, 0.999)).isBetween(Duration.ofMillis(1498), Duration.ofMillis(1500));
        assertThat(policy.stableAfter()).isEqualTo(Duration.ofSeconds(10));
        assertThat(policy.offlineBufferSize()).isZero();
    }

    private static ReconnectPolicy policy(SocketConnectorProperties.Endpoint properties) {
        return new EndpointDefinition("x", properties, new SocketHandler<>() {
        }, "x", false, () -> null).policy();
    }

    private static void waitFor(BooleanSupplier condition, String what) {
        Awaitility.await(what)
            .atMost(Duration.ofSeconds(10))
            .pollInterval(Duration.ofMillis(10))
            .until(condition::getAsBoolean);
    }

    @Configuration(proxyBeanMethods = false)
    static class FailingOpenConfiguration {

        @Bean
        SocketHandler<Object> failingOpenHandler() {
            return new SocketHandler<>() {

                @Override
                public void open(Socket<Object> socket) {
                    throw new IllegalStateException("not today");
                }
            };
        }

    }

    @Configuration(proxyBeanMethods = false)
    static class HandlerConfiguration {

        @Bean
        @SocketEndpoint("echo")
        EventRecordingHandler echoHandler() {
            return new EventRecordingHandler();
        }

    }

}
