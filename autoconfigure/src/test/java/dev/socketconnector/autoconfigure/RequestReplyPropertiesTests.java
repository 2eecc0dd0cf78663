package dev.socketconnector.autoconfigure;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.socketconnector.EndpointState;
import dev.socketconnector.Framing;
import dev.socketconnector.ManagedEndpoint;
import dev.socketconnector.Socket;
import dev.socketconnector.SocketHandler;
import dev.socketconnector.TestServer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code socket.connector.endpoints.<name>.request-reply.*}: the properties enable
 * pipelined request/reply on a managed endpoint (its framing set in code here), and bad
 * values fail startup naming the key.
 */
class RequestReplyPropertiesTests {

    private static final String SVC = "socket.connector.endpoints.svc.";

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, SocketConnectorAutoConfiguration.class))
        .withUserConfiguration(HandlerConfiguration.class);

    @Test
    void requestReplyPropertiesEnablePipelinedRequestsOnAManagedEndpoint() throws Exception {
        try (TestServer server = TestServer.tcp()) {
            this.contextRunner
                .withPropertyValues(SVC + "hostname=127.0.0.1", SVC + "port=" + server.port(),
                        SVC + "connect-on-startup=true", SVC + "request-reply.timeout=5s",
                        SVC + "request-reply.max-in-flight=8")
                .run((context) -> {
                    assertThat(context).hasNotFailed();
                    ManagedEndpoint endpoint = context.getBean(SocketEndpointRegistry.class).endpoint("svc");
                    assertThat(endpoint).isNotNull();
                    TestServer.Peer peer = server.accept();
                    Awaitility.await()
                        .atMost(Duration.ofSeconds(10))
                        .until(() -> endpoint.state() == EndpointState.CONNECTED);
                    CompletableFuture<byte[]> first = endpoint.request("one".getBytes(StandardCharsets.UTF_8));
                    CompletableFuture<byte[]> second = endpoint.request("two".getBytes(StandardCharsets.UTF_8));
                    BufferedReader in = new BufferedReader(
                            new InputStreamReader(peer.channel().socket().getInputStream(), StandardCharsets.UTF_8));
                    OutputStream out = peer.channel().socket().getOutputStream();
                    for (int i = 0; i < 2; i++) {
                        out.write(("re:" + in.readLine() + "\n").getBytes(StandardCharsets.UTF_8));
                    }
                    out.flush();
                    assertThat(first.get(10, TimeUnit.SECONDS)).asString(StandardCharsets.UTF_8).isEqualTo("re:one");
                    assertThat(second.get(10, TimeUnit.SECONDS)).asString(StandardCharsets.UTF_8).isEqualTo("re:two");
                });
        }
    }

    @Test
    void invalidRequestReplyValuesFailStartupNamingTheKey() {
        this.contextRunner
            .withPropertyValues(SVC + "hostname=127.0.0.1", SVC + "port=7", SVC + "request-reply.timeout=0s")
            .run((context) -> assertFailure(context.getStartupFailure(), SVC + "request-reply.timeout",
                    "must be positive"));
        this.contextRunner
            .withPropertyValues(SVC + "hostname=127.0.0.1", SVC + "port=7", SVC + "request-reply.max-in-flight=0")
            .run((context) -> assertFailure(context.getStartupFailure(), SVC + "request-reply.max-in-flight",
                    "at least 1"));
    }

    private static void assertFailure(Throwable failure, String property, String reason) {
        assertThat(failure).isNotNull();
        Throwable cause = failure;
        while (cause != null && !(cause instanceof InvalidSocketConnectorPropertyException)) {
            cause = cause.getCause();
        }
        assertThat(cause).as("an InvalidSocketConnectorPropertyException in " + failure).isNotNull();
        assertThat(((InvalidSocketConnectorPropertyException) cause).getProperty()).isEqualTo(property);
        FailureAnalysis analysis = new SocketConnectorFailureAnalyzer().analyze(failure);
        assertThat(analysis).isNotNull();
        assertThat(analysis.getDescription()).contains(property).contains(reason);
    }

    @Configuration(proxyBeanMethods = false)
    static class HandlerConfiguration {

        @Bean
        @SocketEndpoint("svc")
        SocketHandler<Object> svcHandler() {
            return new SocketHandler<>() {

                @Override
                public void data(Socket<Object> socket, byte[] data) {
                    // every frame here is a reply
                }

            };
        }

        /** The framing is set in code: request/reply needs one. */
        @Bean
        SocketConnectorBuilderCustomizer lineFraming() {
            return (builder) -> builder.framing(Framing.lines(1024));
        }

    }

}
