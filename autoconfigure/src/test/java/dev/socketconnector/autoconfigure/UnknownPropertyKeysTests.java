package dev.socketconnector.autoconfigure;

import java.util.Map;

import dev.socketconnector.SocketConnector;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ContextConsumer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that an unknown key under {@code socket.connector} (a misspelt one) fails
 * startup, through {@link SocketConnectorFailureAnalyzer}, naming the key and the closest
 * valid one, while every spelling Boot's relaxed binding accepts for a real key still
 * starts.
 */
class UnknownPropertyKeysTests {

    private static final String ECHO = "socket.connector.endpoints.echo.";

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, SocketConnectorAutoConfiguration.class))
        .withUserConfiguration(HandlerConfiguration.class);

    @Test
    void misspeltTlsBundleFailsNamingTheKeyAndTheClosestOne() {
        // the case: this connected in plain text with no word
        this.contextRunner.withPropertyValues("socket.connector.tls.bundel=local-ca")
            .run(failsWith("socket.connector.tls.bundel", "socket.connector.tls.bundle"));
    }

    @Test
    void misspeltEndpointKeysFailWithTheEndpointsNameInTheSuggestion() {
        this.contextRunner.withPropertyValues(ECHO + "hostnme=127.0.0.1", ECHO + "port=7")
            .run(failsWith(ECHO + "hostnme", ECHO + "hostname"));
        this.contextRunner
            .withPropertyValues(ECHO + "hostname=127.0.0.1", ECHO + "port=7", ECHO + "tls.reject-unauthorised=false")
            .run(failsWith(ECHO + "tls.reject-unauthorised", ECHO + "tls.reject-unauthorized"));
        this.contextRunner
            .withPropertyValues(ECHO + "hostname=127.0.0.1", ECHO + "port=7", ECHO + "reconnect.max-backof=5s")
            .run(failsWith(ECHO + "reconnect.max-backof", ECHO + "reconnect.max-backoff"));
    }

    @Test
    void unknownKeyFromAnEnvironmentVariableFails() {
        this.contextRunner
            .withInitializer((context) -> context.getEnvironment()
                .getPropertySources()
                .addFirst(new SystemEnvironmentPropertySource("test-systemEnvironment",
                        Map.of("SOCKET_CONNECTOR_CONNECTTIMOUT", "5s"))))
            .run(failsWith("socket.connector.connecttimout", "socket.connector.connect-timeout"));
    }

    @Test
    void theValueOfAnUnknownKeyIsNeverShown() {
        this.contextRunner.withPropertyValues("socket.connector.tls.password=hunter2").run((context) -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = new SocketConnectorFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis).isNotNull();
            assertThat(analysis.getDescription()).contains("socket.connector.tls.password").doesNotContain("hunter2");
            assertThat(analysis.getAction()).doesNotContain("hunter2");
        });
    }

    @Test
    void everyUnknownKeyIsListed() {
        this.contextRunner.withPropertyValues("socket.connector.tls.bundel=a", "socket.connector.no-dlay=true")
            .run((context) -> {
                assertThat(context).hasFailed();
                FailureAnalysis analysis = new SocketConnectorFailureAnalyzer().analyze(context.getStartupFailure());
                assertThat(analysis.getDescription()).contains("socket.connector.tls.bundel")
                    .contains("socket.connector.no-dlay")
                    .contains("socket.connector.no-delay");
            });
    }

    @Test
    void everyRelaxedSpellingOfAKnownKeyStarts() {
        this.contextRunner
            .withPropertyValues("socket.connector.connectTimeout=5s", "socket.connector.event_loop_threads=1",
                    "socket.connector.keep-alive.enabled=true", "socket.connector.write-buffer.lowWaterMark=1KB",
                    "socket.connector.tls.rejectUnauthorized=true", "socket.connector.tls.alpn[0]=h2",
                    "socket.connector.tls.alpn[1]=http/1.1", "socket.connector.tls.ciphers=TLS_AES_128_GCM_SHA256",
                    ECHO + "hostname=127.0.0.1", ECHO + "port=7", ECHO + "connectOnStartup=false",
                    ECHO + "reconnect.initial-backoff=2s", ECHO + "tls.server-name=localhost",
                    "socket.connector.endpoints[other.one].unix=/tmp/x.sock",
                    "socket.connector.endpoints[other.one].handler=echoHandler")
            .withInitializer((context) -> context.getEnvironment()
                .getPropertySources()
                .addFirst(new SystemEnvironmentPropertySource("test-systemEnvironment",
                        Map.of("SOCKET_CONNECTOR_NODELAY", "true", "SOCKET_CONNECTOR_ENDPOINTS_ECHO_ALLOWHALFOPEN",
                                "false"))))
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(context).hasSingleBean(SocketConnector.class);
                assertThat(context.getBean(SocketConnectorProperties.class).getEndpoints()).containsKey("other.one");
            });
    }

    @Test
    void knownKeysAreDerivedFromThePropertiesClasses() {
        assertThat(SocketConnectorPropertyKeys.knownKeys())
            .contains("transport", "event-loop-threads", "keep-alive.initial-delay", "write-buffer.high-water-mark",
                    "tls.bundle", "tls.reject-unauthorized", "tls.alpn[0]", "tls.ciphers[0]", "endpoints.*.hostname",
                    "endpoints.*.connect-on-startup", "endpoints.*.tls.bundle", "endpoints.*.reconnect.jitter",
                    "endpoints.*.reconnect.stable-after", "endpoints.*.offline-buffer-size", "read-idle-timeout",
                    "keep-alive.idle", "keep-alive.interval", "keep-alive.count", "keep-alive.user-timeout",
                    "endpoints.*.read-idle-timeout", "endpoints.*.heartbeat.interval", "endpoints.*.heartbeat.payload",
                    "endpoints.*.framing.type", "endpoints.*.framing.max-length", "endpoints.*.framing.delimiter",
                    "endpoints.*.framing.length-field-bytes", "endpoints.*.framing.fixed-length",
                    "endpoints.*.request-reply.timeout", "endpoints.*.request-reply.max-in-flight")
            .doesNotContain("tls", "endpoints", "endpoints.*", "endpoints.*.tls", "keep-alive")
            .doesNotHaveDuplicates();
        // 7 top-level leaves + 6 keep-alive + 2 write-buffer + 9 tls + 8 endpoint leaves
        // + 9 endpoint tls + 6 reconnect + 2 heartbeat + 5 framing + 2 request-reply;
        // connect-attempt-delay, resolver, dns.servers, endpoints.*.addresses
        assertThat(SocketConnectorPropertyKeys.knownKeys()).hasSize(7 + 6 + 2 + 9 + 8 + 9 + 6 + 2 + 5 + 2 + 4);
        assertThat(SocketConnectorPropertyKeys.knownKeys()).contains("connect-attempt-delay", "resolver",
                "dns.servers[0]", "endpoints.*.addresses[0]");
    }

    private static ContextConsumer<AssertableApplicationContext> failsWith(String property, String closest) {
        return (context) -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = new SocketConnectorFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis).as("analysis of %s", context.getStartupFailure()).isNotNull();
            assertThat(analysis.getDescription()).contains("Property: " + property)
                .contains("no such property under socket.connector")
                .contains("did you mean '" + closest + "'?");
            assertThat(analysis.getAction()).contains("Rename '" + property + "' to '" + closest + "'");
        };
    }

    @Configuration(proxyBeanMethods = false)
    static class HandlerConfiguration {

        @Bean
        @SocketEndpoint("echo")
        EventRecordingHandler echoHandler() {
            return new EventRecordingHandler();
        }

    }

}
