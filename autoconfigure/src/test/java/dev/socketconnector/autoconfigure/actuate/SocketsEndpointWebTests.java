package dev.socketconnector.autoconfigure.actuate;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpResponse;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.jayway.jsonpath.JsonPath;
import dev.socketconnector.PkiFixture;
import dev.socketconnector.RecordingSocketHandler;
import dev.socketconnector.Socket;
import dev.socketconnector.SocketConnector;
import dev.socketconnector.TcpSocketConnectOptions;
import dev.socketconnector.TlsOptions;
import dev.socketconnector.UnixSocketOptions;
import dev.socketconnector.autoconfigure.metrics.PeerServer.Peer;
import dev.socketconnector.autoconfigure.metrics.PeerServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests the {@code sockets} endpoint and the connector's meters over real HTTP, against
 * real sockets to a loopback server, in an application started through the real
 * auto-configuration imports.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = { "management.endpoints.web.exposure.include=sockets,health,metrics",
                "management.endpoint.sockets.access=unrestricted", "server.address=127.0.0.1" })
class SocketsEndpointWebTests {

    private static final String SECRET = "the-data-value-must-never-show";

    private static PeerServer server;

    @Autowired
    private SocketConnector connector;

    @LocalServerPort
    private int port;

    private ActuatorHttp http;

    @BeforeAll
    static void startServer() throws Exception {
        server = PeerServer.start();
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @BeforeEach
    void client() {
        this.http = new ActuatorHttp(this.port);
    }

    @AfterEach
    void closeSockets() {
        this.connector.sockets().forEach(Socket::terminate);
    }

    @Test
    void listShowsEachOpenSocketWithExactBytesAndNeverItsData() throws Exception {
        RecordingSocketHandler<Object> handler = new RecordingSocketHandler<>();
        Socket<Object> socket = connect(handler);
        Peer peer = server.accept();
        socket.write("ping!");
        peer.readExactly(5);
        peer.write("pong");
        handler.awaitBytes(4);

        HttpResponse<String> response = this.http.get("/actuator/sockets");

        assertThat(response.statusCode()).isEqualTo(200);
        String body = response.body();
        assertThat(body).doesNotContain(SECRET);
        List<Map<String, Object>> sockets = JsonPath.read(body, "$.sockets[?(@.id == '" + socket.id() + "')]");
        assertThat(sockets).hasSize(1);
        Map<String, Object> json = sockets.get(0);
        assertThat(json).containsOnlyKeys("id", "endpoint", "localAddress", "localPort", "remoteAddress", "remotePort",
                "readyState", "bytesWritten", "bytesRead", "tls", "openedAt");
        assertThat(json).containsEntry("endpoint", null)
            .containsEntry("localAddress", "127.0.0.1")
            .containsEntry("localPort", socket.localPort())
            .containsEntry("remoteAddress", "127.0.0.1")
            .containsEntry("remotePort", server.port())
            .containsEntry("readyState", "open")
            .containsEntry("bytesWritten", 5)
            .containsEntry("bytesRead", 4)
            .containsEntry("tls", null)
            .containsEntry("openedAt", socket.openedAt().toString());
    }

    @Test
    void listReportsTheTransportTlsProviderAndEventLoopsTheConnectorLoaded() throws Exception {
        HttpResponse<String> response = this.http.get("/actuator/sockets");

        assertThat(response.statusCode()).isEqualTo(200);
        Map<String, Object> json = JsonPath.read(response.body(), "$");
        assertThat(json).containsOnlyKeys("transport", "tlsProvider", "eventLoops", "sockets", "endpoints");
        assertThat(json).containsEntry("transport", this.connector.transport().name())
            .containsEntry("tlsProvider", this.connector.tlsProvider().name())
            .containsEntry("eventLoops", this.connector.eventLoops());
        assertThat((String) json.get("transport")).isIn("NIO", "EPOLL", "IO_URING");
        assertThat((String) json.get("tlsProvider")).isIn("OPENSSL", "JDK");
    }

    @Test
    void getByIdShowsTheSocketAndUnknownIdIsNotFound() throws Exception {
        Socket<Object> socket = connect(new RecordingSocketHandler<>());
        server.accept();

        HttpResponse<String> found = this.http.get("/actuator/sockets/" + socket.id());
        HttpResponse<String> missing = this.http.get("/actuator/sockets/no-such-socket");

        assertThat(found.statusCode()).isEqualTo(200);
        assertThat((String) JsonPath.read(found.body(), "$.id")).isEqualTo(socket.id());
        assertThat((String) JsonPath.read(found.body(), "$.readyState")).isEqualTo("open");
        assertThat(missing.statusCode()).isEqualTo(404);
    }

    @Test
    void deleteByIdEndsTheSocketAndThePeerSeesTheClose() throws Exception {
        RecordingSocketHandler<Object> handler = new RecordingSocketHandler<>();
        Socket<Object> socket = connect(handler);
        Peer peer = server.accept();

        HttpResponse<String> deleted = this.http.delete("/actuator/sockets/" + socket.id());

        assertThat(deleted.statusCode()).isEqualTo(200);
        assertThat((String) JsonPath.read(deleted.body(), "$.id")).isEqualTo(socket.id());
        assertThat(peer.awaitClose()).isEqualTo("end");
        handler.awaitClose();
        assertThat(this.http.get("/actuator/sockets/" + socket.id()).statusCode()).isEqualTo(404);
    }

    @Test
    void deleteWithTerminateResetsTheSocket() throws Exception {
        RecordingSocketHandler<Object> handler = new RecordingSocketHandler<>();
        Socket<Object> socket = connect(handler);
        Peer peer = server.accept();

        HttpResponse<String> deleted = this.http.delete("/actuator/sockets/" + socket.id() + "?terminate=true");

        assertThat(deleted.statusCode()).isEqualTo(200);
        assertThat(peer.awaitClose()).isEqualTo("reset");
        handler.awaitClose();
        assertThat(this.connector.socket(socket.id())).isNull();
    }

    @Test
    void deleteOfUnknownIdIsNotFoundAndClosesNothing() throws Exception {
        Socket<Object> socket = connect(new RecordingSocketHandler<>());
        server.accept();

        HttpResponse<String> deleted = this.http.delete("/actuator/sockets/no-such-socket");

        assertThat(deleted.statusCode()).isEqualTo(404);
        assertThat(this.connector.socket(socket.id())).isNotNull();
    }

    @Test
    void tlsSocketShowsVersionCipherAndAuthorized() throws Exception {
        PkiFixture pki = PkiFixture.get();
        try (PeerServer tlsServer = PeerServer.startTls(pki.jdkServerContext("self"))) {
            Socket<Object> socket = this.connector
                .connect(TcpSocketConnectOptions.<Object>builder()
                    .hostname("127.0.0.1")
                    .port(tlsServer.port())
                    .socket(new RecordingSocketHandler<>())
                    .tls(TlsOptions.builder().ca(pki.text("self.crt")).build())
                    .build())
                .get(10, TimeUnit.SECONDS);

            String body = this.http.get("/actuator/sockets/" + socket.id()).body();

            assertThat((String) JsonPath.read(body, "$.tls.version")).isEqualTo(socket.getTLSVersion())
                .startsWith("TLSv1.");
            assertThat((String) JsonPath.read(body, "$.tls.cipher")).isEqualTo(socket.getCipher().name());
            assertThat((Boolean) JsonPath.read(body, "$.tls.authorized")).isTrue();
            assertThat(body).doesNotContain("BEGIN").doesNotContain("certificate");
        }
    }

    @Test
    void unixSocketShowsNullAddressesAndNoPorts() throws Exception {
        Path dir = Files.createTempDirectory("sockets-endpoint");
        Path path = dir.resolve("peer.sock");
        try (ServerSocketChannel unixServer = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            unixServer.bind(UnixDomainSocketAddress.of(path));
            Socket<Object> socket = this.connector
                .connect(UnixSocketOptions.<Object>builder()
                    .unix(path.toString())
                    .socket(new RecordingSocketHandler<>())
                    .build())
                .get(10, TimeUnit.SECONDS);

            String body = this.http.get("/actuator/sockets/" + socket.id()).body();

            Map<String, Object> json = JsonPath.read(body, "$");
            assertThat(json).containsEntry("localAddress", null)
                .containsEntry("remoteAddress", null)
                .containsEntry("localPort", -1)
                .containsEntry("remotePort", -1)
                .containsEntry("readyState", "open")
                .containsEntry("tls", null);
            socket.terminate();
        }
        finally {
            Files.deleteIfExists(path);
            Files.delete(dir);
        }
    }

    @Test
    void metricsEndpointShowsBytesAndOpenSockets() throws Exception {
        Socket<Object> socket = connect(new RecordingSocketHandler<>());
        Peer peer = server.accept();
        socket.write(new byte[1000]);
        peer.readExactly(1000);

        String sockets = this.http.get("/actuator/metrics/socket.connector.sockets?tag=endpoint:none&tag=state:open")
            .body();
        HttpResponse<String> written = this.http
            .get("/actuator/metrics/socket.connector.bytes.written?tag=endpoint:none");

        assertThat(written.statusCode()).isEqualTo(200);
        assertThat((String) JsonPath.read(written.body(), "$.baseUnit")).isEqualTo("bytes");
        double total = ((Number) JsonPath.read(written.body(), "$.measurements[0].value")).doubleValue();
        assertThat(total).isGreaterThanOrEqualTo(1000);
        assertThat(((Number) JsonPath.read(sockets, "$.measurements[0].value")).intValue())
            .isEqualTo(this.connector.sockets().size());
        HttpResponse<String> connects = this.http
            .get("/actuator/metrics/socket.connector.connect?tag=endpoint:none&tag=outcome:success&tag=tls:false");
        assertThat(((Number) JsonPath.read(connects.body(), "$.measurements[0].value")).intValue()).isPositive();
    }

    private Socket<Object> connect(RecordingSocketHandler<Object> handler) throws Exception {
        return this.connector
            .connect(TcpSocketConnectOptions.<Object>builder()
                .hostname("127.0.0.1")
                .port(server.port())
                .socket(handler)
                .data(SECRET)
                .build())
            .get(10, TimeUnit.SECONDS);
    }

}
