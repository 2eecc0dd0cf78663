package dev.socketconnector.sample;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import dev.socketconnector.Framing;
import dev.socketconnector.Socket;
import dev.socketconnector.SocketConnector;
import dev.socketconnector.EndpointState;
import dev.socketconnector.ManagedEndpoint;
import dev.socketconnector.autoconfigure.SocketEndpointRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample through the real auto-configuration ({@code AutoConfiguration.imports}, no
 * context runner): the endpoint {@code echo} connects over TLS to the demo echo server,
 * trusting it through the SSL bundle {@code demo-echo}, and the API echoes over it.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
class SampleApplicationTests {

    private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
    };

    @Autowired
    private RestTestClient http;

    @Autowired
    private SocketEndpointRegistry endpoints;

    @Autowired
    private SocketConnector connector;

    @Value("${sample.echo.port}")
    private int echoServerPort;

    @Test
    void endpointConnectsOverTlsThroughTheBundleToTheDemoServer() {
        Socket<?> socket = connectedSocket();
        assertThat(socket.remoteAddress()).isEqualTo("127.0.0.1");
        assertThat(socket.remotePort()).isEqualTo(this.echoServerPort);
        assertThat(socket.authorized()).as("peer certificate verified against the demo-echo bundle").isTrue();

        Map<String, Object> described = get("/actuator/sockets/" + socket.id());
        assertThat(described).containsEntry("endpoint", "echo")
            .containsEntry("readyState", "open")
            .containsEntry("remotePort", this.echoServerPort);
        assertThat(described.get("tls")).isInstanceOfSatisfying(Map.class, (tls) -> {
            assertThat(tls.get("version")).isIn("TLSv1.2", "TLSv1.3");
            assertThat(tls.get("authorized")).isEqualTo(true);
            assertThat((String) tls.get("cipher")).isNotBlank();
        });
    }

    @Test
    void sendWritesTheMessageAndAnswersItsEcho() {
        Socket<?> socket = connectedSocket();
        long writtenBefore = socket.bytesWritten();
        Map<String, Object> reply = this.http.post()
            .uri("/api/send")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("message", "héllo, echo ✓"))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(JSON)
            .returnResult()
            .getResponseBody();
        assertThat(reply).containsEntry("kind", "message")
            .containsEntry("text", "héllo, echo ✓")
            .containsEntry("socketId", socket.id());
        assertThat(((Number) reply.get("millis")).doubleValue()).isPositive();
        assertThat(socket.bytesWritten()).isGreaterThan(writtenBefore);
    }

    @Test
    void echoEndpointHasLineFramingFromItsProperties() {
        assertThat(this.connector.endpoints().get("echo").framing()).isEqualTo(Framing.lines(16 * 1024));
    }

    @Test
    void sendWithoutTextAnswersBadRequestNamingTheLimit() {
        this.http.post()
            .uri("/api/send")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("message", "  "))
            .exchange()
            .expectStatus()
            .isBadRequest()
            .expectBody()
            .jsonPath("$.detail")
            .isEqualTo("message must have 1 to 1000 characters");
    }

    @Test
    void heartbeatRecordsRoundTripsAndThroughputComesFromTheMeters() {
        connectedSocket();
        Map<String, Object> stats = await("a ping round trip and a throughput sample", () -> {
            Map<String, Object> current = get("/api/stats");
            List<?> trips = (List<?>) current.get("roundTrips");
            List<?> samples = (List<?>) current.get("throughput");
            boolean pinged = trips.stream().anyMatch((trip) -> "ping".equals(((Map<?, ?>) trip).get("kind")));
            boolean counted = samples.stream()
                .anyMatch((s) -> ((Number) ((Map<?, ?>) s).get("bytesRead")).longValue() > 0);
            return (pinged && counted) ? current : null;
        });
        assertThat(stats.get("endpoint")).isInstanceOfSatisfying(Map.class,
                (endpoint) -> assertThat(endpoint.get("state")).isEqualTo("CONNECTED"));
        this.http.get()
            .uri("/actuator/metrics/socket.connector.bytes.read?tag=endpoint:echo")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .jsonPath("$.measurements[0].value")
            .value((Number value) -> assertThat(value.doubleValue()).isPositive());
    }

    @Test
    void deletingTheSocketMakesTheEndpointReconnectWithANewSocket() {
        Socket<?> first = connectedSocket();
        this.http.delete().uri("/actuator/sockets/" + first.id()).exchange().expectStatus().isOk();
        Socket<?> second = await("a new socket after closing " + first.id(), () -> {
            Socket<?> current = this.endpoints.endpoint("echo").socket();
            return (current != null && !current.id().equals(first.id())) ? current : null;
        });
        assertThat(second.authorized()).isTrue();
        this.http.get().uri("/actuator/sockets/" + first.id()).exchange().expectStatus().isNotFound();
        this.http.get()
            .uri("/actuator/health")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .jsonPath("$.components.socketConnector.status")
            .isEqualTo("UP");
    }

    private Socket<?> connectedSocket() {
        return await("endpoint 'echo' connected", () -> {
            ManagedEndpoint echo = this.endpoints.endpoint("echo");
            return (echo != null && echo.state() == EndpointState.CONNECTED) ? echo.socket() : null;
        });
    }

    private Map<String, Object> get(String uri) {
        return this.http.get()
            .uri(uri)
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(JSON)
            .returnResult()
            .getResponseBody();
    }

    /** Polls every 50 ms until the supplier answers non-null, for at most 20 seconds. */
    static <T> T await(String what, Supplier<T> condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            T value = condition.get();
            if (value != null) {
                return value;
            }
            try {
                Thread.sleep(50);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, ex);
            }
        }
        throw new AssertionError("timed out after 20 s waiting for " + what);
    }

}
