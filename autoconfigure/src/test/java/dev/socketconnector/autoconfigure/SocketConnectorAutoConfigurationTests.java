package dev.socketconnector.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import dev.socketconnector.ManagedEndpoint;
import dev.socketconnector.SocketConnectOptions;
import dev.socketconnector.SocketConnector;
import dev.socketconnector.SocketConnectorBuilder;
import dev.socketconnector.SocketHandler;
import dev.socketconnector.TcpSocketConnectOptions;
import dev.socketconnector.TlsProvider;
import dev.socketconnector.Transport;
import dev.socketconnector.UnixSocketOptions;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SocketConnectorAutoConfiguration}: conditions, customizers, property
 * binding and endpoint registration. No connections are made here.
 */
class SocketConnectorAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, SocketConnectorAutoConfiguration.class));

    @Test
    void runWithoutPropertiesShouldCreateConnectorRegistryAndLifecycle() {
        this.contextRunner.run((context) -> {
            assertThat(context).hasNotFailed();
            assertThat(context).hasSingleBean(SocketConnector.class);
            assertThat(context).hasSingleBean(SocketEndpointRegistry.class);
            assertThat(context).hasSingleBean(SocketConnectorLifecycle.class);
            SocketConnector connector = context.getBean(SocketConnector.class);
            assertThat(connector.isClosed()).isFalse();
            assertThat(connector.endpoints()).isEmpty();
            assertThat(context.getBean(SocketEndpointRegistry.class).endpoints()).isEmpty();
        });
    }

    @Test
    void runWithUserConnectorShouldBackOff() {
        this.contextRunner.withUserConfiguration(UserConnectorConfiguration.class).run((context) -> {
            assertThat(context).hasSingleBean(SocketConnector.class);
            assertThat(context.getBean(SocketConnector.class))
                .isSameAs(context.getBean(UserConnectorConfiguration.class).connector);
        });
    }

    @Test
    void runWithUserRegistryShouldBackOff() {
        this.contextRunner.withUserConfiguration(UserRegistryConfiguration.class).run((context) -> {
            assertThat(context).hasSingleBean(SocketEndpointRegistry.class);
            assertThat(context).doesNotHaveBean(ManagedSocketEndpoints.class);
            assertThat(context).hasSingleBean(SocketConnectorLifecycle.class);
        });
    }

    @Test
    void closeContextShouldCloseConnector() {
        SocketConnector[] connector = new SocketConnector[1];
        this.contextRunner.run((context) -> connector[0] = context.getBean(SocketConnector.class));
        assertThat(connector[0].isClosed()).isTrue();
    }

    @Test
    void customizersShouldRunInOrderAfterProperties() {
        this.contextRunner.withUserConfiguration(HandlerConfiguration.class, CustomizerConfiguration.class)
            .withPropertyValues("socket.connector.endpoints.echo.hostname=127.0.0.1",
                    "socket.connector.endpoints.echo.port=7", "socket.connector.endpoints.echo.handler=echoHandler")
            .run((context) -> {
                assertThat(context).hasNotFailed();
                List<String> calls = context.getBean(CustomizerConfiguration.class).calls;
                // "second" has @Order(1), "first" @Order(0); the endpoint from the
                // properties was already
                // registered when they ran, so re-registering it failed
                assertThat(calls).containsExactly("first:endpoint echo is already defined",
                        "second:endpoint echo is already defined");
                assertThat(context.getBean(SocketConnector.class).endpoints()).containsOnlyKeys("echo", "extra");
            });
    }

    @Test
    void propertyDefaultsShouldEqualBuilderDefaults() {
        SocketConnectorProperties properties = new SocketConnectorProperties();
        assertThat(properties.getTransport()).isEqualTo(Transport.AUTO);
        assertThat(properties.getEventLoopThreads()).isZero();
        assertThat(properties.getConnectTimeout()).isEqualTo(SocketConnectorBuilder.DEFAULT_CONNECT_TIMEOUT);
        assertThat(properties.getShutdownTimeout()).isEqualTo(SocketConnectorBuilder.DEFAULT_SHUTDOWN_TIMEOUT);
        assertThat(properties.isNoDelay()).isEqualTo(SocketConnectorBuilder.DEFAULT_NO_DELAY);
        assertThat(properties.isAllowHalfOpen()).isFalse();
        assertThat(properties.getKeepAlive().isEnabled()).isFalse();
        assertThat(properties.getKeepAlive().getInitialDelay()).isEqualTo(Duration.ZERO);
        assertThat(properties.getWriteBuffer().getLowWaterMark().toBytes())
            .isEqualTo(SocketConnectorBuilder.DEFAULT_WRITE_BUFFER_LOW_WATER_MARK);
        assertThat(properties.getWriteBuffer().getHighWaterMark().toBytes())
            .isEqualTo(SocketConnectorBuilder.DEFAULT_WRITE_BUFFER_HIGH_WATER_MARK);
        SocketConnectorProperties.Tls tls = properties.getTls();
        assertThat(tls.getEnabled()).isNull();
        assertThat(tls.getBundle()).isNull();
        assertThat(tls.getProvider()).isNull();
        assertThat(tls.getRejectUnauthorized()).isNull();
        SocketConnectorProperties.Reconnect reconnect = new SocketConnectorProperties.Endpoint().getReconnect();
        assertThat(reconnect.isEnabled()).isTrue();
        assertThat(reconnect.getInitialBackoff()).isEqualTo(Duration.ofSeconds(1));
        assertThat(reconnect.getMaxBackoff()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void propertiesShouldBindWithRelaxedNamesAndUnits() {
        this.contextRunner
            .withPropertyValues("socket.connector.transport=nio", "socket.connector.event-loop-threads=2",
                    "socket.connector.connect-timeout=750ms", "socket.connector.shutdown-timeout=3s",
                    "socket.connector.no-delay=false", "socket.connector.allow-half-open=true",
                    "socket.connector.keep-alive.enabled=true", "socket.connector.keep-alive.initial-delay=30s",
                    "socket.connector.write-buffer.low-water-mark=64KB",
                    "socket.connector.write-buffer.high-water-mark=2MB", "socket.connector.tls.provider=jdk",
                    "socket.connector.tls.min-version=TLSv1.3", "socket.connector.tls.alpn=h2,http/1.1",
                    "socket.connector.tls.server-name=example.test", "socket.connector.tls.reject-unauthorized=false")
            .run((context) -> {
                assertThat(context).hasNotFailed();
                SocketConnectorProperties properties = context.getBean(SocketConnectorProperties.class);
                assertThat(properties.getTransport()).isEqualTo(Transport.NIO);
                assertThat(properties.getEventLoopThreads()).isEqualTo(2);
                assertThat(properties.getConnectTimeout()).isEqualTo(Duration.ofMillis(750));
                assertThat(properties.getShutdownTimeout()).isEqualTo(Duration.ofSeconds(3));
                assertThat(properties.isNoDelay()).isFalse();
                assertThat(properties.getKeepAlive().getInitialDelay()).isEqualTo(Duration.ofSeconds(30));
                assertThat(properties.getWriteBuffer().getLowWaterMark()).isEqualTo(DataSize.ofKilobytes(64));
                assertThat(properties.getWriteBuffer().getHighWaterMark()).isEqualTo(DataSize.ofMegabytes(2));
                var tls = context.getBean(SocketConnectorConfigurer.class).tlsDefaults();
                assertThat(tls.provider()).isEqualTo(TlsProvider.JDK);
                assertThat(tls.minVersion()).isEqualTo("TLSv1.3");
                assertThat(tls.alpnProtocols()).containsExactly("h2", "http/1.1");
                assertThat(tls.serverName()).isEqualTo("example.test");
                assertThat(tls.rejectUnauthorized()).isFalse();
            });
    }

    @Test
    void endpointsShouldBeRegisteredWithTheirHandlers() {
        this.contextRunner.withUserConfiguration(HandlerConfiguration.class, AnnotatedHandlerConfiguration.class)
            .withPropertyValues("socket.connector.allow-half-open=true",
                    "socket.connector.endpoints.echo.hostname=127.0.0.1", "socket.connector.endpoints.echo.port=7",
                    "socket.connector.endpoints.echo.handler=echoHandler",
                    "socket.connector.endpoints.echo.tls.enabled=true",
                    "socket.connector.endpoints.local.unix=/tmp/sc-autoconfigure-test.sock",
                    "socket.connector.endpoints.local.allow-half-open=false")
            .run((context) -> {
                assertThat(context).hasNotFailed();
                var endpoints = context.getBean(SocketConnector.class).endpoints();
                assertThat(endpoints).containsOnlyKeys("echo", "local");
                SocketConnectOptions<?> echo = endpoints.get("echo");
                assertThat(echo).isInstanceOf(TcpSocketConnectOptions.class);
                assertThat(echo.target()).isEqualTo("127.0.0.1:7");
                assertThat(echo.socket()).isSameAs(context.getBean("echoHandler"));
                assertThat(echo.allowHalfOpen()).isTrue();
                assertThat(echo.tls()).isNotNull();
                SocketConnectOptions<?> local = endpoints.get("local");
                assertThat(local).isInstanceOf(UnixSocketOptions.class);
                assertThat(local.target()).isEqualTo("/tmp/sc-autoconfigure-test.sock");
                assertThat(local.socket()).isSameAs(context.getBean("localHandler"));
                assertThat(local.allowHalfOpen()).isFalse();
                assertThat(local.tls()).isNull();
                // only connect-on-startup endpoints are managed
                assertThat(context.getBean(SocketEndpointRegistry.class).endpoints()).isEmpty();
            });
    }

    @Test
    void lifecycleShutdownTimeoutShouldBeCappedByShutdownPhaseTimeout() {
        this.contextRunner
            .withPropertyValues("socket.connector.shutdown-timeout=20s",
                    "spring.lifecycle.timeout-per-shutdown-phase=2s")
            .run((context) -> assertThat(context.getBean(SocketConnectorLifecycle.class).shutdownTimeout())
                .isEqualTo(Duration.ofSeconds(2)));
        this.contextRunner.withPropertyValues("socket.connector.shutdown-timeout=3s")
            .run((context) -> assertThat(context.getBean(SocketConnectorLifecycle.class).shutdownTimeout())
                .isEqualTo(Duration.ofSeconds(3)));
    }

    @Test
    void connectorShouldStillBeOpenWhileWebServerPhaseStops() {
        AtomicReference<Boolean> closedDuringWebServerStop = new AtomicReference<>();
        AtomicReference<SocketConnector> connector = new AtomicReference<>();
        this.contextRunner.withBean("webServerLike", SmartLifecycle.class, () -> new SmartLifecycle() {

            private volatile boolean running;

            @Override
            public void start() {
                this.running = true;
            }

            @Override
            public void stop() {
                this.running = false;
                closedDuringWebServerStop.set(connector.get().isClosed());
            }

            @Override
            public boolean isRunning() {
                return this.running;
            }

            @Override
            public int getPhase() {
                // WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE
                return SmartLifecycle.DEFAULT_PHASE - 1024;
            }
        }).run((context) -> connector.set(context.getBean(SocketConnector.class)));
        assertThat(closedDuringWebServerStop.get()).isFalse();
        assertThat(connector.get().isClosed()).isTrue();
    }

    @Test
    void runWithoutActuatorMicrometerOrHealthShouldStillCreateConnector() {
        // the core auto-configuration must not touch the optional modules (metrics and
        // actuator back off in
        // their own auto-configurations, tested with them)
        this.contextRunner
            .withClassLoader(new FilteredClassLoader("io.micrometer", "org.springframework.boot.actuate",
                    "org.springframework.boot.health", "org.springframework.boot.micrometer"))
            .withUserConfiguration(HandlerConfiguration.class)
            .withPropertyValues("socket.connector.endpoints.echo.hostname=127.0.0.1",
                    "socket.connector.endpoints.echo.port=7", "socket.connector.endpoints.echo.handler=echoHandler",
                    "socket.connector.endpoints.echo.connect-on-startup=true",
                    "socket.connector.endpoints.echo.reconnect.enabled=false")
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(context).hasSingleBean(SocketConnector.class);
                assertThat(context.getBean(SocketEndpointRegistry.class).endpoints()).containsOnlyKeys("echo");
            });
    }

    @Configuration(proxyBeanMethods = false)
    static class UserConnectorConfiguration {

        final SocketConnector connector = SocketConnector.builder().build();

        @Bean
        SocketConnector myConnector() {
            return this.connector;
        }

    }

    @Configuration(proxyBeanMethods = false)
    static class UserRegistryConfiguration {

        @Bean
        SocketEndpointRegistry myRegistry() {
            return new SocketEndpointRegistry() {

                @Override
                public java.util.Map<String, ManagedEndpoint> endpoints() {
                    return java.util.Map.of();
                }

                @Override
                public ManagedEndpoint endpoint(String name) {
                    return null;
                }
            };
        }

    }

    @Configuration(proxyBeanMethods = false)
    static class HandlerConfiguration {

        @Bean
        EventRecordingHandler echoHandler() {
            return new EventRecordingHandler();
        }

    }

    @Configuration(proxyBeanMethods = false)
    static class AnnotatedHandlerConfiguration {

        @Bean
        LocalHandler localHandler() {
            return new LocalHandler();
        }

    }

    @SocketEndpoint("local")
    static class LocalHandler implements SocketHandler<Object> {

    }

    @Configuration(proxyBeanMethods = false)
    static class CustomizerConfiguration {

        final List<String> calls = new CopyOnWriteArrayList<>();

        @Bean
        @Order(1)
        SocketConnectorBuilderCustomizer second(EventRecordingHandler echoHandler) {
            return (builder) -> {
                this.calls.add("second:" + registerAgain(builder, echoHandler));
                builder.endpoint("extra",
                        TcpSocketConnectOptions.builder().hostname("127.0.0.1").port(9).socket(echoHandler).build());
            };
        }

        @Bean
        @Order(0)
        SocketConnectorBuilderCustomizer first(EventRecordingHandler echoHandler) {
            return (builder) -> this.calls.add("first:" + registerAgain(builder, echoHandler));
        }

        private static String registerAgain(SocketConnectorBuilder builder, EventRecordingHandler handler) {
            try {
                builder.endpoint("echo",
                        TcpSocketConnectOptions.builder().hostname("127.0.0.1").port(8).socket(handler).build());
                return "registered";
            }
            catch (IllegalArgumentException ex) {
                return ex.getMessage().replace("'", "");
            }
        }

    }

}
