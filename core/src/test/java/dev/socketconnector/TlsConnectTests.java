package dev.socketconnector;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * TLS connects against {@code openssl s_server} on both providers: the handshake flow,
 * verification and its Node codes, rejectUnauthorized(false), protocol failures, the
 * connect timeout and unix sockets.
 */
class TlsConnectTests {

    private static final PkiFixture PKI = PkiFixture.get();

    private final SocketConnector connector = SocketConnector.builder().connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void closeConnector() {
        this.connector.close();
    }

    private CompletableFuture<Socket<Void>> connect(String host, int port, TlsOptions tls,
            TlsRecordingHandler handler) {
        return this.connector.connect(
                TcpSocketConnectOptions.<Void>builder().hostname(host).port(port).socket(handler).tls(tls).build());
    }

    private static TlsOptions.Builder trusting(TlsProvider provider, String ca) {
        return TlsOptions.builder().provider(provider).ca(PKI.file(ca));
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = { "OPENSSL", "JDK" })
    void connectToTrustedServerFiresHandshakeThenOpenAndDeliversWrites(TlsProvider provider) throws Exception {
        try (TlsOpenSslServer server = TlsOpenSslServer.start(PKI, "-cert", "server.crt", "-key", "server.key")) {
            TlsRecordingHandler handler = new TlsRecordingHandler();
            Socket<Void> socket = connect("127.0.0.1", server.port(), trusting(provider, "ca.crt").build(), handler)
                .get(10, TimeUnit.SECONDS);
            assertThat(handler.events()).containsExactly("handshake:true", "open");
            assertThat(handler.threads()).hasSize(1);
            assertThat(handler.awaitAuthorizationError()).isNull();
            assertThat(socket.authorized()).isTrue();
            assertThat(socket.getAuthorizationError()).isNull();
            assertThat(socket.getTLSVersion()).isEqualTo("TLSv1.3");
            assertThat(socket.alpnProtocol()).isEmpty();
            assertThat(socket.getCipher().name()).isEqualTo(server.awaitLine("CIPHER is"));
            assertThat(socket.write("hello over tls\n")).isEqualTo(15);
            assertThat(server.awaitLine("hello over")).isEqualTo("tls");
            socket.end();
            assertThat(handler.awaitClose()).isNull();
            assertThat(handler.events()).containsExactly("handshake:true", "open", "close");
        }
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = { "OPENSSL", "JDK" })
    void connectToLocalhostSendsSniAndMatchesDnsSan(TlsProvider provider) throws Exception {
        try (TlsOpenSslServer server = TlsOpenSslServer.start(PKI, "-cert", "server.crt", "-key", "server.key",
                "-servername", "localhost", "-cert2", "server.crt", "-key2", "server.key")) {
            TlsRecordingHandler handler = new TlsRecordingHandler();
            Socket<Void> socket = connect("localhost", server.port(), trusting(provider, "ca.crt").build(), handler)
                .get(10, TimeUnit.SECONDS);
            assertThat(socket.authorized()).isTrue();
            assertThat(server.awaitLine("Hostname in TLS extension:")).isEqualTo("\"localhost\"");
        }
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = { "OPENSSL", "JDK" })
    void connectWithIntermediateSentByServerIsAuthorizedWithDetailedChainToRoot(TlsProvider provider) throws Exception {
        try (TlsOpenSslServer server = TlsOpenSslServer.start(PKI, "-cert", "chained.crt", "-key", "chained.key",
                "-cert_chain", "intermediate.crt")) {
            Socket<Void> socket = connect("localhost", server.port(), trusting(provider, "ca.crt").build(),
                    new TlsRecordingHandler())
                .get(10, TimeUnit.SECONDS);
            assertThat(socket.authorized()).isTrue();
            PeerCertificate leaf = socket.getPeerCertificate(true);
            assertThat(leaf.subject()).containsEntry("CN", "localhost");
            assertThat(leaf.issuerCertificate().subject()).containsEntry("CN", "Test Intermediate CA");
            assertThat(leaf.issuerCertificate().issuerCertificate().subject()).containsEntry("CN", "Test Root CA");
            assertThat(leaf.issuerCertificate().issuerCertificate().issuerCertificate()).isNull();
            assertThat(socket.getPeerCertificate().issuerCertificate()).isNull();
        }
    }

    static Stream<Arguments> badCertificates() {
        Stream<Arguments> cases = Stream.of(
                Arguments.of("self.crt", "self.key", null, "ca.crt", "127.0.0.1", "DEPTH_ZERO_SELF_SIGNED_CERT"),
                Arguments.of("chained.crt", "chained.key", "intermediate-root.crt", "other-ca.crt", "127.0.0.1",
                        "SELF_SIGNED_CERT_IN_CHAIN"),
                Arguments.of("chained.crt", "chained.key", null, "ca.crt", "127.0.0.1",
                        "UNABLE_TO_VERIFY_LEAF_SIGNATURE"),
                Arguments.of("chained.crt", "chained.key", "intermediate.crt", "other-ca.crt", "127.0.0.1",
                        "UNABLE_TO_GET_ISSUER_CERT_LOCALLY"),
                Arguments.of("expired.crt", "expired.key", null, "ca.crt", "127.0.0.1", "CERT_HAS_EXPIRED"),
                Arguments.of("future.crt", "future.key", null, "ca.crt", "127.0.0.1", "CERT_NOT_YET_VALID"),
                Arguments.of("wrong.crt", "wrong.key", null, "ca.crt", "localhost", "ERR_TLS_CERT_ALTNAME_INVALID"),
                Arguments.of("server.crt", "server.key", null, "ca.crt", "127.0.0.2", "ERR_TLS_CERT_ALTNAME_INVALID"));
        return cases.flatMap((arguments) -> Stream.of(TlsProvider.OPENSSL, TlsProvider.JDK).map((provider) -> {
            Object[] values = arguments.get();
            return Arguments.of(provider, values[0], values[1], values[2], values[3], values[4], values[5]);
        }));
    }

    @ParameterizedTest(name = "{0} {1} trusting {4} as {5}: {6}")
    @MethodSource("badCertificates")
    void connectToBadCertificateIsRefusedWithNodeCode(TlsProvider provider, String cert, String key, String chain,
            String ca, String host, String code) throws Exception {
        String[] args = (chain != null) ? new String[] { "-cert", cert, "-key", key, "-cert_chain", chain }
                : new String[] { "-cert", cert, "-key", key };
        try (TlsOpenSslServer server = TlsOpenSslServer.start(PKI, args)) {
            TlsRecordingHandler handler = new TlsRecordingHandler();
            String dial = host.equals("127.0.0.2") ? "127.0.0.1" : host;
            TlsOptions.Builder tls = trusting(provider, ca);
            if (host.equals("127.0.0.2")) {
                tls.serverName("127.0.0.2");
            }
            CompletableFuture<Socket<Void>> future = connect(dial, server.port(), tls.build(), handler);
            assertThatThrownBy(() -> future.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(TlsAuthorizationException.class)
                .satisfies((e) -> assertThat(((TlsAuthorizationException) e).code()).isEqualTo(code));
            assertThat(handler.awaitClose()).isNull();
            assertThat(handler.events()).containsExactly("handshake:false", "close");
            assertThat(((TlsAuthorizationException) handler.awaitAuthorizationError()).code()).isEqualTo(code);
        }
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = { "OPENSSL", "JDK" })
    void wrongHostMessageIsNodes(TlsProvider provider) throws Exception {
        try (TlsOpenSslServer server = TlsOpenSslServer.start(PKI, "-cert", "server.crt", "-key", "server.key")) {
            TlsRecordingHandler handler = new TlsRecordingHandler();
            CompletableFuture<Socket<Void>> future = connect("127.0.0.1", server.port(),
                    trusting(provider, "ca.crt").serverName("wrong.example").build(), handler);
            assertThatThrownBy(() -> future.get(10, TimeUnit.SECONDS)).cause()
                .hasMessage("Hostname/IP does not match certificate's altnames: Host: wrong.example. is not in the"
                        + " cert's altnames: DNS:localhost, IP Address:127.0.0.1");
        }
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = { "OPENSSL", "JDK" })
    void rejectUnauthorizedFalseOpensWithErrorKept(TlsProvider provider) throws Exception {
        try (TlsOpenSslServer server = TlsOpenSslServer.start(PKI, "-cert", "self.crt", "-key", "self.key")) {
            TlsRecordingHandler handler = new TlsRecordingHandler();
            Socket<Void> socket = connect("127.0.0.1", server.port(),
                    trusting(provider, "ca.crt").rejectUnauthorized(false).build(), handler)
                .get(10, TimeUnit.SECONDS);
            assertThat(handler.events()).containsExactly("handshake:true", "open");
            assertThat(((TlsAuthorizationException) handler.awaitAuthorizationError()).code())
                .isEqualTo("DEPTH_ZERO_SELF_SIGNED_CERT");
            assertThat(socket.authorized()).isFalse();
            assertThat(((TlsAuthorizationException) socket.getAuthorizationError()).code())
                .isEqualTo("DEPTH_ZERO_SELF_SIGNED_CERT");
            assertThat(socket.getAuthorizationError().getMessage()).isEqualTo("self signed certificate");
        }
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = { "OPENSSL", "JDK" })
    void defaultTrustStoreRefusesTestCa(TlsProvider provider) throws Exception {
        try (TlsOpenSslServer server = TlsOpenSslServer.start(PKI, "-cert", "server.crt", "-key", "server.key")) {
            TlsRecordingHandler handler = new TlsRecordingHandler();
            CompletableFuture<Socket<Void>> future = connect("localhost", server.port(),
                    TlsOptions.builder().provider(provider).build(), handler);
            assertThatThrownBy(() -> future.get(10, TimeUnit.SECONDS)).cause()
                .isInstanceOf(TlsAuthorizationException.class)
                .satisfies((e) -> assertThat(((TlsAuthorizationException) e).code())
                    .isEqualTo("UNABLE_TO_VERIFY_LEAF_SIGNATURE"));
        }
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = { "OPENSSL", "JDK" })
    void plainTextPeerFailsHandshakeWithEproto(TlsProvider provider) throws Exception {
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress("127.0.0.1", 0));
            Thread peer = new Thread(() -> {
                try (java.net.Socket accepted = server.accept()) {
                    OutputStream out = accepted.getOutputStream();
                    out.write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    InputStream in = accepted.getInputStream();
                    in.read(new byte[4096]);
                    // the peer stays open a moment after its answer, as a real server
                    Thread.sleep(500);
                }
                catch (IOException | InterruptedException ex) {
                    // the client went away
                }
            });
            peer.start();
            TlsRecordingHandler handler = new TlsRecordingHandler();
            CompletableFuture<Socket<Void>> future = connect("127.0.0.1", server.getLocalPort(),
                    trusting(provider, "ca.crt").build(), handler);
            assertThatThrownBy(() -> future.get(10, TimeUnit.SECONDS)).cause()
                .isInstanceOf(TlsAuthorizationException.class)
                .satisfies((e) -> assertThat(((TlsAuthorizationException) e).code()).isEqualTo("EPROTO"));
            handler.awaitClose();
            assertThat(handler.events()).containsExactly("handshake:false", "close");
            peer.join(5000);
        }
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = { "OPENSSL", "JDK" })
    void peerClosingDuringTheHandshakeFailsItWithEconnreset(TlsProvider provider) throws Exception {
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress("127.0.0.1", 0));
            Thread peer = new Thread(() -> {
                try (java.net.Socket accepted = server.accept()) {
                    accepted.getInputStream().read(new byte[16384]);
                }
                catch (IOException ex) {
                    // the client went away
                }
            });
            peer.start();
            TlsRecordingHandler handler = new TlsRecordingHandler();
            CompletableFuture<Socket<Void>> future = connect("127.0.0.1", server.getLocalPort(),
                    trusting(provider, "ca.crt").build(), handler);
            assertThatThrownBy(() -> future.get(10, TimeUnit.SECONDS)).cause()
                .isInstanceOf(TlsAuthorizationException.class)
                .hasMessage("Client network socket disconnected before secure TLS connection was established")
                .satisfies((e) -> assertThat(((TlsAuthorizationException) e).code()).isEqualTo("ECONNRESET"));
            handler.awaitClose();
            assertThat(handler.events()).containsExactly("handshake:false", "close");
            peer.join(5000);
        }
    }

    @Test
    void peerThatNeverAnswersTheHandshakeFailsTheConnectWithEtimedout() throws Exception {
        try (SocketConnector quick = SocketConnector.builder().connectTimeout(Duration.ofMillis(700)).build();
                ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress("127.0.0.1", 0));
            RecordingSocketHandler<Void> handler = new RecordingSocketHandler<>();
            long start = System.nanoTime();
            CompletableFuture<Socket<Void>> future = quick.connect(TcpSocketConnectOptions.<Void>builder()
                .hostname("127.0.0.1")
                .port(server.getLocalPort())
                .socket(handler)
                .tls(TlsOptions.builder().ca(PKI.file("ca.crt")).build())
                .build());
            java.net.Socket accepted = server.accept();
            try {
                assertThatThrownBy(() -> future.get(10, TimeUnit.SECONDS)).cause()
                    .isInstanceOf(SocketConnectException.class)
                    .satisfies((e) -> assertThat(((SocketConnectException) e).code()).isEqualTo("ETIMEDOUT"));
                long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertThat(elapsedMillis).isBetween(600L, 5000L);
                assertThat(handler.events()).doesNotContain("open", "handshake:true");
            }
            finally {
                accepted.close();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = { "OPENSSL", "JDK" })
    void tlsOverUnixSocketVerifiesAgainstLocalhost(TlsProvider provider) throws Exception {
        Path dir = Files.createTempDirectory("tls-unix");
        Path path = dir.resolve("s.sock");
        AutoCloseable relay = null;
        try (TlsOpenSslServer server = TlsOpenSslServer.start(PKI, "-cert", "server.crt", "-key", "server.key")) {
            relay = server.relayFromUnix(path);
            TlsRecordingHandler handler = new TlsRecordingHandler();
            Socket<Void> socket = this.connector
                .connect(UnixSocketOptions.<Void>builder()
                    .unix(path.toString())
                    .socket(handler)
                    .tls(trusting(provider, "ca.crt").build())
                    .build())
                .get(10, TimeUnit.SECONDS);
            assertThat(handler.events()).containsExactly("handshake:true", "open");
            assertThat(socket.authorized()).isTrue();
            assertThat(socket.getTLSVersion()).isEqualTo("TLSv1.3");
            socket.write("over unix\n");
            assertThat(server.awaitLine("over")).isEqualTo("unix");
        }
        finally {
            if (relay != null) {
                relay.close();
            }
            Files.deleteIfExists(path);
            Files.deleteIfExists(dir);
        }
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = { "OPENSSL", "JDK" })
    void connectorDefaultsReadFromFilesStillConnectAfterTheFilesAreDeleted(TlsProvider provider, @TempDir Path dir)
            throws Exception {
        Path ca = Files.copy(PKI.file("ca.crt"), dir.resolve("ca.crt"));
        Path cert = Files.copy(PKI.file("client.crt"), dir.resolve("client.crt"));
        Path key = Files.copy(PKI.file("client-encrypted.key"), dir.resolve("client-encrypted.key"));
        TlsOptions defaults = TlsOptions.builder().ca(ca).cert(cert).key(key).passphrase(PkiFixture.PASSPHRASE).build();
        Files.delete(ca);
        Files.delete(cert);
        Files.delete(key);
        try (SocketConnector withDefaults = SocketConnector.builder()
            .connectTimeout(Duration.ofSeconds(5))
            .tls(defaults)
            .build();
                TlsOpenSslServer server = TlsOpenSslServer.start(PKI, "-cert", "server.crt", "-key", "server.key",
                        "-Verify", "1", "-CAfile", "ca.crt")) {
            TlsRecordingHandler handler = new TlsRecordingHandler();
            // the connect sets a field of its own, so its options are merged with the
            // defaults read above
            Socket<Void> socket = withDefaults
                .connect(TcpSocketConnectOptions.<Void>builder()
                    .hostname("127.0.0.1")
                    .port(server.port())
                    .socket(handler)
                    .tls(TlsOptions.builder().provider(provider).build())
                    .build())
                .get(10, TimeUnit.SECONDS);
            assertThat(socket.authorized()).isTrue();
            assertThat(server.awaitLine("subject=")).contains("CN = test client");
            socket.end();
            assertThat(handler.awaitClose()).isNull();
        }
    }

}
