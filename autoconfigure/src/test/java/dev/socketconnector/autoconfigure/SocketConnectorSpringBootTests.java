package dev.socketconnector.autoconfigure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import dev.socketconnector.EndpointState;
import dev.socketconnector.ManagedEndpoint;
import dev.socketconnector.Socket;
import dev.socketconnector.SocketConnector;
import dev.socketconnector.SocketHandler;
import dev.socketconnector.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A full Spring Boot startup through the real {@code AutoConfiguration.imports} file: the
 * connector, a handler bean found by {@link SocketEndpoint}, and a connect-on-startup
 * endpoint that connects to a server on 127.0.0.1 and exchanges data.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = { "socket.connector.endpoints.echo.hostname=127.0.0.1",
                "socket.connector.endpoints.echo.connect-on-startup=true",
                "socket.connector.endpoints.echo.reconnect.initial-backoff=100ms" })
@DirtiesContext
class SocketConnectorSpringBootTests {

    private static final TestServer server = start();

    @Autowired
    private SocketConnector connector;

    @Autowired
    private SocketEndpointRegistry registry;

    @Autowired
    private EchoHandler handler;

    @DynamicPropertySource
    static void serverPort(DynamicPropertyRegistry registry) {
        registry.add("socket.connector.endpoints.echo.port", server::port);
    }

    @AfterAll
    static void stopServer() throws IOException {
        server.close();
    }

    @Test
    void startupShouldConnectManagedEndpointThroughAutoConfigurationImports() throws Exception {
        SocketChannel peer = server.accept().channel();
        Socket<Object> socket = this.handler.opened().get(10, TimeUnit.SECONDS);
        assertThat(socket.endpoint()).isEqualTo("echo");
        assertThat(this.connector.sockets()).contains(socket);
        assertThat(this.connector.endpoints()).containsKey("echo");
        ManagedEndpoint endpoint = this.registry.endpoint("echo");
        assertThat(endpoint).isNotNull();
        assertThat(endpoint.socket()).isSameAs(socket);
        assertThat(endpoint.state()).isEqualTo(EndpointState.CONNECTED);
        peer.write(ByteBuffer.wrap("ping".getBytes(StandardCharsets.US_ASCII)));
        ByteBuffer echoed = ByteBuffer.allocate(4);
        while (echoed.hasRemaining() && peer.read(echoed) >= 0) {
            // blocking read of the echo
        }
        assertThat(new String(echoed.array(), StandardCharsets.US_ASCII)).isEqualTo("ping");
    }

    private static TestServer start() {
        try {
            return TestServer.tcp();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class EchoApplication {

        @Bean
        EchoHandler echoHandler() {
            return new EchoHandler();
        }

    }

    /** Echoes what it receives; completes {@link #opened()} with the first socket. */
    @SocketEndpoint("echo")
    static class EchoHandler implements SocketHandler<Object> {

        private final java.util.concurrent.CompletableFuture<Socket<Object>> opened = new java.util.concurrent.CompletableFuture<>();

        @Override
        public void open(Socket<Object> socket) {
            this.opened.complete(socket);
        }

        @Override
        public void data(Socket<Object> socket, byte[] data) {
            socket.write(data);
        }

        java.util.concurrent.CompletableFuture<Socket<Object>> opened() {
            return this.opened;
        }

    }

}
