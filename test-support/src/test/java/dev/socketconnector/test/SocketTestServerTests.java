package dev.socketconnector.test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.socketconnector.SocketConnector;
import dev.socketconnector.SocketHandler;
import dev.socketconnector.TcpSocketConnectOptions;
import dev.socketconnector.TlsOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests {@link SocketTestServer} with real clients on 127.0.0.1: a JDK socket for echo,
 * script, drop and restart, and socket-connector itself for TLS.
 */
class SocketTestServerTests {

    @RegisterExtension
    static SocketTestServer echo = SocketTestServer.echo();

    @RegisterExtension
    SocketTestServer script = SocketTestServer.scripted(Map.of("PING", "PONG\n", "HELLO", "WORLD\n"));

    @Test
    void echoServerWritesBackWhatItReads() throws Exception {
        try (Socket client = connect(echo.port())) {
            client.getOutputStream().write("hello".getBytes(StandardCharsets.UTF_8));
            assertThat(readExactly(client.getInputStream(), 5)).isEqualTo("hello");
        }
    }

    @Test
    void scriptedServerAnswersEachKnownLine() throws Exception {
        assertThat(this.script.isRunning()).isTrue();
        try (Socket client = connect(this.script.port())) {
            OutputStream out = client.getOutputStream();
            out.write("PING\r\nunknown\nHELLO\n".getBytes(StandardCharsets.UTF_8));
            assertThat(readExactly(client.getInputStream(), 11)).isEqualTo("PONG\nWORLD\n");
        }
    }

    @Test
    void dropConnectionsClosesThemAndKeepsAccepting() throws Exception {
        try (Socket client = connect(echo.port())) {
            SocketEndpoints.await(() -> echo.openConnections() >= 1, Duration.ofSeconds(10), () -> "not accepted");
            echo.dropConnections();
            assertThat(client.getInputStream().read()).isEqualTo(-1);
        }
        try (Socket again = connect(echo.port())) {
            again.getOutputStream().write('x');
            assertThat(readExactly(again.getInputStream(), 1)).isEqualTo("x");
        }
    }

    @Test
    void dropConnectionsRightAfterConnectingAlsoDropsConnectionsNotYetAccepted() throws Exception {
        // a client's connect completes in the kernel before the server's accept thread
        // takes the connection: a drop right after connecting must close it all the same
        dropRightAfterConnecting(SocketTestServer.echo());
        // over TLS the accept thread hands the handshake to the connection's thread
        dropRightAfterConnecting(SocketTestServer.echo().tls());
    }

    private static void dropRightAfterConnecting(SocketTestServer unstarted) throws Exception {
        try (SocketTestServer server = unstarted.start()) {
            java.util.List<Socket> clients = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < 50; i++) {
                    clients.add(connect(server.port()));
                }
                server.dropConnections();
                for (Socket client : clients) {
                    // the end of the stream (a TLS server sends its close alert first);
                    // a connection left open times out here instead
                    client.getInputStream().readAllBytes();
                }
                assertThat(server.acceptedConnections()).isEqualTo(50);
            }
            finally {
                for (Socket client : clients) {
                    client.close();
                }
            }
        }
    }

    @Test
    void restartClosesConnectionsAndServesAgainOnTheSamePort() throws Exception {
        int port = this.script.port();
        try (Socket client = connect(port)) {
            this.script.awaitAcceptedConnections(1, Duration.ofSeconds(10));
            this.script.restart();
            assertThat(client.getInputStream().read()).isEqualTo(-1);
        }
        assertThat(this.script.port()).isEqualTo(port);
        try (Socket again = connect(port)) {
            again.getOutputStream().write("PING\n".getBytes(StandardCharsets.UTF_8));
            assertThat(readExactly(again.getInputStream(), 5)).isEqualTo("PONG\n");
        }
        assertThat(this.script.acceptedConnections()).isEqualTo(2);
    }

    @Test
    void startAfterStopWaitsForItsPortWhileSomethingElseStillHoldsIt() throws Exception {
        int port = this.script.port();
        this.script.stop();
        ServerSocket squatter = squat(port);
        CompletableFuture<Void> released = CompletableFuture.runAsync(() -> {
            try (squatter) {
                Thread.sleep(300);
            }
            catch (Exception ex) {
                throw new IllegalStateException(ex);
            }
        });
        try {
            this.script.start();
        }
        finally {
            released.get(10, TimeUnit.SECONDS);
        }
        assertThat(squatter.isClosed()).isTrue();
        assertThat(this.script.port()).isEqualTo(port);
        try (Socket client = connect(port)) {
            client.getOutputStream().write("PING\n".getBytes(StandardCharsets.UTF_8));
            assertThat(readExactly(client.getInputStream(), 5)).isEqualTo("PONG\n");
        }
    }

    @Test
    void tlsServerPresentsAGeneratedCertificateThatTheConnectorTrusts() throws Exception {
        try (SocketTestServer tls = SocketTestServer.echo().tls().start();
                SocketConnector connector = SocketConnector.create()) {
            assertThat(tls.certificatePem()).startsWith("-----BEGIN CERTIFICATE-----");
            CompletableFuture<String> echoed = new CompletableFuture<>();
            dev.socketconnector.Socket<Void> socket = connector.connect(TcpSocketConnectOptions.<Void>builder()
                .hostname("127.0.0.1")
                .port(tls.port())
                .tls(TlsOptions.builder().ca(tls.certificatePem()).build())
                .socket(new SocketHandler<>() {
                    @Override
                    public void data(dev.socketconnector.Socket<Void> socket, byte[] data) {
                        echoed.complete(new String(data, StandardCharsets.UTF_8));
                    }
                })
                .build()).get(10, TimeUnit.SECONDS);
            assertThat(socket.authorized()).isTrue();
            socket.write("over tls");
            assertThat(echoed.get(10, TimeUnit.SECONDS)).isEqualTo("over tls");
            socket.end();
        }
    }

    @Test
    void awaitFailsWithTheMessageWhenTheTimeoutPasses() {
        org.assertj.core.api.Assertions
            .assertThatThrownBy(() -> echo.awaitAcceptedConnections(1000, Duration.ofMillis(50)))
            .isInstanceOf(AssertionError.class)
            .hasMessageContaining("expected 1000");
    }

    /**
     * Listens on the port as the server's own socket does (connections of earlier tests
     * may still be in TIME_WAIT on it), retrying for up to 5 s: on a machine busy with
     * other connections the port can be some client's local port for a moment.
     */
    private static ServerSocket squat(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (true) {
            ServerSocket squatter = new ServerSocket();
            squatter.setReuseAddress(true);
            try {
                squatter.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
                return squatter;
            }
            catch (java.net.BindException ex) {
                squatter.close();
                if (System.nanoTime() - deadline >= 0) {
                    throw ex;
                }
                Thread.sleep(10);
            }
        }
    }

    private static Socket connect(int port) throws Exception {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(10_000);
        return socket;
    }

    private static String readExactly(InputStream in, int length) throws Exception {
        byte[] bytes = in.readNBytes(length);
        return new String(bytes, StandardCharsets.UTF_8);
    }

}
