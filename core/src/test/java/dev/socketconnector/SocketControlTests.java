package dev.socketconnector;

import java.io.File;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for socket options, JVM references, observers and the connector's graceful close.
 */
class SocketControlTests {

    private final SocketConnector connector = SocketConnector.create();

    @AfterEach
    void closeConnector() {
        this.connector.close();
    }

    @Test
    void setNoDelayAndKeepAliveApplyTheSocketOptions() throws Exception {
        try (TestServer server = TestServer.tcp()) {
            RecordingSocketHandler<Void> handler = new RecordingSocketHandler<>();
            Socket<Void> socket = this.connector
                .connect(TcpSocketConnectOptions.<Void>builder()
                    .hostname("127.0.0.1")
                    .port(server.port())
                    .socket(handler)
                    .build())
                .get(10, TimeUnit.SECONDS);
            server.accept();
            assertThat(SocketInternals.noDelay(socket)).isTrue();
            assertThat(socket.setNoDelay(false)).isTrue();
            assertThat(SocketInternals.noDelay(socket)).isFalse();
            assertThat(socket.setNoDelay()).isTrue();
            assertThat(SocketInternals.noDelay(socket)).isTrue();
            assertThat(socket.setKeepAlive(true, 5000)).isTrue();
            assertThat(SocketInternals.keepAlive(socket)).isTrue();
            assertThat(SocketInternals.keepAliveTiming(socket)).containsExactly(5, 1, 10);
            assertThat(socket.setKeepAlive()).isTrue();
            assertThat(SocketInternals.keepAlive(socket)).isFalse();
            socket.end();
            handler.awaitClose();
            assertThat(socket.setNoDelay(true)).isFalse();
            assertThat(socket.setKeepAlive(true, 1000)).isFalse();
        }
    }

    @Test
    void keepAliveIsNotApplicableToUnixSockets() throws Exception {
        try (TestServer server = TestServer.unix()) {
            Socket<Void> socket = this.connector
                .connect(UnixSocketOptions.<Void>builder()
                    .unix(server.path())
                    .socket(new RecordingSocketHandler<>())
                    .build())
                .get(10, TimeUnit.SECONDS);
            assertThat(socket.setKeepAlive(true, 1000)).isFalse();
            assertThat(socket.setNoDelay(true)).isTrue();
        }
    }

    @Test
    void connectorKeepAliveDefaultAppliesToNewSockets() throws Exception {
        try (TestServer server = TestServer.tcp();
                SocketConnector keepAlive = SocketConnector.builder()
                    .keepAlive(true, Duration.ofSeconds(7))
                    .noDelay(false)
                    .build()) {
            Socket<Void> socket = keepAlive
                .connect(TcpSocketConnectOptions.<Void>builder()
                    .hostname("127.0.0.1")
                    .port(server.port())
                    .socket(new RecordingSocketHandler<>())
                    .build())
                .get(10, TimeUnit.SECONDS);
            assertThat(SocketInternals.keepAlive(socket)).isTrue();
            assertThat(SocketInternals.keepAliveTiming(socket)).containsExactly(7, 1, 10);
            assertThat(SocketInternals.noDelay(socket)).isFalse();
        }
    }

    @Test
    void referencedSocketKeepsTheJvmAliveAndUnrefLetsItExit() throws Exception {
        try (TestServer server = TestServer.tcp()) {
            Process referenced = startHolder(server.port(), false);
            try {
                server.accept();
                assertThat(referenced.waitFor(1500, TimeUnit.MILLISECONDS)).as("a main holding a socket exited")
                    .isFalse();
            }
            finally {
                referenced.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            Process unreferenced = startHolder(server.port(), true);
            try {
                server.accept();
                assertThat(unreferenced.waitFor(15, TimeUnit.SECONDS)).as("a main holding an unref'd socket exited")
                    .isTrue();
                assertThat(unreferenced.exitValue()).isZero();
            }
            finally {
                unreferenced.destroyForcibly();
            }
        }
    }

    private static Process startHolder(int port, boolean unref) throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), SocketHolderMain.class.getName(),
                Integer.toString(port), Boolean.toString(unref))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    }

    @Test
    void observerSeesConnectedClosedAndFailedConnects() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        SocketObserver observer = new SocketObserver() {
            @Override
            public void connected(Socket<?> socket, String endpoint, boolean tls, Duration elapsed) {
                seen.add("connected:" + endpoint + ":" + tls + ":" + (elapsed.isNegative() ? "neg" : "ok"));
            }

            @Override
            public void connectFailed(String endpoint, boolean tls, Duration elapsed, Throwable cause) {
                seen.add("failed:" + ((SocketConnectException) cause).code());
            }

            @Override
            public void closed(Socket<?> socket, String endpoint) {
                seen.add("closed:" + socket.bytesWritten());
            }
        };
        try (TestServer server = TestServer.tcp();
                SocketConnector observed = SocketConnector.builder().observer(observer).build()) {
            RecordingSocketHandler<Void> handler = new RecordingSocketHandler<>();
            Socket<Void> socket = observed
                .connect(TcpSocketConnectOptions.<Void>builder()
                    .hostname("127.0.0.1")
                    .port(server.port())
                    .socket(handler)
                    .build())
                .get(10, TimeUnit.SECONDS);
            socket.end("abc");
            handler.awaitClose();
            // the observer's closed runs on the socket's loop after the handler's close:
            // wait for it (bounded), as
            // the next connect may run on another loop
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!seen.contains("closed:3") && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            RecordingSocketHandler<Void> refused = new RecordingSocketHandler<>();
            SocketConnectTests.failure(observed.connect(TcpSocketConnectOptions.<Void>builder()
                .hostname("127.0.0.1")
                .port(SocketConnectTests.closedPort())
                .socket(refused)
                .build()));
            Thread.sleep(50);
            assertThat(seen).containsExactly("connected:null:false:ok", "closed:3", "failed:ECONNREFUSED");
        }
    }

    @Test
    void observerThatThrowsDoesNotDisturbTheSocket() throws Exception {
        SocketObserver throwing = new SocketObserver() {
            @Override
            public void connecting(Socket<?> socket, String endpoint, boolean tls, String target) {
                throw new IllegalStateException("connecting");
            }

            @Override
            public void connected(Socket<?> socket, String endpoint, boolean tls, Duration elapsed) {
                throw new IllegalStateException("connected");
            }

            @Override
            public void closed(Socket<?> socket, String endpoint) {
                throw new IllegalStateException("closed");
            }
        };
        try (TestServer server = TestServer.tcp();
                SocketConnector observed = SocketConnector.builder().observer(throwing).build()) {
            RecordingSocketHandler<Void> handler = new RecordingSocketHandler<>();
            Socket<Void> socket = observed
                .connect(TcpSocketConnectOptions.<Void>builder()
                    .hostname("127.0.0.1")
                    .port(server.port())
                    .socket(handler)
                    .build())
                .get(10, TimeUnit.SECONDS);
            TestServer.Peer peer = server.accept();
            assertThat(socket.write("still works")).isEqualTo(11);
            assertThat(new String(peer.readExactly(11))).isEqualTo("still works");
            socket.end();
            assertThat(handler.awaitClose()).isNull();
            assertThat(handler.events()).containsExactly("open", "close");
        }
    }

    @Test
    void gracefulCloseEndsSocketsSoPeersSeeFinAndCloseFiresOnce() throws Exception {
        try (TestServer server = TestServer.tcp()) {
            SocketConnector closing = SocketConnector.builder().shutdownTimeout(Duration.ofSeconds(5)).build();
            RecordingSocketHandler<Void> handler = new RecordingSocketHandler<>();
            Socket<Void> socket = closing
                .connect(TcpSocketConnectOptions.<Void>builder()
                    .hostname("127.0.0.1")
                    .port(server.port())
                    .socket(handler)
                    .build())
                .get(10, TimeUnit.SECONDS);
            TestServer.Peer peer = server.accept();
            socket.write("pending bytes");
            closing.close();
            assertThat(new String(peer.readToEnd())).isEqualTo("pending bytes");
            assertThat(handler.awaitClose()).isNull();
            assertThat(handler.events()).containsExactly("open", "close");
            assertThat(closing.sockets()).isEmpty();
            assertThat(closing.isClosed()).isTrue();
            closing.close();
        }
    }

    @Test
    void gracefulCloseTerminatesStragglersAfterTheTimeout() throws Exception {
        try (TestServer server = TestServer.tcp()) {
            SocketConnector closing = SocketConnector.builder().writeBufferWaterMark(1024, 4 * 1024 * 1024).build();
            RecordingSocketHandler<Void> handler = new RecordingSocketHandler<>();
            Socket<Void> socket = closing
                .connect(TcpSocketConnectOptions.<Void>builder()
                    .hostname("127.0.0.1")
                    .port(server.port())
                    .socket(handler)
                    .build())
                .get(10, TimeUnit.SECONDS);
            server.accept();
            // the peer never reads: the FIN can never be sent after 4 MiB of pending
            // bytes
            while (socket.write(new byte[64 * 1024]) > 0) {
                Thread.yield();
            }
            long start = System.nanoTime();
            closing.closeAsync(Duration.ofMillis(500)).get(10, TimeUnit.SECONDS);
            long elapsed = (System.nanoTime() - start) / 1_000_000;
            assertThat(elapsed).isBetween(400L, 5000L);
            // the bytes the peer never read are lost: close says so (issue 11, bug 7)
            assertThat(handler.awaitClose()).isInstanceOfSatisfying(SocketTransportException.class,
                    (error) -> assertThat(error.code()).isEqualTo("ETIMEDOUT"));
            assertThat(handler.rawEvents().stream().filter("close"::equals).count()).isEqualTo(1);
        }
    }

}
