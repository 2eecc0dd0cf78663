package dev.socketconnector.autoconfigure.reliability;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.interfaces.ECPrivateKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.jayway.jsonpath.JsonPath;
import dev.socketconnector.PkiFixture;
import dev.socketconnector.Socket;
import dev.socketconnector.SocketHandler;
import dev.socketconnector.TlsOpenSslServer;
import dev.socketconnector.TlsOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A connect-on-startup endpoint with mutual TLS whose client key is an encrypted PKCS#8
 * file in a Spring SSL bundle (passphrase in {@code private-key-password}), talking to
 * {@code openssl s_server}: every Actuator endpoint's JSON and everything logged (at
 * DEBUG for the connector and Netty's TLS) is scanned for the passphrase and the key, and
 * none of it shows up.
 */
@SpringBootTest(classes = ActuatorSecretsTests.Application.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = { "management.endpoints.web.exposure.include=*", "management.endpoint.health.show-details=always",
                "server.address=127.0.0.1", "logging.level.dev.socketconnector=DEBUG",
                "logging.level.io.netty.handler.ssl=DEBUG", "socket.connector.endpoints.secure.hostname=127.0.0.1",
                "socket.connector.endpoints.secure.connect-on-startup=true",
                "socket.connector.endpoints.secure.handler=secureHandler",
                "socket.connector.endpoints.secure.tls.bundle=mtls" })
@ExtendWith(OutputCaptureExtension.class)
@DirtiesContext
class ActuatorSecretsTests {

    private static final PkiFixture PKI = PkiFixture.get();

    private static final CompletableFuture<Socket<?>> OPENED = new CompletableFuture<>();

    private static TlsOpenSslServer server;

    @LocalServerPort
    private int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        server = TlsOpenSslServer.start(PKI, "-cert", "server.crt", "-key", "server.key", "-Verify", "1", "-CAfile",
                "ca.crt");
        registry.add("socket.connector.endpoints.secure.port", server::port);
        registry.add("spring.ssl.bundle.pem.mtls.truststore.certificate", () -> "file:" + PKI.file("ca.crt"));
        registry.add("spring.ssl.bundle.pem.mtls.keystore.certificate", () -> "file:" + PKI.file("client.crt"));
        registry.add("spring.ssl.bundle.pem.mtls.keystore.private-key",
                () -> "file:" + PKI.file("client-encrypted.key"));
        registry.add("spring.ssl.bundle.pem.mtls.keystore.private-key-password", () -> PkiFixture.PASSPHRASE);
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void actuatorJsonAndLogsNeverShowThePassphraseOrTheKey(CapturedOutput output) throws Exception {
        Socket<?> socket = OPENED.get(20, TimeUnit.SECONDS);
        assertThat(socket.authorized()).isTrue();
        assertThat(server.awaitLine("subject=")).contains("test client");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        List<String> bodies = new ArrayList<>();
        String sockets = get(http, "/actuator/sockets");
        assertThat((List<Object>) JsonPath.read(sockets, "$.sockets[?(@.tls.authorized == true)]")).hasSize(1);
        bodies.add(sockets);
        String id = String.valueOf(JsonPath.<Object>read(sockets, "$.sockets[0].id"));
        for (String path : List.of("/actuator/sockets/" + id, "/actuator/health", "/actuator/env",
                "/actuator/configprops", "/actuator/metrics/socket.connector.connect", "/actuator/beans",
                "/actuator/conditions", "/actuator/loggers")) {
            bodies.add(get(http, path));
        }
        String all = String.join("\n", bodies) + "\n" + output.getAll();
        assertThat(all).as("the scan sees the TLS socket and the bundle")
            .contains("\"authorized\":true")
            .contains("mtls");
        List<String> secrets = new ArrayList<>();
        secrets.add(PkiFixture.PASSPHRASE);
        for (String file : List.of("client.key", "client-encrypted.key")) {
            PKI.text(file)
                .lines()
                .filter((line) -> !line.startsWith("-----") && line.length() >= 24)
                .forEach(secrets::add);
        }
        ECPrivateKey key = (ECPrivateKey) TlsOptions.builder()
            .cert(PKI.file("client.crt"))
            .key(PKI.file("client.key"))
            .build()
            .key();
        secrets.add(key.getS().toString(16));
        secrets.add(key.getS().toString());
        for (String secret : secrets) {
            assertThat(all.toLowerCase()).as("a secret (" + secret.length() + " chars) in Actuator output or logs")
                .doesNotContain(secret.toLowerCase());
        }
        assertThat(all).doesNotContain("PRIVATE KEY-----");
    }

    private String get(HttpClient http, String path) throws Exception {
        HttpResponse<String> response = http
            .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
                .timeout(Duration.ofSeconds(10))
                .GET()
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return response.body();
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Application {

        @Bean
        SocketHandler<Object> secureHandler() {
            return new SocketHandler<>() {

                @Override
                public void open(Socket<Object> socket) {
                    OPENED.complete(socket);
                }
            };
        }

    }

}
