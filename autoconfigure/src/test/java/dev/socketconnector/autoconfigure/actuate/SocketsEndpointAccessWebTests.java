package dev.socketconnector.autoconfigure.actuate;

import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;

import com.jayway.jsonpath.JsonPath;
import dev.socketconnector.ReadyState;
import dev.socketconnector.RecordingSocketHandler;
import dev.socketconnector.Socket;
import dev.socketconnector.SocketConnector;
import dev.socketconnector.TcpSocketConnectOptions;
import dev.socketconnector.autoconfigure.metrics.PeerServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code sockets} endpoint exposed over the web as the README shows, with no access
 * property: it is read-only, so an anonymous HTTP DELETE is refused and closes nothing,
 * over real HTTP in a real context.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = { "management.endpoints.web.exposure.include=sockets,health", "server.address=127.0.0.1" })
class SocketsEndpointAccessWebTests {

    private static PeerServer server;

    @Autowired
    private SocketConnector connector;

    @LocalServerPort
    private int port;

    @BeforeAll
    static void startServer() throws Exception {
        server = PeerServer.start();
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @Test
    void anonymousDeleteIsRefusedByDefaultAndTheSocketStaysOpen() throws Exception {
        ActuatorHttp http = new ActuatorHttp(this.port);
        Socket<Object> socket = this.connector
            .connect(TcpSocketConnectOptions.<Object>builder()
                .hostname("127.0.0.1")
                .port(server.port())
                .socket(new RecordingSocketHandler<>())
                .build())
            .get(10, TimeUnit.SECONDS);
        try {
            server.accept();
            HttpResponse<String> deleted = http.delete("/actuator/sockets/" + socket.id());
            HttpResponse<String> terminated = http.delete("/actuator/sockets/" + socket.id() + "?terminate=true");

            assertThat(deleted.statusCode()).as("DELETE without access").isEqualTo(405);
            assertThat(terminated.statusCode()).as("DELETE ?terminate=true without access").isEqualTo(405);
            assertThat(socket.readyState()).isEqualTo(ReadyState.OPEN);
            HttpResponse<String> shown = http.get("/actuator/sockets/" + socket.id());
            assertThat(shown.statusCode()).as("reading stays allowed").isEqualTo(200);
            assertThat((String) JsonPath.read(shown.body(), "$.readyState")).isEqualTo("open");
        }
        finally {
            socket.terminate();
        }
    }

}
