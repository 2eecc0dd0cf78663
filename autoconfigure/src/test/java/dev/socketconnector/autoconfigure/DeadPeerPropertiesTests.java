package dev.socketconnector.autoconfigure;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import dev.socketconnector.Await;
import dev.socketconnector.EndpointState;
import dev.socketconnector.KeepAliveOptions;
import dev.socketconnector.ManagedEndpoint;
import dev.socketconnector.SocketConnectOptions;
import dev.socketconnector.SocketConnector;
import dev.socketconnector.SocketTransportException;
import dev.socketconnector.TestServer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static dev.socketconnector.autoconfigure.InvalidPropertyAssertions.failsWith;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The properties that notice a dead peer: {@code keep-alive.idle/interval/count/
 * user-timeout}, {@code read-idle-timeout} (connector-wide and per endpoint) and an
 * endpoint's {@code heartbeat.interval/payload}: how they bind and map onto the core
 * options, how invalid values fail startup (naming the key and the allowed values), and a
 * connect-on-startup endpoint that reconnects after a read-idle close.
 */
class DeadPeerPropertiesTests {

    private static final String ECHO = "socket.connector.endpoints.echo.";

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, SocketConnectorAutoConfiguration.class))
        .withUserConfiguration(HandlerConfiguration.class);

    @Test
    void defaultsEqualTheBuilders() {
        SocketConnectorProperties properties = new SocketConnectorProperties();
        assertThat(SocketConnectorConfigurer.keepAlive(properties.getKeepAlive())).isEqualTo(KeepAliveOptions.DISABLED);
        assertThat(properties.getReadIdleTimeout()).isZero();
        SocketConnectorProperties.Endpoint endpoint = new SocketConnectorProperties.Endpoint();
        assertThat(endpoint.getReadIdleTimeout()).isNull();
        assertThat(endpoint.getHeartbeat().getInterval()).isNull();
        assertThat(endpoint.getHeartbeat().getPayload()).isNull();
    }

    @Test
    void propertiesBindAndMapOntoTheOptions() {
        this.contextRunner
            .withPropertyValues("socket.connector.keep-alive.enabled=true", "socket.connector.keep-alive.idle=30",
                    "socket.connector.keep-alive.interval=5s", "socket.connector.keep-alive.count=3",
                    "socket.connector.read-idle-timeout=45s", ECHO + "hostname=127.0.0.1", ECHO + "port=7",
                    ECHO + "heartbeat.interval=10s", ECHO + "heartbeat.payload=PING\u00e9",
                    "socket.connector.endpoints.quiet.hostname=127.0.0.1", "socket.connector.endpoints.quiet.port=8",
                    "socket.connector.endpoints.quiet.handler=echoHandler",
                    "socket.connector.endpoints.quiet.read-idle-timeout=0")
            .run((context) -> {
                assertThat(context).hasNotFailed();
                SocketConnectorProperties properties = context.getBean(SocketConnectorProperties.class);
                assertThat(SocketConnectorConfigurer.keepAlive(properties.getKeepAlive()))
                    .isEqualTo(KeepAliveOptions.builder()
                        .enabled(true)
                        .idle(Duration.ofSeconds(30))
                        .interval(Duration.ofSeconds(5))
                        .count(3)
                        .build());
                assertThat(properties.getReadIdleTimeout()).isEqualTo(Duration.ofSeconds(45));
                SocketConnectOptions<?> echo = context.getBean(SocketConnector.class).endpoints().get("echo");
                assertThat(echo.readIdleTimeout()).as("the connector's default applies").isNull();
                assertThat(echo.heartbeatInterval()).isEqualTo(Duration.ofSeconds(10));
                assertThat(echo.heartbeatPayload()).isEqualTo("PING\u00e9".getBytes(StandardCharsets.UTF_8));
                SocketConnectOptions<?> quiet = context.getBean(SocketConnector.class).endpoints().get("quiet");
                assertThat(quiet.readIdleTimeout()).isZero();
                assertThat(quiet.heartbeatInterval()).isNull();
            });
    }

    @Test
    void initialDelayStillSetsTheIdleTime() {
        SocketConnectorProperties.KeepAlive keepAlive = new SocketConnectorProperties.KeepAlive();
        keepAlive.setEnabled(true);
        keepAlive.setInitialDelay(Duration.ofMillis(7900));
        assertThat(SocketConnectorConfigurer.keepAlive(keepAlive).idle()).isEqualTo(Duration.ofSeconds(7));
        keepAlive.setIdle(Duration.ofSeconds(9));
        assertThat(SocketConnectorConfigurer.keepAlive(keepAlive).idle()).as("idle wins")
            .isEqualTo(Duration.ofSeconds(9));
    }

    @Test
    void invalidKeepAliveValuesFailNamingTheKey() {
        this.contextRunner.withPropertyValues("socket.connector.keep-alive.idle=1500ms")
            .run(failsWith("socket.connector.keep-alive.idle", "whole seconds", "from 1s to 32767s"));
        this.contextRunner.withPropertyValues("socket.connector.keep-alive.interval=0")
            .run(failsWith("socket.connector.keep-alive.interval", "whole seconds", "from 1s to 32767s"));
        this.contextRunner.withPropertyValues("socket.connector.keep-alive.count=0")
            .run(failsWith("socket.connector.keep-alive.count", "out of range", "from 1 to 127"));
        this.contextRunner.withPropertyValues("socket.connector.keep-alive.user-timeout=-1s")
            .run(failsWith("socket.connector.keep-alive.user-timeout", "out of range", "0 (the kernel's default)"));
    }

    @Test
    void userTimeoutOnNioFailsStartupNamingTheKeyAndTheAlternative() {
        this.contextRunner
            .withPropertyValues("socket.connector.transport=nio", "socket.connector.keep-alive.user-timeout=5s",
                    ECHO + "hostname=127.0.0.1", ECHO + "port=7")
            .run(failsWith("socket.connector.keep-alive.user-timeout", "NIO", "read-idle-timeout"));
    }

    @Test
    void invalidReadIdleTimeoutAndHeartbeatFailNamingTheKey() {
        this.contextRunner.withPropertyValues("socket.connector.read-idle-timeout=-1s")
            .run(failsWith("socket.connector.read-idle-timeout", "out of range", "0 (none)"));
        this.contextRunner
            .withPropertyValues(ECHO + "hostname=127.0.0.1", ECHO + "port=7", ECHO + "read-idle-timeout=-5s")
            .run(failsWith(ECHO + "read-idle-timeout", "out of range", "0 (none)"));
        this.contextRunner
            .withPropertyValues(ECHO + "hostname=127.0.0.1", ECHO + "port=7", ECHO + "heartbeat.interval=1s")
            .run(failsWith(ECHO + "heartbeat.payload", "needs a payload", "at least one character"));
        this.contextRunner
            .withPropertyValues(ECHO + "hostname=127.0.0.1", ECHO + "port=7", ECHO + "heartbeat.payload=PING")
            .run(failsWith(ECHO + "heartbeat.interval", "without an interval", ECHO + "heartbeat.interval"));
        this.contextRunner
            .withPropertyValues(ECHO + "hostname=127.0.0.1", ECHO + "port=7", ECHO + "heartbeat.interval=-1s",
                    ECHO + "heartbeat.payload=PING")
            .run(failsWith(ECHO + "heartbeat.interval", "out of range", "0 (none)"));
    }

    @Test
    void connectOnStartupEndpointReconnectsAfterAReadIdleClose() throws Exception {
        try (TestServer server = TestServer.tcp()) {
            this.contextRunner
                .withPropertyValues(ECHO + "hostname=127.0.0.1", ECHO + "port=" + server.port(),
                        ECHO + "connect-on-startup=true", ECHO + "reconnect.initial-backoff=50ms",
                        ECHO + "reconnect.max-backoff=100ms", "socket.connector.read-idle-timeout=300ms")
                .run((context) -> {
                    assertThat(context).hasNotFailed();
                    ManagedEndpoint endpoint = context.getBean(SocketEndpointRegistry.class).endpoint("echo");
                    server.accept();
                    Await.until("an idle close and a reconnect", Duration.ofSeconds(5),
                            () -> endpoint.reconnects() >= 1 && endpoint.state() == EndpointState.CONNECTED);
                    assertThat(server.acceptedCount()).isGreaterThanOrEqualTo(2);
                    EventRecordingHandler handler = context.getBean(EventRecordingHandler.class);
                    assertThat(handler.await("close:"))
                        .isEqualTo("close:" + SocketTransportException.class.getSimpleName());
                });
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
