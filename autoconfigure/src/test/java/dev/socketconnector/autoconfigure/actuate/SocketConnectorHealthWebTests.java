package dev.socketconnector.autoconfigure.actuate;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import com.jayway.jsonpath.JsonPath;
import dev.socketconnector.autoconfigure.metrics.PeerServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests the {@code socketConnector} health contributor over real HTTP: a
 * connect-on-startup endpoint to a loopback server is UP, DOWN once the server goes away,
 * and UP again after it comes back and the endpoint has reconnected.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = { "management.endpoints.web.exposure.include=sockets,health,metrics",
                "management.endpoint.health.show-details=always", "server.address=127.0.0.1" })
class SocketConnectorHealthWebTests {

    private static final String BACKEND = "socket.connector.endpoints.backend.";

    private static final String COMPONENT = "$.components.socketConnector";

    private static PeerServer server;

    private static int backendPort;

    @LocalServerPort
    private int port;

    @BeforeAll
    static void startServer() throws Exception {
        server = PeerServer.start();
        backendPort = server.port();
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @DynamicPropertySource
    static void backend(DynamicPropertyRegistry registry) {
        registry.add(BACKEND + "hostname", () -> "127.0.0.1");
        registry.add(BACKEND + "port", () -> backendPort);
        registry.add(BACKEND + "handler", () -> "backendHandler");
        registry.add(BACKEND + "connect-on-startup", () -> true);
        registry.add(BACKEND + "reconnect.initial-backoff", () -> "100ms");
        registry.add(BACKEND + "reconnect.max-backoff", () -> "200ms");
        registry.add(BACKEND + "reconnect.jitter", () -> 0);
    }

    @Test
    void healthIsUpWhileConnectedDownWhenThePeerGoesAwayAndUpAgainAfterReconnect() throws Exception {
        ActuatorHttp http = new ActuatorHttp(this.port);
        server.accept();
        String up = awaitHealth(http, "UP");
        assertThat((String) JsonPath.read(up, COMPONENT + ".details.endpoints.backend.state")).isEqualTo("CONNECTED");
        assertThat((Integer) JsonPath.read(up, COMPONENT + ".details.endpoints.backend.reconnects")).isZero();

        server.close();
        String down = awaitHealth(http, "DOWN", "ECONNREFUSED");
        assertThat(http.get("/actuator/health").statusCode()).isEqualTo(503);
        assertThat((String) JsonPath.read(down, COMPONENT + ".details.endpoints.backend.state")).isIn("BACKING_OFF",
                "CONNECTING");
        assertThat((String) JsonPath.read(down, COMPONENT + ".details.endpoints.backend.lastError"))
            .contains("ECONNREFUSED")
            .contains("127.0.0.1:" + backendPort);

        server = PeerServer.start(backendPort);
        server.accept();
        String again = awaitHealth(http, "UP");
        assertThat((String) JsonPath.read(again, COMPONENT + ".details.endpoints.backend.state"))
            .isEqualTo("CONNECTED");
        assertThat((Integer) JsonPath.read(again, COMPONENT + ".details.endpoints.backend.reconnects")).isPositive();
        assertThat(http.get("/actuator/health").statusCode()).isEqualTo(200);

        String reconnects = http.get("/actuator/metrics/socket.connector.reconnects?tag=endpoint:backend").body();
        assertThat(((Number) JsonPath.read(reconnects, "$.measurements[0].value")).intValue()).isPositive();
    }

    /**
     * Polls the health endpoint for up to 10 s until the component has the status (and
     * the body the text).
     */
    private static String awaitHealth(ActuatorHttp http, String status, String... contains) {
        AtomicReference<String> body = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
            HttpResponse<String> response = http.get("/actuator/health");
            body.set(response.body());
            if (!status.equals(JsonPath.read(response.body(), COMPONENT + ".status"))) {
                return false;
            }
            for (String text : contains) {
                if (!response.body().contains(text)) {
                    return false;
                }
            }
            return true;
        });
        return body.get();
    }

}
