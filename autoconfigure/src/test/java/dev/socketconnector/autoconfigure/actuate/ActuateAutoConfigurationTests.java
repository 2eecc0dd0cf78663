package dev.socketconnector.autoconfigure.actuate;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;

import dev.socketconnector.RecordingSocketHandler;
import dev.socketconnector.SocketConnector;
import dev.socketconnector.autoconfigure.SocketConnectorAutoConfiguration;
import dev.socketconnector.autoconfigure.metrics.SocketConnectorMetrics;
import dev.socketconnector.autoconfigure.metrics.SocketConnectorMetricsAutoConfiguration;
import dev.socketconnector.autoconfigure.metrics.SocketConnectorObservationAutoConfiguration;
import dev.socketconnector.autoconfigure.metrics.SocketConnectorObservations;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link SocketsEndpointAutoConfiguration} and
 * {@link SocketConnectorHealthContributorAutoConfiguration}: what is created with and
 * without Actuator, health and Micrometer on the class path.
 */
class ActuateAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(SocketConnectorAutoConfiguration.class,
                SocketsEndpointAutoConfiguration.class, SocketConnectorHealthContributorAutoConfiguration.class,
                SocketConnectorMetricsAutoConfiguration.class, SocketConnectorObservationAutoConfiguration.class,
                EndpointAutoConfiguration.class, WebEndpointAutoConfiguration.class,
                HealthContributorAutoConfiguration.class, ObservationAutoConfiguration.class,
                MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
                SimpleMetricsExportAutoConfiguration.class));

    @Test
    void runWhenEndpointExposedShouldCreateEndpointAndWebExtension() {
        this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=sockets")
            .run((context) -> assertThat(context).hasSingleBean(SocketsEndpoint.class)
                .hasSingleBean(SocketsEndpointWebExtension.class));
    }

    @Test
    void runWhenEndpointNotExposedShouldNotCreateEndpoint() {
        this.contextRunner.run((context) -> assertThat(context).hasNotFailed()
            .doesNotHaveBean(SocketsEndpoint.class)
            .doesNotHaveBean(SocketsEndpointWebExtension.class));
    }

    @Test
    void runWhenEndpointAccessNoneShouldNotCreateEndpoint() {
        this.contextRunner
            .withPropertyValues("management.endpoints.web.exposure.include=sockets",
                    "management.endpoint.sockets.access=NONE")
            .run((context) -> assertThat(context).doesNotHaveBean(SocketsEndpoint.class));
    }

    @Test
    void runShouldCreateHealthIndicatorUpWithoutManagedEndpoints() {
        this.contextRunner.run((context) -> {
            assertThat(context).hasSingleBean(SocketConnectorHealthIndicator.class)
                .hasBean("socketConnectorHealthIndicator");
            Health health = context.getBean(SocketConnectorHealthIndicator.class).health(true);
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).isEmpty();
        });
    }

    @Test
    void runWhenHealthIndicatorDisabledShouldNotCreateIt() {
        this.contextRunner.withPropertyValues("management.health.socketconnector.enabled=false")
            .run((context) -> assertThat(context).doesNotHaveBean(SocketConnectorHealthIndicator.class));
    }

    @Test
    void runWhenUserDefinesHealthIndicatorShouldBackOff() {
        this.contextRunner.withUserConfiguration(UserHealth.class).run((context) -> {
            assertThat(context).doesNotHaveBean(SocketConnectorHealthIndicator.class);
            assertThat(context).hasBean("socketConnectorHealthIndicator");
        });
    }

    @Test
    void healthIsDownWithDetailsWhileManagedEndpointCannotConnect() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        String backend = "socket.connector.endpoints.backend.";
        this.contextRunner.withUserConfiguration(Handler.class)
            .withPropertyValues(backend + "hostname=127.0.0.1", backend + "port=" + closedPort,
                    backend + "handler=backendHandler", backend + "connect-on-startup=true",
                    backend + "reconnect.initial-backoff=5s", backend + "reconnect.jitter=0")
            .run((context) -> {
                SocketConnectorHealthIndicator indicator = context.getBean(SocketConnectorHealthIndicator.class);
                await().atMost(Duration.ofSeconds(10))
                    .until(() -> indicator.health(true).getDetails().toString().contains("ECONNREFUSED"));
                Health health = indicator.health(true);
                assertThat(health.getStatus()).isEqualTo(Status.DOWN);
                assertThat(health.getDetails()).containsOnlyKeys("endpoints");
                assertThat(health.getDetails().get("endpoints")).asString()
                    .contains("backend")
                    .contains("state=BACKING_OFF")
                    .contains("lastError=SocketConnectException: connect ECONNREFUSED 127.0.0.1:" + closedPort)
                    .contains("nextAttempt=");
            });
    }

    @Test
    void runWithoutActuatorHealthOrMicrometerShouldBackOffCleanly() {
        ourAutoConfigurationsOnly()
            .withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate",
                    "org.springframework.boot.health", "org.springframework.boot.micrometer", "io.micrometer"))
            .withPropertyValues("management.endpoints.web.exposure.include=*")
            .run((context) -> assertThat(context).hasNotFailed()
                .hasSingleBean(SocketConnector.class)
                .doesNotHaveBean(SocketsEndpoint.class)
                .doesNotHaveBean(SocketConnectorHealthIndicator.class)
                .doesNotHaveBean(SocketConnectorMetrics.class)
                .doesNotHaveBean(SocketConnectorObservations.class));
    }

    @Test
    void runWithoutActuatorShouldKeepMetersButNoEndpoint() {
        ourAutoConfigurationsOnly()
            .withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class, MetricsAutoConfiguration.class,
                    CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class))
            .withClassLoader(
                    new FilteredClassLoader("org.springframework.boot.actuate", "org.springframework.boot.health"))
            .withPropertyValues("management.endpoints.web.exposure.include=*")
            .run((context) -> assertThat(context).hasNotFailed()
                .doesNotHaveBean(SocketsEndpoint.class)
                .doesNotHaveBean(SocketConnectorHealthIndicator.class)
                .hasSingleBean(SocketConnectorMetrics.class));
    }

    /**
     * A runner with only socket-connector's auto-configurations: Boot's own would fail on
     * the hidden classes.
     */
    private static ApplicationContextRunner ourAutoConfigurationsOnly() {
        return new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SocketConnectorAutoConfiguration.class,
                    SocketsEndpointAutoConfiguration.class, SocketConnectorHealthContributorAutoConfiguration.class,
                    SocketConnectorMetricsAutoConfiguration.class, SocketConnectorObservationAutoConfiguration.class));
    }

    @Configuration(proxyBeanMethods = false)
    static class UserHealth {

        @Bean
        HealthIndicator socketConnectorHealthIndicator() {
            return () -> Health.up().build();
        }

    }

    @Configuration(proxyBeanMethods = false)
    static class Handler {

        @Bean
        RecordingSocketHandler<Object> backendHandler() {
            return new RecordingSocketHandler<>();
        }

    }

}
