package dev.socketconnector.autoconfigure;

import java.util.Map;

import dev.socketconnector.SocketConnector;
import dev.socketconnector.autoconfigure.SocketEndpointConnectionDetails.Address;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that a {@link SocketEndpointConnectionDetails} bean supplies endpoint addresses
 * instead of the properties, and that the properties are used as they are without one.
 */
class SocketEndpointConnectionDetailsTests {

    private static final String ECHO = "socket.connector.endpoints.echo.";

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, SocketConnectorAutoConfiguration.class))
        .withUserConfiguration(HandlerConfiguration.class);

    @Test
    void withoutConnectionDetailsThePropertiesAreUsed() {
        this.contextRunner.withPropertyValues(ECHO + "hostname=127.0.0.1", ECHO + "port=7001")
            .run((context) -> assertThat(target(context.getBean(SocketConnector.class))).isEqualTo("127.0.0.1:7001"));
    }

    @Test
    void connectionDetailsReplaceTheConfiguredAddress() {
        this.contextRunner.withPropertyValues(ECHO + "hostname=backend.internal", ECHO + "port=7001")
            .withBean(SocketEndpointConnectionDetails.class, () -> () -> Map.of("echo", Address.tcp("127.0.0.1", 7002)))
            .run((context) -> assertThat(target(context.getBean(SocketConnector.class))).isEqualTo("127.0.0.1:7002"));
    }

    @Test
    void connectionDetailsAloneDefineTheEndpoint() {
        this.contextRunner
            .withBean(SocketEndpointConnectionDetails.class, () -> () -> Map.of("echo", Address.unix("/tmp/echo.sock")))
            .run((context) -> assertThat(target(context.getBean(SocketConnector.class))).isEqualTo("/tmp/echo.sock"));
    }

    @Test
    void connectionDetailsNameTheSslBundle() {
        this.contextRunner.withPropertyValues(ECHO + "hostname=127.0.0.1", ECHO + "port=7001")
            .withBean(SocketEndpointConnectionDetails.class,
                    () -> () -> Map.of("echo", Address.tcp("127.0.0.1", 7003).withSslBundle("missing")))
            .run((context) -> {
                // the bundle is taken from the details: it does not exist, so startup
                // names it
                assertThat(context).hasFailed();
                assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("missing");
            });
    }

    private static String target(SocketConnector connector) {
        return connector.endpoints().get("echo").target();
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
