package dev.socketconnector.test.readme;

// @formatter:off
// readme:begin
import java.time.Duration;

import dev.socketconnector.SocketHandler;
import dev.socketconnector.ManagedEndpoint;
import dev.socketconnector.autoconfigure.SocketEndpoint;
import dev.socketconnector.autoconfigure.SocketEndpointConnectionDetails;
import dev.socketconnector.autoconfigure.SocketEndpointRegistry;
import dev.socketconnector.test.SocketEndpoints;
import dev.socketconnector.test.SocketTestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(properties = "socket.connector.endpoints.backend.connect-on-startup=true")
class BackendTests {

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
// readme:end
// @formatter:on
