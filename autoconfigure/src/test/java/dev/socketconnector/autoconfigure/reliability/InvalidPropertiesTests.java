package dev.socketconnector.autoconfigure.reliability;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.util.stream.Stream;

import dev.socketconnector.Socket;
import dev.socketconnector.SocketHandler;
import dev.socketconnector.autoconfigure.SocketConnectorAutoConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Invalid {@code socket.connector.*} values not covered by
 * SocketConnectorPropertiesValidationTests: wrong types, unknown enum values, bad ALPN
 * and cipher lists, a missing handler bean. Each fails startup with the property's path
 * in the failure, and no connection ever reaches the loopback listener the endpoint
 * points at (nothing reached Netty).
 */
class InvalidPropertiesTests {

    private static final String ECHO = "socket.connector.endpoints.echo.";

    private ServerSocket listener;

    @BeforeEach
    void listen() throws Exception {
        this.listener = new ServerSocket();
        this.listener.bind(new InetSocketAddress("127.0.0.1", 0));
        this.listener.setSoTimeout(300);
    }

    @AfterEach
    void close() throws Exception {
        this.listener.close();
    }

    static Stream<Arguments> invalidProperties() {
        return Stream.of(Arguments.of(ECHO + "port", "port=seventy"),
                Arguments.of(ECHO + "connect-on-startup", "connect-on-startup=sometimes"),
                Arguments.of(ECHO + "allow-half-open", "allow-half-open=2"),
                Arguments.of("socket.connector.connect-timeout", "socket.connector.connect-timeout=soon"),
                Arguments.of("socket.connector.transport", "socket.connector.transport=CARRIER_PIGEON"),
                Arguments.of("socket.connector.tls.provider", "socket.connector.tls.provider=LIBRESSL"),
                Arguments.of(ECHO + "reconnect.multiplier", "reconnect.multiplier=fast"),
                Arguments.of("socket.connector.event-loop-threads", "socket.connector.event-loop-threads=-7"),
                Arguments.of("alpn", ECHO + "tls.enabled=true;" + ECHO + "tls.alpn=h2,bad name"),
                Arguments.of("alpn", ECHO + "tls.enabled=true;" + ECHO + "tls.alpn=h2,caf\u00e9"),
                Arguments.of("ciphers", ECHO + "tls.ciphers=TLS_AES_128_GCM_SHA256, "),
                Arguments.of("max-version", ECHO + "tls.max-version=TLSv1.0"),
                Arguments.of("handler", "handler=noSuchBean"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("invalidProperties")
    void invalidValueFailsStartupNamingThePropertyAndNothingConnects(String named, String property) throws Exception {
        String[] assignments = Stream.of(property.split(";"))
            .map((assignment) -> assignment.startsWith("socket.") ? assignment : ECHO + assignment)
            .toArray(String[]::new);
        new ApplicationContextRunner()
            .withConfiguration(
                    AutoConfigurations.of(SslAutoConfiguration.class, SocketConnectorAutoConfiguration.class))
            .withUserConfiguration(Handlers.class)
            .withPropertyValues(ECHO + "hostname=127.0.0.1", ECHO + "port=" + this.listener.getLocalPort(),
                    ECHO + "connect-on-startup=true", ECHO + "handler=echoHandler")
            .withPropertyValues(assignments)
            .run((context) -> {
                assertThat(context).hasFailed();
                StringBuilder messages = new StringBuilder();
                for (Throwable t = context.getStartupFailure(); t != null; t = t.getCause()) {
                    messages.append(t.getMessage()).append('\n');
                }
                assertThat(messages.toString()).as("failure messages").contains(named);
            });
        try (java.net.Socket accepted = this.listener.accept()) {
            throw new AssertionError("an invalid configuration still connected from " + accepted);
        }
        catch (SocketTimeoutException expected) {
            // nothing connected
        }
    }

    @Test
    void invalidAlpnNameFailsStartupNamingTheFullPropertyEvenWithTlsOff() {
        ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(
                    AutoConfigurations.of(SslAutoConfiguration.class, SocketConnectorAutoConfiguration.class))
            .withUserConfiguration(Handlers.class);
        runner.withPropertyValues("socket.connector.tls.alpn=h2,bad name").run((context) -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).hasStackTraceContaining("socket.connector.tls.alpn");
        });
        runner
            .withPropertyValues(ECHO + "hostname=127.0.0.1", ECHO + "port=" + this.listener.getLocalPort(),
                    ECHO + "handler=echoHandler", ECHO + "tls.alpn=h2,bad name")
            .run((context) -> {
                assertThat(context).hasFailed();
                assertThat(context.getStartupFailure()).hasStackTraceContaining(ECHO + "tls.alpn");
            });
    }

    @Configuration(proxyBeanMethods = false)
    static class Handlers {

        @Bean
        SocketHandler<Object> echoHandler() {
            return new SocketHandler<>() {

                @Override
                public void open(Socket<Object> socket) {
                }
            };
        }

    }

}
