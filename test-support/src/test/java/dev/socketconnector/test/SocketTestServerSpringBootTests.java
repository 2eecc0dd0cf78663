package dev.socketconnector.test;

import java.time.Duration;

import dev.socketconnector.SocketHandler;
import dev.socketconnector.autoconfigure.ManagedEndpoint;
import dev.socketconnector.autoconfigure.SocketEndpoint;
import dev.socketconnector.autoconfigure.SocketEndpointConnectionDetails;
import dev.socketconnector.autoconfigure.SocketEndpointRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's example: a {@code @SpringBootTest} whose endpoint address comes from a
 * {@link SocketEndpointConnectionDetails} bean pointing at a {@link SocketTestServer}, not from properties;
 * the endpoint connects, and reconnects after the server drops it.
 */
@SpringBootTest(properties = "socket.connector.endpoints.backend.connect-on-startup=true")
class SocketTestServerSpringBootTests {

    @RegisterExtension
    static SocketTestServer server = SocketTestServer.echo();

    @Autowired
    SocketEndpointRegistry endpoints;

    @Test
    void endpointConnectsToTheTestServerAndReconnectsAfterADrop() {
        ManagedEndpoint backend = SocketEndpoints.awaitConnected(this.endpoints, "backend", Duration.ofSeconds(10));
        assertThat(backend.socket().remotePort()).isEqualTo(server.port());

        server.dropConnections();
        server.awaitAcceptedConnections(2, Duration.ofSeconds(20));
        SocketEndpoints.awaitConnected(this.endpoints, "backend", Duration.ofSeconds(10));
        assertThat(backend.reconnects()).isPositive();
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Application {

        @Bean
        @SocketEndpoint("backend")
        SocketHandler<Void> backendHandler() {
            return new SocketHandler<>() {
            };
        }
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class Endpoints {

        @Bean
        SocketEndpointConnectionDetails backendConnection() {
            return server.connectionDetails("backend");
        }
    }
}
