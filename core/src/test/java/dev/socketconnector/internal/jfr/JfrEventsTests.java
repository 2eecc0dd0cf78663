package dev.socketconnector.internal.jfr;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import dev.socketconnector.Await;
import dev.socketconnector.Socket;
import dev.socketconnector.SocketConnector;
import dev.socketconnector.SocketHandler;
import dev.socketconnector.TcpSocketConnectOptions;
import dev.socketconnector.TestServer;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Records a real connect, a refused connect, a TLS handshake that fails and a close with
 * JDK Flight Recorder, dumps the recording and reads the events back with their fields;
 * and checks that nothing is recorded while the events are not enabled.
 */
class JfrEventsTests {

    @TempDir
    Path dir;

    @Test
    void connectHandshakeAndCloseAreRecordedWithTheirFields() throws Exception {
        List<RecordedEvent> events;
        try (Recording recording = new Recording();
                TestServer server = TestServer.tcp();
                TestServer silent = TestServer.tcp();
                SocketConnector connector = SocketConnector.builder().connectTimeout(Duration.ofMillis(500)).build()) {
            recording.enable(ConnectEvent.NAME).withThreshold(Duration.ZERO);
            recording.enable(HandshakeEvent.NAME).withThreshold(Duration.ZERO);
            recording.enable(CloseEvent.NAME);
            recording.start();

            Socket<Void> socket = connector.connect(options(server.port()).build()).get(10, TimeUnit.SECONDS);
            TestServer.Peer peer = server.accept();
            socket.write("hello");
            peer.readExactly(5);
            socket.end();
            peer.close();
            waitUntil(() -> socket.readyState().value().equals("closed"));

            int refusedPort = freePort();
            assertThatExceptionOfType(ExecutionException.class)
                .isThrownBy(() -> connector.connect(options(refusedPort).build()).get(10, TimeUnit.SECONDS));
            // a TLS connect to a server that never answers: the handshake fails when the
            // connect times out
            assertThatExceptionOfType(ExecutionException.class).isThrownBy(
                    () -> connector.connect(options(silent.port()).tls(true).build()).get(10, TimeUnit.SECONDS));

            recording.stop();
            Path file = this.dir.resolve("events.jfr");
            recording.dump(file);
            events = RecordingFile.readAllEvents(file);
        }

        List<RecordedEvent> connects = named(events, ConnectEvent.NAME);
        assertThat(connects).hasSize(3);
        RecordedEvent ok = connects.stream().filter((e) -> e.getBoolean("success")).findFirst().orElseThrow();
        assertThat(ok.getString("target")).startsWith("127.0.0.1:");
        assertThat(ok.getBoolean("tls")).isFalse();
        assertThat(ok.getString("endpoint")).isNull();
        assertThat(ok.getLong("elapsed")).isPositive();
        assertThat(ok.getDuration()).isPositive();
        assertThat(connects).filteredOn((e) -> "ECONNREFUSED".equals(e.getString("error"))).hasSize(1);
        RecordedEvent timedOut = connects.stream().filter((e) -> e.getBoolean("tls")).findFirst().orElseThrow();
        assertThat(timedOut.getBoolean("success")).isFalse();
        assertThat(timedOut.getString("error")).isEqualTo("ETIMEDOUT");

        List<RecordedEvent> handshakes = named(events, HandshakeEvent.NAME);
        assertThat(handshakes).hasSize(1);
        assertThat(handshakes.get(0).getBoolean("success")).isFalse();
        assertThat(handshakes.get(0).getString("socket")).isNotBlank();

        List<RecordedEvent> closes = named(events, CloseEvent.NAME);
        assertThat(closes).anySatisfy((close) -> {
            assertThat(close.getLong("bytesWritten")).isEqualTo(5);
            assertThat(close.getString("remoteAddress")).isEqualTo("127.0.0.1");
        });
    }

    @Test
    void nothingIsRecordedWhileTheEventsAreNotEnabled() throws Exception {
        List<RecordedEvent> events;
        try (Recording recording = new Recording();
                TestServer server = TestServer.tcp();
                SocketConnector connector = SocketConnector.create()) {
            recording.enable("jdk.ThreadStart"); // a recording runs, but not with our
                                                 // events
            recording.start();
            Socket<Void> socket = connector.connect(options(server.port()).build()).get(10, TimeUnit.SECONDS);
            server.accept().close();
            socket.terminate();
            recording.stop();
            Path file = this.dir.resolve("none.jfr");
            recording.dump(file);
            events = RecordingFile.readAllEvents(file);
        }
        assertThat(events).noneMatch((e) -> e.getEventType().getName().startsWith("dev.socketconnector."));
    }

    private static TcpSocketConnectOptions.Builder<Void> options(int port) {
        return TcpSocketConnectOptions.<Void>builder().hostname("127.0.0.1").port(port).socket(new SocketHandler<>() {
        });
    }

    private static List<RecordedEvent> named(List<RecordedEvent> events, String name) {
        return events.stream().filter((e) -> e.getEventType().getName().equals(name)).toList();
    }

    private static int freePort() throws Exception {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        Await.until("condition", Duration.ofSeconds(10), condition);
    }

}
