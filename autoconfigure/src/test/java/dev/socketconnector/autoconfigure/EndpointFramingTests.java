package dev.socketconnector.autoconfigure;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.socketconnector.Await;
import dev.socketconnector.Framing;
import dev.socketconnector.Socket;
import dev.socketconnector.SocketConnector;
import dev.socketconnector.SocketHandler;
import dev.socketconnector.TestServer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static dev.socketconnector.autoconfigure.InvalidPropertyAssertions.failsWith;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code socket.connector.endpoints.<name>.framing.*}: each type reaches the endpoint's
 * options, a handler bean gets whole frames without code, and bad values fail startup
 * naming the key and the allowed values.
 */
class EndpointFramingTests {

    private static final String ECHO = "socket.connector.endpoints.echo.";

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, SocketConnectorAutoConfiguration.class))
        .withUserConfiguration(HandlerConfiguration.class)
        .withPropertyValues(ECHO + "hostname=127.0.0.1", ECHO + "port=7");

    @Test
    void eachFramingTypeBecomesTheEndpointsFraming() {
        this.contextRunner.run((context) -> assertThat(framing(context)).isNull());
        this.contextRunner.withPropertyValues(ECHO + "framing.type=lines")
            .run((context) -> assertThat(framing(context)).isEqualTo(Framing.lines(64 * 1024)));
        this.contextRunner
            .withPropertyValues(ECHO + "framing.type=delimiter", ECHO + "framing.delimiter=||",
                    ECHO + "framing.max-length=1KB")
            .run((context) -> assertThat(framing(context))
                .isEqualTo(Framing.delimiter("||".getBytes(StandardCharsets.UTF_8), 1024)));
        this.contextRunner
            .withPropertyValues(ECHO + "framing.type=length-prefixed", ECHO + "framing.length-field-bytes=8",
                    ECHO + "framing.max-length=10MB")
            .run((context) -> assertThat(framing(context)).isEqualTo(Framing.lengthPrefixed(8, 10 * 1024 * 1024)));
        this.contextRunner.withPropertyValues(ECHO + "framing.type=fixed", ECHO + "framing.fixed-length=12")
            .run((context) -> assertThat(framing(context)).isEqualTo(Framing.fixed(12)));
    }

    private static Framing framing(AssertableApplicationContext context) {
        assertThat(context).hasNotFailed();
        return context.getBean(SocketConnector.class).endpoints().get("echo").framing();
    }

    @Test
    void lineFramingThroughPropertiesDeliversWholeLinesToTheHandlerBean() throws Exception {
        try (TestServer server = TestServer.tcp()) {
            this.contextRunner
                .withPropertyValues(ECHO + "port=" + server.port(), ECHO + "framing.type=lines",
                        ECHO + "framing.max-length=100B")
                .run((context) -> {
                    FrameCollector collector = context.getBean(FrameCollector.class);
                    Socket<Object> socket = context.getBean(SocketConnector.class)
                        .connect("echo")
                        .get(10, TimeUnit.SECONDS);
                    TestServer.Peer peer = server.accept();
                    peer.write("hel");
                    // part of a line: held, not delivered
                    assertThat(Await.poll(Duration.ofMillis(100), () -> !collector.frames.isEmpty())).isFalse();
                    peer.write("lo\r\nwor");
                    peer.write("ld\n");
                    Await.until("two lines", Duration.ofSeconds(10), () -> collector.frames.size() == 2);
                    assertThat(collector.frames).containsExactly("hello", "world");
                    assertThat(socket.write("reply")).isEqualTo(5);
                    assertThat(new String(peer.readExactly(6), StandardCharsets.US_ASCII)).isEqualTo("reply\n");
                    socket.terminate();
                });
        }
    }

    @Test
    void unknownTypeFailsNamingTheKeyAndTheTypes() {
        this.contextRunner.withPropertyValues(ECHO + "framing.type=length")
            .run(failsWith(ECHO + "framing.type", "unknown framing type",
                    "one of none, lines, delimiter, length-prefixed, fixed"));
    }

    @Test
    void delimiterTypeWithoutDelimiterFails() {
        this.contextRunner.withPropertyValues(ECHO + "framing.type=delimiter")
            .run(failsWith(ECHO + "framing.delimiter", "needs a delimiter", "the text that ends each frame"));
    }

    @Test
    void delimiterWithAnotherTypeFails() {
        this.contextRunner.withPropertyValues(ECHO + "framing.type=lines", ECHO + "framing.delimiter=|")
            .run(failsWith(ECHO + "framing.delimiter", "framing.type is lines", ECHO + "framing.type"));
    }

    @Test
    void unsupportedLengthFieldFails() {
        this.contextRunner
            .withPropertyValues(ECHO + "framing.type=length-prefixed", ECHO + "framing.length-field-bytes=3")
            .run(failsWith(ECHO + "framing.length-field-bytes", "unsupported length field size", "1, 2, 4 or 8"));
    }

    @Test
    void maxLengthOutOfRangeFails() {
        this.contextRunner.withPropertyValues(ECHO + "framing.type=lines", ECHO + "framing.max-length=0B")
            .run(failsWith(ECHO + "framing.max-length", "out of range", "such as 64KB"));
        this.contextRunner.withPropertyValues(ECHO + "framing.type=lines", ECHO + "framing.max-length=4GB")
            .run(failsWith(ECHO + "framing.max-length", "out of range", "such as 64KB"));
    }

    @Test
    void fixedWithoutLengthFails() {
        this.contextRunner.withPropertyValues(ECHO + "framing.type=fixed")
            .run(failsWith(ECHO + "framing.fixed-length", "needs a fixed-length", "the length of every frame"));
        this.contextRunner.withPropertyValues(ECHO + "framing.type=fixed", ECHO + "framing.fixed-length=0")
            .run(failsWith(ECHO + "framing.fixed-length", "out of range", "the length of every frame"));
        this.contextRunner.withPropertyValues(ECHO + "framing.fixed-length=10")
            .run(failsWith(ECHO + "framing.fixed-length", "framing.type is none", ECHO + "framing.type"));
    }

    @Configuration(proxyBeanMethods = false)
    static class HandlerConfiguration {

        @Bean
        @SocketEndpoint("echo")
        FrameCollector frameCollector() {
            return new FrameCollector();
        }

    }

    /** Records each frame as text. */
    static class FrameCollector implements SocketHandler<Object> {

        final List<String> frames = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void data(Socket<Object> socket, byte[] data) {
            this.frames.add(new String(data, StandardCharsets.UTF_8));
        }

    }

}
