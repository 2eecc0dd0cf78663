package dev.socketconnector.autoconfigure.actuate;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.socketconnector.PkiFixture;
import dev.socketconnector.RecordingSocketHandler;
import dev.socketconnector.Socket;
import dev.socketconnector.SocketConnector;
import dev.socketconnector.TcpSocketConnectOptions;
import dev.socketconnector.autoconfigure.SocketEndpointRegistry;
import dev.socketconnector.autoconfigure.metrics.PeerServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Scrapes {@code /actuator/prometheus} of a real application with a TLS endpoint
 * connected to a loopback server, and checks every {@code socket_connector} series: the
 * names and units of the API, the tags, and that each connect and handshake is measured
 * once (no second timer derived from the observations), with no {@code endpoint="none"}
 * series before a socket without an endpoint exists.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = { "management.endpoints.web.exposure.include=prometheus", "server.address=127.0.0.1" })
class PrometheusScrapeTests {

    private static final String BACKEND = "socket.connector.endpoints.backend.";

    /** A sample line: name, optional {labels}, value. */
    private static final Pattern SAMPLE = Pattern.compile("^(socket_connector_[a-z_]+)(\\{[^}]*\\})? (\\S+).*$");

    private static PkiFixture pki;

    private static PeerServer server;

    @LocalServerPort
    private int port;

    @Autowired
    private SocketConnector connector;

    @Autowired
    private SocketEndpointRegistry endpoints;

    @BeforeAll
    static void startServer() throws Exception {
        pki = PkiFixture.get();
        server = PeerServer.startTls(pki.jdkServerContext("self"));
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @DynamicPropertySource
    static void backend(DynamicPropertyRegistry registry) {
        registry.add("spring.ssl.bundle.pem.peer.truststore.certificate", () -> pki.text("self.crt"));
        registry.add(BACKEND + "hostname", () -> "127.0.0.1");
        registry.add(BACKEND + "port", () -> server.port());
        registry.add(BACKEND + "handler", () -> "backendHandler");
        registry.add(BACKEND + "connect-on-startup", () -> true);
        registry.add(BACKEND + "tls.bundle", () -> "peer");
    }

    @Test
    void everyMeasurementIsOneSeriesFamilyWithTheApisNamesUnitsAndTags() throws Exception {
        server.accept();
        await().atMost(Duration.ofSeconds(10))
            .until(() -> this.endpoints.endpoints().get("backend").state().name().equals("CONNECTED"));

        Map<String, String> first = await().atMost(Duration.ofSeconds(10))
            .until(this::scrape, (series) -> "1".equals(series
                .get("socket_connector_connect_seconds_count{endpoint=\"backend\",outcome=\"success\",tls=\"true\"}")));
        assertThat(first.keySet()).containsExactlyInAnyOrder(
                "socket_connector_sockets{endpoint=\"backend\",state=\"open\"}",
                "socket_connector_sockets{endpoint=\"backend\",state=\"closing\"}",
                "socket_connector_bytes_written_bytes_total{endpoint=\"backend\"}",
                "socket_connector_bytes_read_bytes_total{endpoint=\"backend\"}",
                "socket_connector_connect_seconds_count{endpoint=\"backend\",outcome=\"success\",tls=\"true\"}",
                "socket_connector_connect_seconds_sum{endpoint=\"backend\",outcome=\"success\",tls=\"true\"}",
                "socket_connector_connect_seconds_max{endpoint=\"backend\",outcome=\"success\",tls=\"true\"}",
                "socket_connector_tls_handshake_seconds_count{endpoint=\"backend\",outcome=\"success\"}",
                "socket_connector_tls_handshake_seconds_sum{endpoint=\"backend\",outcome=\"success\"}",
                "socket_connector_tls_handshake_seconds_max{endpoint=\"backend\",outcome=\"success\"}",
                "socket_connector_reconnects_total{endpoint=\"backend\"}",
                "socket_connector_endpoint_state{endpoint=\"backend\",state=\"connecting\"}",
                "socket_connector_endpoint_state{endpoint=\"backend\",state=\"connected\"}",
                "socket_connector_endpoint_state{endpoint=\"backend\",state=\"backing-off\"}",
                "socket_connector_endpoint_state{endpoint=\"backend\",state=\"stopped\"}");
        assertThat(first.get("socket_connector_sockets{endpoint=\"backend\",state=\"open\"}")).isEqualTo("1.0");
        assertThat(first.get("socket_connector_tls_handshake_seconds_count{endpoint=\"backend\",outcome=\"success\"}"))
            .isEqualTo("1");
        // one clock: the handshake is part of the connect
        assertThat(Double.parseDouble(
                first.get("socket_connector_tls_handshake_seconds_sum{endpoint=\"backend\",outcome=\"success\"}")))
            .isPositive()
            .isLessThanOrEqualTo(Double.parseDouble(first
                .get("socket_connector_connect_seconds_sum{endpoint=\"backend\",outcome=\"success\",tls=\"true\"}")));

        // a socket opened without an endpoint brings the endpoint="none" series
        try (PeerServer plain = PeerServer.start()) {
            Socket<Object> socket = this.connector
                .connect(TcpSocketConnectOptions.builder()
                    .hostname("127.0.0.1")
                    .port(plain.port())
                    .socket(new RecordingSocketHandler<>())
                    .build())
                .get(10, TimeUnit.SECONDS);
            plain.accept();
            Map<String, String> second = scrape();
            assertThat(second.keySet()).filteredOn((key) -> key.contains("endpoint=\"none\""))
                .containsExactlyInAnyOrder("socket_connector_sockets{endpoint=\"none\",state=\"open\"}",
                        "socket_connector_sockets{endpoint=\"none\",state=\"closing\"}",
                        "socket_connector_bytes_written_bytes_total{endpoint=\"none\"}",
                        "socket_connector_bytes_read_bytes_total{endpoint=\"none\"}",
                        "socket_connector_connect_seconds_count{endpoint=\"none\",outcome=\"success\",tls=\"false\"}",
                        "socket_connector_connect_seconds_sum{endpoint=\"none\",outcome=\"success\",tls=\"false\"}",
                        "socket_connector_connect_seconds_max{endpoint=\"none\",outcome=\"success\",tls=\"false\"}");
            assertThat(second).hasSize(first.size() + 7);
            socket.terminate();
        }
    }

    @Test
    void openMetricsDeclaresTheTypesAndTheNamesCarryTheUnits() throws Exception {
        String body = await().atMost(Duration.ofSeconds(10))
            .until(() -> get("application/openmetrics-text;version=1.0.0"),
                    (text) -> text.contains("socket_connector_connect_seconds_count"));
        List<String> lines = body.lines()
            .filter((line) -> line.startsWith("# ") && line.contains("socket_connector"))
            .toList();
        // Micrometer writes no "# UNIT" lines; the base unit is the name's suffix (bytes,
        // seconds), and a
        // count (sockets, reconnects) has none
        assertThat(lines).filteredOn((line) -> line.startsWith("# TYPE "))
            .containsExactlyInAnyOrder("# TYPE socket_connector_bytes_read_bytes counter",
                    "# TYPE socket_connector_bytes_written_bytes counter",
                    "# TYPE socket_connector_connect_seconds summary",
                    "# TYPE socket_connector_connect_seconds_max gauge", "# TYPE socket_connector_reconnects counter",
                    "# TYPE socket_connector_endpoint_state gauge", "# TYPE socket_connector_sockets gauge",
                    "# TYPE socket_connector_tls_handshake_seconds summary",
                    "# TYPE socket_connector_tls_handshake_seconds_max gauge");
        assertThat(body).doesNotContain("socket_connector_client");
    }

    /**
     * {@return every socket_connector sample of a text-format scrape: series (name and
     * labels) to value}
     */
    private Map<String, String> scrape() throws Exception {
        String body = get("text/plain;version=0.0.4");
        assertThat(body).doesNotContain("socket_connector_client");
        Map<String, String> series = new TreeMap<>();
        for (String line : body.lines().toList()) {
            Matcher matcher = SAMPLE.matcher(line);
            if (matcher.matches()) {
                String labels = (matcher.group(2) != null) ? matcher.group(2) : "";
                String previous = series.put(matcher.group(1) + labels, matcher.group(3));
                assertThat(previous).as("duplicate series %s", line).isNull();
            }
        }
        return series;
    }

    private String get(String accept) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest
            .newBuilder(URI.create("http://127.0.0.1:" + this.port + "/actuator/prometheus"))
            .header("Accept", accept)
            .timeout(Duration.ofSeconds(10))
            .GET()
            .build();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }

}
