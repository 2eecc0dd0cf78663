package dev.socketconnector.autoconfigure.metrics;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import dev.socketconnector.PkiFixture;
import dev.socketconnector.RecordingSocketHandler;
import dev.socketconnector.SocketConnectException;
import dev.socketconnector.SocketConnector;
import dev.socketconnector.TcpSocketConnectOptions;
import dev.socketconnector.TlsOptions;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link SocketConnectorObservations}: real connects observed through a
 * registry with a recording handler.
 */
class SocketConnectorObservationsTests {

    private final List<Observation.Context> stopped = new CopyOnWriteArrayList<>();

    private final List<String> events = new CopyOnWriteArrayList<>();

    private final SocketConnector connector;

    SocketConnectorObservationsTests() {
        ObservationRegistry registry = ObservationRegistry.create();
        registry.observationConfig().observationHandler(new ObservationHandler<>() {

            @Override
            public boolean supportsContext(Observation.Context context) {
                return true;
            }

            @Override
            public void onEvent(Observation.Event event, Observation.Context context) {
                SocketConnectorObservationsTests.this.events.add(event.getName());
            }

            @Override
            public void onStop(Observation.Context context) {
                SocketConnectorObservationsTests.this.stopped.add(context);
            }
        });
        this.connector = SocketConnector.builder().addObserver(new SocketConnectorObservations(() -> registry)).build();
    }

    @AfterEach
    void close() throws Exception {
        this.connector.closeAsync(Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
    }

    @Test
    void connectIsObservedWithTimerKeysAndRemoteAddressAsHighCardinality() throws Exception {
        try (PeerServer server = PeerServer.start()) {
            this.connector.connect(options(server.port())).get(10, TimeUnit.SECONDS);
            server.accept();

            await().atMost(Duration.ofSeconds(10)).until(() -> this.stopped.size() == 1);
            Observation.Context context = this.stopped.get(0);
            assertThat(context.getName()).isEqualTo(SocketConnectorObservations.CONNECT);
            assertThat(context.getLowCardinalityKeyValues()).extracting(KeyValue::getKey, KeyValue::getValue)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("endpoint", "none"),
                        org.assertj.core.groups.Tuple.tuple("tls", "false"),
                        org.assertj.core.groups.Tuple.tuple("outcome", "success"));
            assertThat(context.getHighCardinalityKeyValue("remote.address").getValue())
                .isEqualTo("127.0.0.1:" + server.port());
            assertThat(context.getError()).isNull();
        }
    }

    @Test
    void refusedConnectIsObservedWithOutcomeAndError() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        assertThatExceptionOfType(ExecutionException.class)
            .isThrownBy(() -> this.connector.connect(options(closedPort)).get(10, TimeUnit.SECONDS));

        await().atMost(Duration.ofSeconds(10)).until(() -> this.stopped.size() == 1);
        Observation.Context context = this.stopped.get(0);
        assertThat(context.getLowCardinalityKeyValue("outcome").getValue()).isEqualTo("refused");
        assertThat(context.getError()).isInstanceOf(SocketConnectException.class);
    }

    @Test
    void tlsConnectsHaveAHandshakeChildObservationAndEvent() throws Exception {
        PkiFixture pki = PkiFixture.get();
        try (PeerServer server = PeerServer.startTls(pki.jdkServerContext("self"))) {
            assertThatExceptionOfType(ExecutionException.class)
                .isThrownBy(() -> this.connector.connect(options(server.port()).toBuilder().tls(true).build())
                    .get(10, TimeUnit.SECONDS));
            await().atMost(Duration.ofSeconds(10)).until(() -> this.stopped.size() == 2);
            Observation.Context failedHandshake = this.stopped.get(0);
            Observation.Context failedConnect = this.stopped.get(1);
            assertThat(failedHandshake.getName()).isEqualTo(SocketConnectorObservations.HANDSHAKE);
            assertThat(failedHandshake.getLowCardinalityKeyValue("outcome").getValue()).isEqualTo("failure");
            assertThat(failedHandshake.getError()).isNotNull();
            assertThat(failedHandshake.getParentObservation().getContextView()).isSameAs(failedConnect);
            assertThat(failedConnect.getName()).isEqualTo(SocketConnectorObservations.CONNECT);
            assertThat(failedConnect.getLowCardinalityKeyValue("outcome").getValue()).isEqualTo("tls");
            assertThat(failedConnect.getLowCardinalityKeyValue("tls").getValue()).isEqualTo("true");

            this.connector
                .connect(options(server.port()).toBuilder()
                    .tls(TlsOptions.builder().ca(pki.text("self.crt")).build())
                    .build())
                .get(10, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(10)).until(() -> this.stopped.size() == 4);
            Observation.Context handshake = this.stopped.get(2);
            Observation.Context connect = this.stopped.get(3);
            assertThat(handshake.getName()).isEqualTo(SocketConnectorObservations.HANDSHAKE);
            assertThat(handshake.getLowCardinalityKeyValue("outcome").getValue()).isEqualTo("success");
            assertThat(handshake.getParentObservation().getContextView()).isSameAs(connect);
            assertThat(connect.getLowCardinalityKeyValue("outcome").getValue()).isEqualTo("success");
            assertThat(connect.getHighCardinalityKeyValue("tls.handshake.duration")).isNotNull();
            assertThat(this.events).containsExactly(SocketConnectorObservations.HANDSHAKE_FAILED_EVENT,
                    SocketConnectorObservations.HANDSHAKE_EVENT);
        }
    }

    @Test
    void concurrentConnectsToOneEndpointArePairedBySocket() throws Exception {
        try (PeerServer server = PeerServer.start()) {
            List<java.util.concurrent.CompletableFuture<?>> connects = new java.util.ArrayList<>();
            for (int i = 0; i < 20; i++) {
                connects.add(this.connector.connect(options(server.port())));
            }
            for (java.util.concurrent.CompletableFuture<?> connect : connects) {
                connect.get(10, TimeUnit.SECONDS);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> this.stopped.size() == 20);
            assertThat(this.stopped)
                .allSatisfy((context) -> assertThat(context.getLowCardinalityKeyValue("outcome").getValue())
                    .isEqualTo("success"));
        }
    }

    private static TcpSocketConnectOptions<Object> options(int port) {
        return TcpSocketConnectOptions.<Object>builder()
            .hostname("127.0.0.1")
            .port(port)
            .socket(new RecordingSocketHandler<>())
            .build();
    }

}
