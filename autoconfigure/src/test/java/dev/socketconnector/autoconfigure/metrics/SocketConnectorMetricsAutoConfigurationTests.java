package dev.socketconnector.autoconfigure.metrics;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.socketconnector.RecordingSocketHandler;
import dev.socketconnector.SocketConnector;
import dev.socketconnector.TcpSocketConnectOptions;
import dev.socketconnector.autoconfigure.SocketConnectorAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SocketConnectorMetricsAutoConfiguration} and
 * {@link SocketConnectorObservationAutoConfiguration}.
 */
class SocketConnectorMetricsAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(SocketConnectorAutoConfiguration.class,
                SocketConnectorMetricsAutoConfiguration.class, SocketConnectorObservationAutoConfiguration.class,
                ObservationAutoConfiguration.class, MetricsAutoConfiguration.class,
                CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class));

    @Test
    void runWithMicrometerBindsMetersAndObservesTheConnector() throws Exception {
        try (PeerServer server = PeerServer.start()) {
            this.contextRunner.run((context) -> {
                assertThat(context).hasSingleBean(SocketConnectorMetrics.class)
                    .hasSingleBean(SocketConnectorObservations.class);
                MeterRegistry registry = context.getBean(MeterRegistry.class);
                // no endpoint="none" series before a socket without an endpoint exists
                assertThat(registry.find(SocketConnectorMetrics.SOCKETS).tag("endpoint", "none").gauges()).isEmpty();

                SocketConnector connector = context.getBean(SocketConnector.class);
                connector
                    .connect(TcpSocketConnectOptions.builder()
                        .hostname("127.0.0.1")
                        .port(server.port())
                        .socket(new RecordingSocketHandler<>())
                        .build())
                    .get(10, TimeUnit.SECONDS);
                server.accept();

                assertThat(registry.get(SocketConnectorMetrics.CONNECT)
                    .tags("endpoint", "none", "outcome", "success", "tls", "false")
                    .timer()
                    .count()).isEqualTo(1);
                assertThat(registry.get(SocketConnectorMetrics.SOCKETS)
                    .tags("endpoint", "none", "state", "open")
                    .gauge()
                    .value()).isEqualTo(1);
                // the connect is measured once: Boot's meter observation handler would
                // also turn the connect
                // observation into a timer (and a long task timer) of its own name; the
                // filter keeps them out
                assertThat(registry.find(SocketConnectorObservations.CONNECT).meters()).isEmpty();
                assertThat(registry.find(SocketConnectorObservations.CONNECT + ".active").meters()).isEmpty();
                assertThat(registry.getMeters()).allSatisfy((meter) -> assertThat(meter.getId().getName())
                    .doesNotStartWith(SocketConnectorObservations.NAME_PREFIX));
            });
        }
    }

    @Test
    void runWhenMetersAndObservationsDisabledByPropertyShouldRecordNothing() throws Exception {
        try (PeerServer server = PeerServer.start()) {
            this.contextRunner
                .withPropertyValues("management.metrics.enable.socket.connector=false",
                        "management.observations.enable.socket.connector=false")
                .run((context) -> {
                    context.getBean(SocketConnector.class)
                        .connect(TcpSocketConnectOptions.builder()
                            .hostname("127.0.0.1")
                            .port(server.port())
                            .socket(new RecordingSocketHandler<>())
                            .build())
                        .get(10, TimeUnit.SECONDS);
                    server.accept();
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    assertThat(registry.find(SocketConnectorMetrics.SOCKETS).meters()).isEmpty();
                    assertThat(registry.find(SocketConnectorMetrics.CONNECT).meters()).isEmpty();
                    assertThat(registry.find(SocketConnectorObservations.CONNECT).meters()).isEmpty();
                });
        }
    }

    @Test
    void runWhenMicrometerMissingShouldNotCreateMetersOrObservations() {
        this.contextRunner.withClassLoader(new FilteredClassLoader("io.micrometer")).run((context) -> {
            assertThat(context).hasNotFailed()
                .hasSingleBean(SocketConnector.class)
                .doesNotHaveBean(SocketConnectorMetrics.class)
                .doesNotHaveBean(SocketConnectorObservations.class);
        });
    }

    @Test
    void runWithoutMeterRegistryShouldNotCreateMeters() {
        new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SocketConnectorAutoConfiguration.class,
                    SocketConnectorMetricsAutoConfiguration.class, SocketConnectorObservationAutoConfiguration.class))
            .run((context) -> assertThat(context).hasNotFailed()
                .hasSingleBean(SocketConnector.class)
                .doesNotHaveBean(MeterBinder.class)
                .doesNotHaveBean(ObservationRegistry.class)
                .doesNotHaveBean(SocketConnectorObservations.class));
    }

    @Test
    void runWithoutConnectorShouldNotCreateMeters() {
        this.contextRunner.withClassLoader(new FilteredClassLoader(SocketConnector.class))
            .run((context) -> assertThat(context).hasNotFailed()
                .doesNotHaveBean(SocketConnectorMetrics.class)
                .doesNotHaveBean(SocketConnectorObservations.class));
    }

    @Test
    void runWithUserMetricsShouldBackOff() {
        this.contextRunner.withUserConfiguration(UserMetrics.class).run((context) -> {
            assertThat(context).hasSingleBean(SocketConnectorMetrics.class);
            assertThat(context.getBean(SocketConnectorMetrics.class)).isSameAs(context.getBean("userMetrics"));
        });
    }

    @Test
    void runWithUserConnectorCountsItsSocketsButHasNoObserverForTimers() throws Exception {
        try (PeerServer server = PeerServer.start()) {
            this.contextRunner.withUserConfiguration(UserConnector.class).run((context) -> {
                SocketConnector connector = context.getBean(SocketConnector.class);
                assertThat(connector).isSameAs(context.getBean("userConnector"));
                connector
                    .connect(TcpSocketConnectOptions.builder()
                        .hostname("127.0.0.1")
                        .port(server.port())
                        .socket(new RecordingSocketHandler<>())
                        .build())
                    .get(10, TimeUnit.SECONDS);
                server.accept();
                MeterRegistry registry = context.getBean(MeterRegistry.class);
                assertThat(registry.get(SocketConnectorMetrics.SOCKETS)
                    .tags("endpoint", "none", "state", "open")
                    .gauge()
                    .value()).isEqualTo(1);
                assertThat(registry.find(SocketConnectorMetrics.CONNECT).meters()).isEmpty();
            });
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserConnector {

        @Bean(destroyMethod = "close")
        SocketConnector userConnector() {
            return SocketConnector.create();
        }

    }

    @Configuration(proxyBeanMethods = false)
    static class UserMetrics {

        @Bean
        SocketConnectorMetrics userMetrics() {
            return new SocketConnectorMetrics(() -> null, Map::of);
        }

    }

}
