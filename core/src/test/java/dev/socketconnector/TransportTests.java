package dev.socketconnector;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.netty.channel.Channel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.nio.NioDomainSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringDomainSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The transport under the connector. The core suite runs once per transport (surefire
 * executions in core's pom: AUTO, which is epoll here; io_uring and NIO through
 * {@code -Dsocketconnector.transport} or {@code -Dio.netty.transport.noNative}), and
 * these tests prove which one each run is on, and what differs.
 */
class TransportTests {

    private final SocketConnector connector = SocketConnector.create();

    @AfterEach
    void closeConnector() {
        this.connector.close();
    }

    /**
     * The transport the default connector of this JVM must pick: the property, else
     * epoll, io_uring, NIO.
     */
    static Transport expectedTransport() {
        String override = System.getProperty("socketconnector.transport");
        if (override != null && !override.isBlank()) {
            return Transport.valueOf(override.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
        }
        if (Epoll.isAvailable()) {
            return Transport.EPOLL;
        }
        return IoUring.isAvailable() ? Transport.IO_URING : Transport.NIO;
    }

    @Test
    void nativeTransportsLoadUnlessDisabled() {
        if (Boolean.getBoolean("io.netty.transport.noNative")) {
            assertThat(IoUring.isAvailable()).isFalse();
            assertThat(Epoll.isAvailable()).isFalse();
            return;
        }
        // the build runs on Linux x86_64 with both native jars on the test class path:
        // both must load
        assertThat(Epoll.unavailabilityCause()).as("epoll unavailability cause").isNull();
        assertThat(IoUring.unavailabilityCause()).as("io_uring unavailability cause").isNull();
    }

    @Test
    void connectorReportsTheTransportLoopsAndTlsProviderItResolved() {
        assertThat(this.connector.transport()).isEqualTo(expectedTransport());
        assertThat(this.connector.eventLoops()).isEqualTo(Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
        // AUTO: BoringSSL (netty-tcnative-boringssl-static is on the test class path)
        // unless it cannot load here
        assertThat(this.connector.tlsProvider())
            .isEqualTo(io.netty.handler.ssl.OpenSsl.isAvailable() ? TlsProvider.OPENSSL : TlsProvider.JDK);
        try (SocketConnector nio = SocketConnector.builder()
            .transport(Transport.NIO)
            .eventLoopThreads(3)
            .tls(TlsOptions.builder().provider(TlsProvider.JDK).build())
            .build()) {
            assertThat(nio.transport()).isEqualTo(Transport.NIO);
            assertThat(nio.eventLoops()).isEqualTo(3);
            assertThat(nio.tlsProvider()).isEqualTo(TlsProvider.JDK);
        }
    }

    @Test
    void connectorRunsOnTheTransportOfThisRun() throws Exception {
        Transport expected = expectedTransport();
        assertThat(this.connector.toString()).contains("transport=" + expected);
        try (TestServer tcp = TestServer.tcp(); TestServer unix = TestServer.unix()) {
            Socket<Void> tcpSocket = this.connector
                .connect(TcpSocketConnectOptions.<Void>builder()
                    .hostname("127.0.0.1")
                    .port(tcp.port())
                    .socket(new RecordingSocketHandler<>())
                    .build())
                .get(10, TimeUnit.SECONDS);
            Socket<Void> unixSocket = this.connector.connect(
                    UnixSocketOptions.<Void>builder().unix(unix.path()).socket(new RecordingSocketHandler<>()).build())
                .get(10, TimeUnit.SECONDS);
            Channel tcpChannel = SocketInternals.channel(tcpSocket);
            Channel unixChannel = SocketInternals.channel(unixSocket);
            switch (expected) {
                case IO_URING -> {
                    assertThat(tcpChannel).isInstanceOf(IoUringSocketChannel.class);
                    assertThat(unixChannel).isInstanceOf(IoUringDomainSocketChannel.class);
                }
                case EPOLL -> {
                    assertThat(tcpChannel).isInstanceOf(EpollSocketChannel.class);
                    assertThat(unixChannel).isInstanceOf(EpollDomainSocketChannel.class);
                }
                default -> {
                    assertThat(tcpChannel).isInstanceOf(NioSocketChannel.class);
                    assertThat(unixChannel).isInstanceOf(NioDomainSocketChannel.class);
                }
            }
        }
    }

    @Test
    void unixAllowHalfOpenKeepsWritingAfterThePeersFinOnEpollOnly() throws Exception {
        try (TestServer server = TestServer.unix()) {
            CountDownLatch ended = new CountDownLatch(1);
            RecordingSocketHandler<Void> handler = new RecordingSocketHandler<Void>().onEnd(s -> ended.countDown());
            Socket<Void> socket = this.connector.connect(
                    UnixSocketOptions.<Void>builder().unix(server.path()).allowHalfOpen(true).socket(handler).build())
                .get(10, TimeUnit.SECONDS);
            TestServer.Peer peer = server.accept();
            peer.write("request");
            peer.shutdownOutput();
            assertThat(ended.await(10, TimeUnit.SECONDS)).as("end fired").isTrue();
            if (expectedTransport() != Transport.EPOLL) {
                // Netty's NioDomainSocketChannel, and IoUringDomainSocketChannel in
                // 4.2.18 (its half-closure check
                // only reads SocketChannelConfig), close on the peer's FIN: the README
                // documents this limitation
                assertThat(handler.awaitClose()).isNull();
                assertThat(handler.events()).containsExactly("open", "data", "end", "close");
                return;
            }
            assertThat(socket.write("reply")).as("write after the peer's FIN (events %s)", handler.events())
                .isEqualTo(5);
            assertThat(socket.readyState()).isEqualTo(ReadyState.OPEN);
            socket.end();
            assertThat(new String(peer.readToEnd(), StandardCharsets.UTF_8)).isEqualTo("reply");
            assertThat(handler.awaitClose()).isNull();
            assertThat(new String(handler.received(), StandardCharsets.UTF_8)).isEqualTo("request");
            assertThat(handler.events()).containsExactly("open", "data", "end", "close");
        }
    }

    @Test
    void theDefaultIsOneEventLoopPerTwoCoresAtLeastOne() throws Exception {
        int loops = Math.max(1, io.netty.util.NettyRuntime.availableProcessors() / 2);
        java.util.Set<String> threads = new java.util.HashSet<>();
        try (TestServer server = TestServer.tcp()) {
            // Netty hands new channels to its loops round-robin: 2 x loops + 1 sockets
            // visit every loop (and would visit a second one if there were more)
            for (int i = 0; i < 2 * loops + 1; i++) {
                RecordingSocketHandler<Void> handler = new RecordingSocketHandler<>();
                this.connector
                    .connect(TcpSocketConnectOptions.<Void>builder()
                        .hostname("127.0.0.1")
                        .port(server.port())
                        .socket(handler)
                        .build())
                    .get(10, TimeUnit.SECONDS);
                threads.addAll(handler.threads());
            }
        }
        assertThat(threads).as("event-loop threads of the default connector").hasSize(loops);
    }

    @Test
    void withoutTheNativeJarsAutoIsNioAndANativeTransportSaysWhichJarToAdd() throws Exception {
        // surefire's real class path (java.class.path is its booter jar)
        String fullPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String classPath = Arrays.stream(fullPath.split(File.pathSeparator))
            .filter((entry) -> !entry.contains("epoll") && !entry.contains("io_uring")
                    && !entry.contains("unix-common"))
            .collect(Collectors.joining(File.pathSeparator));
        assertThat(classPath).as("the child's class path").isNotEqualTo(fullPath);
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        Process process = new ProcessBuilder(java, "-cp", classPath, NoNativeJarsMain.class.getName())
            .redirectErrorStream(true)
            .start();
        String output;
        try {
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("child JVM finished").isTrue();
            output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
        finally {
            process.destroyForcibly();
        }
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("SocketConnector[transport=NIO")
            .contains("transport EPOLL is not available (java.lang.ClassNotFoundException: "
                    + "io.netty.channel.epoll.Epoll)")
            .contains("add io.netty:netty-transport-native-epoll");
    }

    @Test
    void aBadTransportPropertyFailsFastNamingTheValues() {
        String previous = System.getProperty("socketconnector.transport");
        System.setProperty("socketconnector.transport", "kqueue");
        try {
            assertThatThrownBy(() -> SocketConnector.builder().build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("socketconnector.transport is 'kqueue'")
                .hasMessageContaining("auto, nio, epoll, io_uring");
        }
        finally {
            if (previous == null) {
                System.clearProperty("socketconnector.transport");
            }
            else {
                System.setProperty("socketconnector.transport", previous);
            }
        }
    }

    @Test
    void anUnavailableNativeTransportFailsFastSayingWhatToAdd() {
        Assumptions.assumeFalse(Epoll.isAvailable() || IoUring.isAvailable(),
                "the native transports load in this JVM; the nio-tests run (-Dio.netty.transport.noNative=true) "
                        + "checks this failure");
        assertThatThrownBy(() -> SocketConnector.builder().transport(Transport.EPOLL).build())
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("transport EPOLL is not available")
            .hasMessageContaining("io.netty:netty-transport-native-epoll");
        assertThatThrownBy(() -> SocketConnector.builder().transport(Transport.IO_URING).build())
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("transport IO_URING is not available")
            .hasMessageContaining("io.netty:netty-transport-native-io_uring");
    }

    @Test
    void explicitTransportsIgnoreTheProperty() throws Exception {
        try (SocketConnector nio = SocketConnector.builder().transport(Transport.NIO).build()) {
            assertThat(nio.toString()).contains("transport=NIO");
        }
    }

}
