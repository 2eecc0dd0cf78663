package dev.socketconnector.autoconfigure.metrics;

import java.util.Map;

import dev.socketconnector.SocketConnector;
import dev.socketconnector.SocketHandler;
import dev.socketconnector.TcpSocketConnectOptions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that binding registers each meter once per registry (a second registration makes
 * Micrometer warn).
 */
@ExtendWith(OutputCaptureExtension.class)
class SocketConnectorMetricsRegistrationTests {

    @Test
    void bindToRegistersEveryEndpointMeterOnce(CapturedOutput output) {
        try (SocketConnector connector = SocketConnector.builder()
            .endpoint("echo",
                    TcpSocketConnectOptions.<Void>builder().hostname("127.0.0.1").port(7).socket(new SocketHandler<>() {
                    }).build())
            .build()) {
            SocketConnectorMetrics metrics = new SocketConnectorMetrics(() -> connector, Map::of);
            metrics.observer(); // handed to the connector: the "none" meters wait for a
                                // socket without endpoint
            SimpleMeterRegistry first = new SimpleMeterRegistry();
            SimpleMeterRegistry second = new SimpleMeterRegistry();
            metrics.bindTo(first);
            metrics.bindTo(second);
            for (SimpleMeterRegistry registry : new SimpleMeterRegistry[] { first, second }) {
                assertThat(registry.find(SocketConnectorMetrics.SOCKETS).tag("endpoint", "echo").gauges()).hasSize(2);
                // "none" appears with the first socket opened without an endpoint, not
                // before
                assertThat(registry.find(SocketConnectorMetrics.SOCKETS).tag("endpoint", "none").gauges()).isEmpty();
                assertThat(registry.find(SocketConnectorMetrics.BYTES_WRITTEN).functionCounters()).hasSize(1);
            }
            assertThat(output).doesNotContain("already been registered").doesNotContain("already registered");
        }
    }

}
