package dev.socketconnector.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.socketconnector.EndpointState;
import dev.socketconnector.ManagedEndpoint;
import dev.socketconnector.TestServer;
import dev.socketconnector.internal.jfr.EndpointStateEvent;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Records a managed endpoint's state changes with JDK Flight Recorder: it connects, loses
 * its server, backs off, and stops with the context.
 */
class EndpointStateJfrTests {

    private static final String ECHO = "socket.connector.endpoints.echo.";

    @TempDir
    Path dir;

    @Test
    void stateChangesAreRecordedWithPreviousStateAndCause() throws Exception {
        List<RecordedEvent> events;
        try (Recording recording = new Recording()) {
            recording.enable(EndpointStateEvent.NAME);
            recording.start();
            TestServer server = TestServer.tcp();
            new ApplicationContextRunner()
                .withConfiguration(
                        AutoConfigurations.of(SslAutoConfiguration.class, SocketConnectorAutoConfiguration.class))
                .withUserConfiguration(HandlerConfiguration.class)
                .withPropertyValues(ECHO + "connect-on-startup=true", ECHO + "hostname=127.0.0.1",
                        ECHO + "port=" + server.port(), ECHO + "reconnect.initial-backoff=5s")
                .run((context) -> {
                    ManagedEndpoint endpoint = context.getBean(SocketEndpointRegistry.class).endpoint("echo");
                    server.accept();
                    await(() -> endpoint.state() == EndpointState.CONNECTED);
                    server.close();
                    await(() -> endpoint.state() == EndpointState.BACKING_OFF);
                });
            recording.stop();
            Path file = this.dir.resolve("states.jfr");
            recording.dump(file);
            events = RecordingFile.readAllEvents(file);
        }
        List<String> transitions = events.stream()
            .filter((e) -> e.getEventType().getName().equals(EndpointStateEvent.NAME))
            .filter((e) -> "echo".equals(e.getString("endpoint")))
            // a recording file groups events by thread buffer: order them by time
            .sorted(java.util.Comparator.comparing(RecordedEvent::getStartTime))
            .map((e) -> e.getString("previous") + ">" + e.getString("state"))
            .toList();
        assertThat(transitions).containsSubsequence("STOPPED>CONNECTING", "CONNECTING>CONNECTED",
                "CONNECTED>BACKING_OFF", "BACKING_OFF>STOPPED");
        // the server closed the connection cleanly: the endpoint backs off with no error
        // as its cause
        // (other tests' endpoints in this JVM may record too: only this endpoint's events
        // count)
        assertThat(events).filteredOn((e) -> e.getEventType().getName().equals(EndpointStateEvent.NAME))
            .filteredOn((e) -> "echo".equals(e.getString("endpoint")))
            .filteredOn((e) -> "BACKING_OFF".equals(e.getString("state")))
            .singleElement()
            .satisfies((e) -> assertThat(e.getString("cause")).isNull());
    }

    private static void await(java.util.function.BooleanSupplier condition) {
        Awaitility.await("condition")
            .atMost(Duration.ofSeconds(10))
            .pollInterval(Duration.ofMillis(10))
            .until(condition::getAsBoolean);
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
