package dev.socketconnector.autoconfigure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import dev.socketconnector.EndpointState;
import dev.socketconnector.ManagedEndpoint;
import dev.socketconnector.PkiFixture;
import dev.socketconnector.Socket;
import dev.socketconnector.SocketConnector;
import dev.socketconnector.TlsOpenSslServer;
import dev.socketconnector.TlsOptions;
import dev.socketconnector.TlsProvider;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests TLS from Spring SSL bundles against {@code openssl s_server} on 127.0.0.1: server
 * verification with the bundle's trust store on both providers, a client certificate from
 * the bundle's key store, an untrusted server, and a bundle reload that the next
 * connection picks up.
 */
class SslBundleTlsTests {

    private static final PkiFixture PKI = PkiFixture.get();

    private static final String SECURE = "socket.connector.endpoints.secure.";

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, SocketConnectorAutoConfiguration.class))
        .withUserConfiguration(HandlerConfiguration.class)
        .withPropertyValues(SECURE + "hostname=127.0.0.1", SECURE + "connect-on-startup=true",
                SECURE + "reconnect.initial-backoff=100ms", SECURE + "reconnect.max-backoff=300ms",
                SECURE + "reconnect.jitter=0");

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = { "JDK", "OPENSSL" })
    void bundleTrustStoreShouldVerifyServer(TlsProvider provider) throws Exception {
        try (TlsOpenSslServer server = TlsOpenSslServer.start(PKI, "-cert", "server.crt", "-key", "server.key")) {
            this.contextRunner
                .withPropertyValues("spring.ssl.bundle.pem.backend.truststore.certificate=file:" + PKI.file("ca.crt"),
                        "socket.connector.tls.bundle=backend", "socket.connector.tls.provider=" + provider,
                        SECURE + "port=" + server.port())
                .run((context) -> {
                    EventRecordingHandler handler = context.getBean(EventRecordingHandler.class);
                    assertThat(handler.await("handshake:")).isEqualTo("handshake:true");
                    handler.await("open");
                    ManagedEndpoint endpoint = context.getBean(SocketEndpointRegistry.class).endpoint("secure");
                    waitFor(() -> endpoint.state() == EndpointState.CONNECTED, "CONNECTED");
                    Socket<?> socket = endpoint.socket();
                    assertThat(socket.authorized()).isTrue();
                    assertThat(socket.getTLSVersion()).startsWith("TLSv1.");
                    assertThat(socket.getPeerX509Certificate().getSubjectX500Principal().getName())
                        .contains("CN=localhost");
                    server.send("hello over tls");
                    assertThat(handler.await("data:")).startsWith("data:hello over tls");
                });
        }
    }

    @Test
    void bundleKeyStoreShouldPresentClientCertificate() throws Exception {
        try (TlsOpenSslServer server = TlsOpenSslServer.start(PKI, "-cert", "server.crt", "-key", "server.key",
                "-Verify", "1", "-CAfile", "ca.crt")) {
            this.contextRunner
                .withPropertyValues("spring.ssl.bundle.pem.mtls.truststore.certificate=file:" + PKI.file("ca.crt"),
                        "spring.ssl.bundle.pem.mtls.keystore.certificate=file:" + PKI.file("client.crt"),
                        "spring.ssl.bundle.pem.mtls.keystore.private-key=file:" + PKI.file("client.key"),
                        SECURE + "tls.bundle=mtls", SECURE + "port=" + server.port())
                .run((context) -> {
                    EventRecordingHandler handler = context.getBean(EventRecordingHandler.class);
                    handler.await("open");
                    // CONNECTED (and socket()) once open has returned: wait for it
                    assertThat(context.getBean(SocketEndpointRegistry.class)
                        .endpoint("secure")
                        .whenConnected()
                        .get(10, TimeUnit.SECONDS)
                        .authorized()).isTrue();
                    waitFor(() -> server.printed("test client"), "s_server printing the client certificate");
                });
        }
    }

    @Test
    void untrustedServerShouldKeepEndpointBackingOffWithTlsError() throws Exception {
        try (TlsOpenSslServer server = TlsOpenSslServer.start(PKI, "-cert", "server.crt", "-key", "server.key")) {
            this.contextRunner
                .withPropertyValues(
                        "spring.ssl.bundle.pem.other.truststore.certificate=file:" + PKI.file("other-ca.crt"),
                        SECURE + "tls.bundle=other", SECURE + "port=" + server.port())
                .run((context) -> {
                    assertThat(context).hasNotFailed();
                    EventRecordingHandler handler = context.getBean(EventRecordingHandler.class);
                    assertThat(handler.await("handshake:")).isEqualTo("handshake:false");
                    ManagedEndpoint endpoint = context.getBean(SocketEndpointRegistry.class).endpoint("secure");
                    waitFor(() -> endpoint.state() == EndpointState.BACKING_OFF && endpoint.reconnects() >= 1,
                            "backing off after a rejected certificate");
                    assertThat(endpoint.socket()).isNull();
                    assertThat(endpoint.lastError()).isNotNull();
                    assertThat(endpoint.lastError().toString()).containsIgnoringCase("certificate");
                    assertThat(handler.count("open")).isZero();
                });
        }
    }

    @Test
    void bundleReloadShouldApplyToNextConnection(@TempDir Path dir) throws Exception {
        Path trust = dir.resolve("trust.crt");
        Files.copy(PKI.file("other-ca.crt"), trust);
        try (TlsOpenSslServer server = TlsOpenSslServer.start(PKI, "-cert", "server.crt", "-key", "server.key")) {
            this.contextRunner
                .withPropertyValues("spring.ssl.bundle.pem.backend.reload-on-update=true",
                        "spring.ssl.bundle.pem.backend.truststore.certificate=file:" + trust,
                        "spring.ssl.bundle.watch.file.quiet-period=100ms", "socket.connector.tls.bundle=backend",
                        SECURE + "port=" + server.port())
                .run((context) -> {
                    EventRecordingHandler handler = context.getBean(EventRecordingHandler.class);
                    ManagedEndpoint endpoint = context.getBean(SocketEndpointRegistry.class).endpoint("secure");
                    // the bundle trusts another CA: every attempt is rejected
                    assertThat(handler.await("handshake:")).isEqualTo("handshake:false");
                    waitFor(() -> endpoint.state() == EndpointState.BACKING_OFF, "BACKING_OFF");
                    // the bundle's file changes to the server's CA: Boot reloads the
                    // bundle, the next attempt
                    // connects without a restart
                    Path next = dir.resolve("next.crt");
                    Files.copy(PKI.file("ca.crt"), next);
                    Files.move(next, trust, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                    handler.await("open");
                    waitFor(() -> endpoint.state() == EndpointState.CONNECTED, "CONNECTED after the reload");
                    assertThat(endpoint.socket().authorized()).isTrue();
                });
        }
    }

    @Test
    void endpointTlsShouldInheritConnectorBundleUnlessOverridden() {
        new ApplicationContextRunner()
            .withConfiguration(
                    AutoConfigurations.of(SslAutoConfiguration.class, SocketConnectorAutoConfiguration.class))
            .withUserConfiguration(HandlerConfiguration.class)
            .withPropertyValues("spring.ssl.bundle.pem.backend.truststore.certificate=file:" + PKI.file("ca.crt"),
                    "spring.ssl.bundle.pem.backend.options.enabled-protocols=TLSv1.3",
                    "spring.ssl.bundle.pem.other.truststore.certificate=file:" + PKI.file("other-ca.crt"),
                    "socket.connector.tls.bundle=backend", SECURE + "hostname=127.0.0.1", SECURE + "port=7",
                    "socket.connector.endpoints.plain.hostname=127.0.0.1", "socket.connector.endpoints.plain.port=7",
                    "socket.connector.endpoints.plain.tls.enabled=false",
                    "socket.connector.endpoints.plain.handler=secureHandler",
                    "socket.connector.endpoints.named.hostname=127.0.0.1", "socket.connector.endpoints.named.port=7",
                    "socket.connector.endpoints.named.tls.server-name=backend.internal",
                    "socket.connector.endpoints.named.handler=secureHandler",
                    "socket.connector.endpoints.own.hostname=127.0.0.1", "socket.connector.endpoints.own.port=7",
                    "socket.connector.endpoints.own.tls.bundle=other",
                    "socket.connector.endpoints.own.handler=secureHandler")
            .run((context) -> {
                assertThat(context).hasNotFailed();
                var defaults = context.getBean(SocketConnectorConfigurer.class).tlsDefaults();
                assertThat(defaults.trustManagerFactory()).isNotNull();
                assertThat(defaults.minVersion()).isEqualTo("TLSv1.3");
                assertThat(defaults.maxVersion()).isEqualTo("TLSv1.3");
                var endpoints = context.getBean(SocketConnector.class).endpoints();
                // no override: the connector's defaults, read at connect time
                assertThat(endpoints.get("secure").tls()).isSameAs(TlsOptions.DEFAULTS);
                assertThat(endpoints.get("plain").tls()).isNull();
                var named = endpoints.get("named").tls();
                assertThat(named.serverName()).isEqualTo("backend.internal");
                assertThat(named.trustManagerFactory()).isNull();
                var own = endpoints.get("own").tls();
                assertThat(own.trustManagerFactory()).isNotNull().isNotSameAs(defaults.trustManagerFactory());
            });
    }

    private static void waitFor(BooleanSupplier condition, String what) {
        Awaitility.await(what)
            .atMost(Duration.ofSeconds(10))
            .pollInterval(Duration.ofMillis(10))
            .until(condition::getAsBoolean);
    }

    @Configuration(proxyBeanMethods = false)
    static class HandlerConfiguration {

        @Bean
        @SocketEndpoint("secure")
        EventRecordingHandler secureHandler() {
            return new EventRecordingHandler();
        }

    }

}
