package dev.socketconnector.autoconfigure.metrics;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.socketconnector.PkiFixture;
import dev.socketconnector.RecordingSocketHandler;
import dev.socketconnector.Socket;
import dev.socketconnector.SocketConnector;
import dev.socketconnector.SocketConnectorBuilder;
import dev.socketconnector.TcpSocketConnectOptions;
import dev.socketconnector.TlsOptions;
import dev.socketconnector.autoconfigure.metrics.PeerServer.Peer;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link SocketConnectorMetrics}: real sockets to a loopback server, meters
 * read from a {@link SimpleMeterRegistry}.
 */
class SocketConnectorMetricsTests {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private final AtomicReference<@Nullable SocketConnector> connector = new AtomicReference<>();

    private final SocketConnectorMetrics metrics = new SocketConnectorMetrics(this.connector::get, Map::of);

    private @Nullable PeerServer server;

    @AfterEach
    void close() throws Exception {
        SocketConnector connector = this.connector.get();
        if (connector != null) {
            connector.closeAsync(Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
        }
        if (this.server != null) {
            this.server.close();
        }
    }

    @Test
    void trafficOnEndpointCountsExactBytesAndKeepsThemAfterClose() throws Exception {
        this.server = PeerServer.start();
        RecordingSocketHandler<Object> handler = new RecordingSocketHandler<>();
        SocketConnector connector = connector(SocketConnector.builder().endpoint("echo", options(handler)));
        this.metrics.bindTo(this.registry);

        Socket<Object> socket = connector.<Object>connect("echo").get(10, TimeUnit.SECONDS);
        Peer peer = this.server.accept();
        assertThat(socket.write("hello")).isEqualTo(5);
        assertThat(peer.readExactly(5)).isEqualTo("hello".getBytes(StandardCharsets.UTF_8));
        peer.write("welcome");
        assertThat(handler.awaitBytes(7)).hasSize(7);

        assertThat(gauge("echo", "open")).isEqualTo(1);
        assertThat(gauge("echo", "closing")).isZero();
        assertThat(counter(SocketConnectorMetrics.BYTES_WRITTEN, "echo")).isEqualTo(5);
        assertThat(counter(SocketConnectorMetrics.BYTES_READ, "echo")).isEqualTo(7);
        assertThat(this.registry.get(SocketConnectorMetrics.BYTES_WRITTEN).functionCounter().getId().getBaseUnit())
            .isEqualTo("bytes");

        socket.end();
        assertThat(peer.awaitClose()).isEqualTo("end");
        handler.awaitClose();
        await().atMost(Duration.ofSeconds(10)).until(() -> gauge("echo", "open") == 0);
        assertThat(gauge("echo", "closing")).isZero();
        assertThat(counter(SocketConnectorMetrics.BYTES_WRITTEN, "echo")).isEqualTo(5);
        assertThat(counter(SocketConnectorMetrics.BYTES_READ, "echo")).isEqualTo(7);

        RecordingSocketHandler<Object> second = new RecordingSocketHandler<>();
        Socket<Object> again = connector.connect("echo", options(second)).get(10, TimeUnit.SECONDS);
        Peer peer2 = this.server.accept();
        again.write("abc");
        peer2.readExactly(3);
        assertThat(gauge("echo", "open")).isEqualTo(1);
        assertThat(counter(SocketConnectorMetrics.BYTES_WRITTEN, "echo")).isEqualTo(8);
        assertThat(counter(SocketConnectorMetrics.BYTES_READ, "echo")).isEqualTo(7);
    }

    @Test
    void gaugeMovesFromOpenToClosingToGoneWhileEndWaitsForPendingWrites() throws Exception {
        this.server = PeerServer.start();
        RecordingSocketHandler<Object> handler = new RecordingSocketHandler<>();
        SocketConnector connector = connector(SocketConnector.builder().endpoint("bulk", options(handler)));
        this.metrics.bindTo(this.registry);
        Socket<Object> socket = connector.<Object>connect("bulk").get(10, TimeUnit.SECONDS);
        Peer peer = this.server.accept();

        // the peer reads nothing yet: fill the kernel buffers and the outbound buffer
        // until write keeps
        // refusing (a single short write can be transient while the kernel still takes
        // what Netty holds)
        byte[] chunk = new byte[64 * 1024];
        long accepted = 0;
        int zeros = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (zeros < 20 && System.nanoTime() < deadline) {
            int written = socket.write(chunk);
            accepted += Math.max(written, 0);
            zeros = (written == 0) ? zeros + 1 : 0;
            // deliberate pacing, not a wait: "refused" means 20 refusals 10 ms apart
            Thread.sleep((written == 0) ? 10 : 1);
        }
        assertThat(zeros).as("writes refused for 200 ms").isEqualTo(20);
        assertThat(gauge("bulk", "open")).isEqualTo(1);
        socket.end();

        assertThat(gauge("bulk", "open")).isZero();
        assertThat(gauge("bulk", "closing")).isEqualTo(1);
        assertThat(counter(SocketConnectorMetrics.BYTES_WRITTEN, "bulk")).isEqualTo(accepted);

        assertThat(peer.readToEnd()).isEqualTo(accepted);
        handler.awaitClose();
        await().atMost(Duration.ofSeconds(10)).until(() -> gauge("bulk", "closing") == 0);
        assertThat(gauge("bulk", "open")).isZero();
        assertThat(counter(SocketConnectorMetrics.BYTES_WRITTEN, "bulk")).isEqualTo(accepted);
    }

    @Test
    void socketOpenedFromOptionsIsTaggedEndpointNone() throws Exception {
        this.server = PeerServer.start();
        SocketConnector connector = connector(SocketConnector.builder());
        this.metrics.bindTo(this.registry);
        RecordingSocketHandler<Object> handler = new RecordingSocketHandler<>();

        Socket<Object> socket = connector.connect(options(handler)).get(10, TimeUnit.SECONDS);
        Peer peer = this.server.accept();
        socket.write("12345678");
        peer.readExactly(8);

        assertThat(socket.endpoint()).isNull();
        assertThat(gauge("none", "open")).isEqualTo(1);
        assertThat(counter(SocketConnectorMetrics.BYTES_WRITTEN, "none")).isEqualTo(8);
        assertThat(connectTimer("none", "success", "false").count()).isEqualTo(1);

        socket.terminate();
        handler.awaitClose();
        await().atMost(Duration.ofSeconds(10)).until(() -> gauge("none", "open") == 0);
        assertThat(counter(SocketConnectorMetrics.BYTES_WRITTEN, "none")).isEqualTo(8);
    }

    @Test
    void connectOutcomesAreSuccessAndRefused() throws Exception {
        this.server = PeerServer.start();
        int closedPort = freePort();
        SocketConnector connector = connector(SocketConnector.builder()
            .endpoint("up", options(new RecordingSocketHandler<>()))
            .endpoint("down", options(new RecordingSocketHandler<>()).toBuilder().port(closedPort).build()));
        this.metrics.bindTo(this.registry);

        connector.connect("up").get(10, TimeUnit.SECONDS);
        assertThatExceptionOfType(ExecutionException.class)
            .isThrownBy(() -> connector.connect("down").get(10, TimeUnit.SECONDS));

        Timer success = connectTimer("up", "success", "false");
        assertThat(success.count()).isEqualTo(1);
        assertThat(success.totalTime(TimeUnit.NANOSECONDS)).isPositive();
        await().atMost(Duration.ofSeconds(10)).until(() -> connectTimer("down", "refused", "false").count() == 1);
        assertThat(this.registry.find(SocketConnectorMetrics.CONNECT).tag("endpoint", "down").timers()).hasSize(1);
    }

    @Test
    void connectOutcomeIsTlsWhenThePeerIsNotTrustedAndSuccessWhenItIs() throws Exception {
        PkiFixture pki = PkiFixture.get();
        this.server = PeerServer.startTls(pki.jdkServerContext("self"));
        SocketConnector connector = connector(SocketConnector.builder());
        this.metrics.bindTo(this.registry);

        TcpSocketConnectOptions<Object> untrusted = options(new RecordingSocketHandler<>()).toBuilder()
            .tls(true)
            .build();
        assertThatExceptionOfType(ExecutionException.class)
            .isThrownBy(() -> connector.connect(untrusted).get(10, TimeUnit.SECONDS));
        await().atMost(Duration.ofSeconds(10)).until(() -> connectTimer("none", "tls", "true").count() == 1);
        assertThat(handshakeTimer("none", "failure").count()).isEqualTo(1);

        TcpSocketConnectOptions<Object> trusted = options(new RecordingSocketHandler<>()).toBuilder()
            .tls(TlsOptions.builder().ca(pki.text("self.crt")).build())
            .build();
        Socket<Object> socket = connector.connect(trusted).get(10, TimeUnit.SECONDS);
        this.server.accept().close(); // the untrusted connection
        Peer peer = this.server.accept();
        socket.write("secret");
        assertThat(peer.readExactly(6)).isEqualTo("secret".getBytes(StandardCharsets.UTF_8));
        assertThat(connectTimer("none", "success", "true").count()).isEqualTo(1);
        assertThat(handshakeTimer("none", "success").count()).isEqualTo(1);
        assertThat(counter(SocketConnectorMetrics.BYTES_WRITTEN, "none")).isEqualTo(6);
    }

    @Test
    void connectOutcomeIsTimeoutWhenTheTlsPeerNeverAnswers() throws Exception {
        this.server = PeerServer.start();
        SocketConnector connector = connector(SocketConnector.builder().connectTimeout(Duration.ofMillis(300)));
        this.metrics.bindTo(this.registry);

        assertThatExceptionOfType(ExecutionException.class)
            .isThrownBy(() -> connector.connect(options(new RecordingSocketHandler<>()).toBuilder().tls(true).build())
                .get(10, TimeUnit.SECONDS));

        await().atMost(Duration.ofSeconds(10)).until(() -> connectTimer("none", "timeout", "true").count() == 1);
        assertThat(connectTimer("none", "timeout", "true").totalTime(TimeUnit.MILLISECONDS))
            .isGreaterThanOrEqualTo(250);
    }

    @Test
    void metersCarryOnlyBoundedTags() throws Exception {
        this.server = PeerServer.start();
        SocketConnector connector = connector(
                SocketConnector.builder().endpoint("echo", options(new RecordingSocketHandler<>())));
        this.metrics.bindTo(this.registry);
        connector.connect("echo").get(10, TimeUnit.SECONDS);

        Set<String> allowed = Set.of("endpoint", "state", "outcome", "tls");
        assertThat(this.registry.getMeters()).isNotEmpty();
        for (Meter meter : this.registry.getMeters()) {
            assertThat(meter.getId().getName()).startsWith("socket.connector.");
            meter.getId().getTags().forEach((tag) -> assertThat(allowed).contains(tag.getKey()));
        }
        assertThat(this.registry.find(SocketConnectorMetrics.SOCKETS).gauges())
            .extracting((gauge) -> gauge.getId().getTag("endpoint") + "/" + gauge.getId().getTag("state"))
            // no endpoint="none" series: no socket was opened without an endpoint
            .containsExactlyInAnyOrder("echo/open", "echo/closing");
    }

    @Test
    void thousandsOfUnconfiguredEndpointNamesShareOneBoundedTag() throws Exception {
        int closedPort = freePort();
        SocketConnector connector = connector(SocketConnector.builder()
            .endpoint("known",
                    TcpSocketConnectOptions.<Object>builder()
                        .hostname("127.0.0.1")
                        .port(closedPort)
                        .socket(new RecordingSocketHandler<>())
                        .build()));
        this.metrics.bindTo(this.registry);
        int before = this.registry.getMeters().size();

        List<CompletableFuture<Socket<Object>>> futures = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            futures.add(connector.connect("ad-hoc-" + i,
                    TcpSocketConnectOptions.<Object>builder()
                        .hostname("127.0.0.1")
                        .port(closedPort)
                        .socket(new RecordingSocketHandler<>())
                        .build()));
        }
        futures.add(connector.connect("known",
                TcpSocketConnectOptions.<Object>builder()
                    .hostname("127.0.0.1")
                    .port(closedPort)
                    .socket(new RecordingSocketHandler<>())
                    .build()));
        for (CompletableFuture<Socket<Object>> future : futures) {
            assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> future.get(30, TimeUnit.SECONDS));
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> connectTimer("other", "refused", "false").count() == 2000);
        assertThat(connectTimer("known", "refused", "false").count()).isEqualTo(1);
        // the "other" tag's gauges and counters (4) and the two refused timers: nothing
        // per name
        assertThat(this.registry.getMeters()).hasSizeLessThanOrEqualTo(before + 6);
        assertThat(this.registry.getMeters())
            .allSatisfy((meter) -> assertThat(meter.getId().getTag("endpoint")).isIn("none", "known", "other"));
    }

    private SocketConnector connector(SocketConnectorBuilder builder) {
        SocketConnector connector = builder.addObserver(this.metrics.observer()).build();
        this.connector.set(connector);
        return connector;
    }

    private TcpSocketConnectOptions<Object> options(RecordingSocketHandler<Object> handler) {
        return TcpSocketConnectOptions.<Object>builder()
            .hostname("127.0.0.1")
            .port(this.server.port())
            .socket(handler)
            .build();
    }

    private double gauge(String endpoint, String state) {
        return this.registry.get(SocketConnectorMetrics.SOCKETS)
            .tag("endpoint", endpoint)
            .tag("state", state)
            .gauge()
            .value();
    }

    private double counter(String name, String endpoint) {
        FunctionCounter counter = this.registry.get(name).tag("endpoint", endpoint).functionCounter();
        return counter.count();
    }

    private Timer connectTimer(String endpoint, String outcome, String tls) {
        return this.registry.get(SocketConnectorMetrics.CONNECT)
            .tag("endpoint", endpoint)
            .tag("outcome", outcome)
            .tag("tls", tls)
            .timer();
    }

    private Timer handshakeTimer(String endpoint, String outcome) {
        return this.registry.get(SocketConnectorMetrics.TLS_HANDSHAKE)
            .tag("endpoint", endpoint)
            .tag("outcome", outcome)
            .timer();
    }

    private static int freePort() throws Exception {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

}
