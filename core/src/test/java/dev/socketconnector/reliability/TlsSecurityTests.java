package dev.socketconnector.reliability;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.ECPrivateKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.LogRecord;
import java.util.stream.Stream;

import dev.socketconnector.PkiFixture;
import dev.socketconnector.Socket;
import dev.socketconnector.SocketConnector;
import dev.socketconnector.TcpSocketConnectOptions;
import dev.socketconnector.TlsAuthorizationException;
import dev.socketconnector.TlsOpenSslServer;
import dev.socketconnector.TlsOptions;
import dev.socketconnector.TlsProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * TLS refusal and secrets: every bad certificate is refused by default whatever else is
 * configured, and only {@code rejectUnauthorized(false)} lets it in; TLS 1.0 and 1.1
 * peers are refused even then; keys, passphrases and keying material (the peer's own key
 * log of the session) never show up in logs, {@code toString()} or exception messages.
 */
class TlsSecurityTests {

    private static final PkiFixture PKI = PkiFixture.get();

    private final SocketConnector connector = SocketConnector.builder().connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void closeConnector() {
        this.connector.close();
    }

    /**
     * provider, version, cert, key, chain sent by the server, CA trusted by the client,
     * host dialled, server name (or null), expected code, expected message (or null):
     * every row is refused by OpenSSL's own
     * {@code openssl verify -purpose sslserver -auth_level 1 -verify_hostname/-verify_ip}
     * (the oracle).
     */
    static Stream<Arguments> badCertificates() {
        return Stream.of(TlsProvider.OPENSSL, TlsProvider.JDK)
            .flatMap((provider) -> Stream.of("-tls1_2", "-tls1_3")
                .flatMap((version) -> Stream.of(
                        Arguments.of(provider, version, "self.crt", "self.key", null, "ca.crt", "127.0.0.1", null,
                                "DEPTH_ZERO_SELF_SIGNED_CERT", null),
                        Arguments.of(provider, version, "chained.crt", "chained.key", "intermediate-root.crt",
                                "other-ca.crt", "127.0.0.1", null, "SELF_SIGNED_CERT_IN_CHAIN", null),
                        Arguments.of(provider, version, "chained.crt", "chained.key", null, "ca.crt", "127.0.0.1", null,
                                "UNABLE_TO_VERIFY_LEAF_SIGNATURE", null),
                        Arguments.of(provider, version, "server.crt", "server.key", null, "other-ca.crt", "127.0.0.1",
                                null, "UNABLE_TO_VERIFY_LEAF_SIGNATURE", null),
                        Arguments.of(provider, version, "expired.crt", "expired.key", null, "ca.crt", "127.0.0.1", null,
                                "CERT_HAS_EXPIRED", null),
                        Arguments.of(provider, version, "future.crt", "future.key", null, "ca.crt", "127.0.0.1", null,
                                "CERT_NOT_YET_VALID", null),
                        Arguments.of(provider, version, "wrong.crt", "wrong.key", null, "ca.crt", "localhost", null,
                                "ERR_TLS_CERT_ALTNAME_INVALID", null),
                        Arguments.of(provider, version, "eku-client.crt", "eku-client.key", null, "ca.crt", "127.0.0.1",
                                null, "INVALID_PURPOSE", "unsuitable certificate purpose"),
                        Arguments.of(provider, version, "eku-codesign.crt", "eku-codesign.key", null, "ca.crt",
                                "127.0.0.1", null, "INVALID_PURPOSE", "unsuitable certificate purpose"),
                        Arguments.of(provider, version, "ku-certsign.crt", "ku-certsign.key", null, "ca.crt",
                                "127.0.0.1", null, "INVALID_PURPOSE", "unsuitable certificate purpose"),
                        Arguments.of(provider, version, "sha1.crt", "sha1.key", null, "ca.crt", "127.0.0.1", null,
                                "UNSPECIFIED", "CA signature digest algorithm too weak"),
                        Arguments.of(provider, version, "md5.crt", "md5.key", null, "rsa-ca.crt", "127.0.0.1", null,
                                "UNSPECIFIED", "CA signature digest algorithm too weak"),
                        Arguments.of(provider, version, "nc-evil.crt", "nc-evil.key", null, "nc-ca.crt", "127.0.0.1",
                                "evil.test", "UNSPECIFIED", "permitted subtree violation"))))
            .filter((row) -> served(row.get()));
    }

    /**
     * Whether s_server can serve the row at all: it cannot sign a TLS 1.2 key exchange
     * with a key whose usage is keyCertSign only, and it does not send an MD5-signed
     * chain to a JDK client (whose signature_algorithms_cert leaves MD5 out); both fail
     * with s_server's handshake_failure alert. {@code TlsVerifierTests} checks these
     * certificates with the verifier itself.
     */
    private static boolean served(Object[] row) {
        return !(row[2].equals("ku-certsign.crt") && row[1].equals("-tls1_2"))
                && !(row[2].equals("md5.crt") && row[0] == TlsProvider.JDK);
    }

    @ParameterizedTest(name = "{0} {1} {2} trusting {5}: {8}")
    @MethodSource("badCertificates")
    void badCertificateIsRefusedByDefaultAndOnlyRejectUnauthorizedFalseLetsItIn(TlsProvider provider, String version,
            String cert, String key, String chain, String ca, String host, String serverName, String code,
            String message) throws Exception {
        String name = (serverName != null) ? serverName : host;
        List<String> verify = new ArrayList<>(List.of("verify", "-purpose", "sslserver", "-auth_level", "1",
                name.equals("127.0.0.1") ? "-verify_ip" : "-verify_hostname", name, "-CAfile", ca));
        if (chain != null) {
            verify.addAll(List.of("-untrusted", chain));
        }
        verify.add(cert);
        assertThatThrownBy(() -> PKI.openssl(verify.toArray(new String[0]))).as("openssl verify refuses %s", cert)
            .isInstanceOf(IllegalStateException.class);
        List<String> args = new ArrayList<>(List.of("-cert", cert, "-key", key, version));
        if (cert.startsWith("sha1") || cert.startsWith("md5")) {
            // s_server itself refuses to serve such a certificate at its default level
            args.addAll(List.of("-cipher", "DEFAULT@SECLEVEL=0"));
        }
        if (chain != null) {
            args.addAll(List.of("-cert_chain", chain));
        }
        try (TlsOpenSslServer server = TlsOpenSslServer.start(PKI, args.toArray(new String[0]))) {
            TlsOptions.Builder builder = TlsOptions.builder().provider(provider).ca(PKI.file(ca));
            if (serverName != null) {
                builder.serverName(serverName);
            }
            TlsOptions base = builder.build();
            List<TlsOptions> refused = List.of(base, base.toBuilder().rejectUnauthorized(true).build(),
                    base.toBuilder().alpnProtocols("http/1.1").minVersion("TLSv1.2").maxVersion("TLSv1.3").build(),
                    base.toBuilder()
                        .ciphers("TLS_AES_128_GCM_SHA256", "ECDHE-ECDSA-AES128-GCM-SHA256",
                                "ECDHE-RSA-AES128-GCM-SHA256")
                        .build(),
                    base.toBuilder().serverName(name).build());
            for (TlsOptions tls : refused) {
                TrackingHandler<Void> handler = new TrackingHandler<>();
                Throwable failure = FaultTests.failure(connect(host, server.port(), tls, handler));
                assertThat(failure).as("refused with " + tls).isInstanceOf(TlsAuthorizationException.class);
                assertThat(((TlsAuthorizationException) failure).code()).as(failure.toString()).isEqualTo(code);
                if (message != null) {
                    assertThat(failure).hasMessage(message);
                }
                handler.assertClosedOnceAndQuiet(20);
                assertThat(handler.events()).containsExactly("handshake:false", "close");
            }
            assertThat(server.printed("CIPHER is")).as("s_server never completed a handshake").isFalse();
            if (provider == TlsProvider.OPENSSL && cert.equals("ku-certsign.crt")) {
                // BoringSSL refuses a leaf whose key usage forbids signing itself, even
                // without verification
                Throwable failure = FaultTests.failure(connect(host, server.port(),
                        base.toBuilder().rejectUnauthorized(false).build(), new TrackingHandler<>()));
                assertThat(((TlsAuthorizationException) failure).code()).isEqualTo(code);
                return;
            }
            TrackingHandler<Void> handler = new TrackingHandler<>();
            Socket<Void> socket = connect(host, server.port(), base.toBuilder().rejectUnauthorized(false).build(),
                    handler)
                .get(10, TimeUnit.SECONDS);
            assertThat(socket.authorized()).isFalse();
            assertThat(((TlsAuthorizationException) socket.getAuthorizationError()).code()).isEqualTo(code);
            if (message != null) {
                assertThat(socket.getAuthorizationError()).hasMessage(message);
            }
            assertThat(handler.events()).containsExactly("handshake:true", "open");
            socket.end();
            handler.assertClosedOnceAndQuiet(20);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("providersAndVersions")
    void nameConstrainedRootStillCertifiesNamesItPermits(TlsProvider provider, String version) throws Exception {
        PKI.openssl("verify", "-purpose", "sslserver", "-auth_level", "1", "-verify_hostname", "good.test", "-CAfile",
                "nc-ca.crt", "nc-good.crt");
        try (TlsOpenSslServer server = TlsOpenSslServer.start(PKI, "-cert", "nc-good.crt", "-key", "nc-good.key",
                version)) {
            TrackingHandler<Void> handler = new TrackingHandler<>();
            Socket<Void> socket = connect("127.0.0.1", server.port(),
                    TlsOptions.builder().provider(provider).ca(PKI.file("nc-ca.crt")).serverName("good.test").build(),
                    handler)
                .get(10, TimeUnit.SECONDS);
            assertThat(socket.authorized()).isTrue();
            socket.end();
            handler.assertClosedOnceAndQuiet(20);
        }
    }

    static Stream<Arguments> providersAndVersions() {
        return Stream.of(TlsProvider.OPENSSL, TlsProvider.JDK)
            .flatMap((provider) -> Stream.of(Arguments.of(provider, "-tls1_2"), Arguments.of(provider, "-tls1_3")));
    }

    /**
     * The verdict is reached during the handshake: a refused server gets a fatal alert
     * before the client's certificate ({@code s_server -Verify 1} prints
     * {@code depth=0 CN = test client} when one arrives) and before any application byte
     * ({@code write} inside {@code handshake(false, error)} returns -1). With
     * {@code rejectUnauthorized(false)} the same server gets both (the control).
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("providersAndVersions")
    void refusedServerNeverReceivesTheClientCertificateNorAnyByte(TlsProvider provider, String version)
            throws Exception {
        try (TlsOpenSslServer server = TlsOpenSslServer.start(PKI, "-cert", "eku-client.crt", "-key", "eku-client.key",
                "-Verify", "1", "-CAfile", "ca.crt", version)) {
            TlsOptions tls = TlsOptions.builder()
                .provider(provider)
                .ca(PKI.file("ca.crt"))
                .cert(PKI.file("client.crt"))
                .key(PKI.file("client.key"))
                .build();
            WritingHandler refused = new WritingHandler();
            Throwable failure = FaultTests.failure(connect("127.0.0.1", server.port(), tls, refused));
            assertThat(((TlsAuthorizationException) failure).code()).isEqualTo("INVALID_PURPOSE");
            refused.assertClosedOnceAndQuiet(20);
            assertThat(refused.written).as("write inside handshake(false, error)").containsExactly(-1);

            WritingHandler control = new WritingHandler();
            Socket<Void> socket = connect("127.0.0.1", server.port(), tls.toBuilder().rejectUnauthorized(false).build(),
                    control)
                .get(10, TimeUnit.SECONDS);
            assertThat(socket.authorized()).isFalse();
            assertThat(server.awaitLine("token-true")).isEmpty();
            assertThat(control.written).hasSize(1).allSatisfy((n) -> assertThat(n).isPositive());
            socket.end();
            control.assertClosedOnceAndQuiet(20);
            assertThat(server.count("depth=0 CN = test client"))
                .as("client certificates s_server received: the" + " control's only")
                .isEqualTo(server.count("token-true"));
            assertThat(server.printed("token-false")).as("a byte written inside handshake(false)").isFalse();
        }
    }

    /**
     * Writes {@code token-<success>} inside {@code handshake} and keeps what write
     * returned.
     */
    private static final class WritingHandler extends TrackingHandler<Void> {

        final List<Integer> written = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public void handshake(Socket<Void> socket, boolean success, Throwable authorizationError) {
            super.handshake(socket, success, authorizationError);
            this.written.add(socket.write("token-" + success + "\n"));
            socket.flush();
        }

    }

    private CompletableFuture<Socket<Void>> connect(String host, int port, TlsOptions tls,
            TrackingHandler<Void> handler) {
        return this.connector.connect(
                TcpSocketConnectOptions.<Void>builder().hostname(host).port(port).socket(handler).tls(tls).build());
    }

    static Stream<Arguments> oldVersions() {
        return Stream.of(TlsProvider.OPENSSL, TlsProvider.JDK)
            .flatMap((provider) -> Stream.of(Arguments.of(provider, "-tls1"), Arguments.of(provider, "-tls1_1")));
    }

    @ParameterizedTest(name = "{0} against s_server {1}")
    @MethodSource("oldVersions")
    void peerThatOnlySpeaksTls10Or11IsRefusedEvenWithoutVerification(TlsProvider provider, String version)
            throws Exception {
        // OpenSSL 3 serves TLS 1.0/1.1 only at security level 0
        try (TlsOpenSslServer server = TlsOpenSslServer.start(PKI, "-cert", "server.crt", "-key", "server.key", version,
                "-cipher", "DEFAULT@SECLEVEL=0")) {
            for (boolean reject : new boolean[] { true, false }) {
                TrackingHandler<Void> handler = new TrackingHandler<>();
                Throwable failure = FaultTests.failure(connect("127.0.0.1", server.port(),
                        TlsOptions.builder()
                            .provider(provider)
                            .ca(PKI.file("ca.crt"))
                            .rejectUnauthorized(reject)
                            .build(),
                        handler));
                assertThat(failure).isInstanceOf(TlsAuthorizationException.class);
                assertThat(((TlsAuthorizationException) failure).code()).isEqualTo("EPROTO");
                handler.assertClosedOnceAndQuiet(20);
                assertThat(handler.events()).containsExactly("handshake:false", "close");
            }
            assertThat(server.printed("CIPHER is")).as("s_server never completed a handshake").isFalse();
        }
    }

    @Test
    void rejectUnauthorizedFalseIsLoggedOnceAsAWarning() throws Exception {
        try (TlsOpenSslServer server = TlsOpenSslServer.start(PKI, "-cert", "self.crt", "-key", "self.key");
                LogCapture logs = new LogCapture()) {
            TlsOptions verified = TlsOptions.builder().ca(PKI.file("self.crt")).build();
            connect("127.0.0.1", server.port(), verified, new TrackingHandler<>()).get(10, TimeUnit.SECONDS).end();
            assertThat(rejectWarnings(logs)).as("no warning while verification is on").isEmpty();
            for (int i = 0; i < 3; i++) {
                TrackingHandler<Void> handler = new TrackingHandler<>();
                connect("127.0.0.1", server.port(), TlsOptions.builder().rejectUnauthorized(false).build(), handler)
                    .get(10, TimeUnit.SECONDS)
                    .end();
                handler.awaitClose(10);
            }
            assertThat(rejectWarnings(logs)).as("warnings about rejectUnauthorized(false)").hasSize(1);
        }
    }

    private static List<LogRecord> rejectWarnings(LogCapture logs) {
        return logs.warnings("dev.socketconnector")
            .stream()
            .filter((r) -> String.valueOf(r.getMessage()).contains("rejectUnauthorized"))
            .toList();
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = { "OPENSSL", "JDK" })
    void keysPassphrasesAndKeyingMaterialNeverAppearInLogsToStringOrExceptions(TlsProvider provider) throws Exception {
        Path keyLog = Files.createTempFile("s_server-keylog", ".txt");
        List<String> texts = new ArrayList<>();
        byte[] exported;
        try (LogCapture logs = new LogCapture();
                TlsOpenSslServer server = TlsOpenSslServer.start(PKI, "-cert", "server.crt", "-key", "server.key",
                        "-Verify", "1", "-CAfile", "ca.crt", "-keylogfile", keyLog.toString())) {
            TlsOptions tls = TlsOptions.builder()
                .provider(provider)
                .ca(PKI.file("ca.crt"))
                .cert(PKI.file("client.crt"))
                .key(PKI.file("client-encrypted.key"))
                .passphrase(PkiFixture.PASSPHRASE)
                .build();
            TrackingHandler<Void> handler = new TrackingHandler<>();
            Socket<Void> socket = connect("127.0.0.1", server.port(), tls, handler).get(10, TimeUnit.SECONDS);
            assertThat(socket.authorized()).isTrue();
            if (provider == TlsProvider.JDK && Runtime.version().feature() < 25) {
                // Java 17's JDK provider has no exporter; its refusal is scanned like
                // everything else
                texts.add(failureText(() -> socket.exportKeyingMaterial(32, "EXPERIMENTAL-reliability", null),
                        UnsupportedOperationException.class));
                exported = new byte[0];
            }
            else {
                exported = socket.exportKeyingMaterial(32, "EXPERIMENTAL-reliability", null);
                assertThat(exported).hasSize(32);
            }
            socket.write("hello\n");
            assertThat(server.awaitLine("hello")).isEmpty();
            texts.add(tls.toString());
            texts.add(tls.toBuilder().toString());
            texts.add(socket.toString());
            texts.add(String.valueOf(socket.getCipher()));
            texts.add(this.connector.toString());
            texts.add(String.valueOf(this.connector.sockets()));
            socket.end();
            handler.awaitClose(10);
            texts.add(socket.toString());
            // failures that handle the secrets: wrong passphrase, damaged key, key
            // without passphrase
            texts.add(failureText(() -> TlsOptions.builder()
                .cert(PKI.file("client.crt"))
                .key(PKI.file("client-encrypted.key"))
                .passphrase(PkiFixture.PASSPHRASE + "x")
                .build()));
            texts.add(failureText(() -> TlsOptions.builder()
                .cert(PKI.file("client.crt"))
                .key(PKI.text("client-encrypted.key"))
                .build()));
            texts.add(failureText(() -> TlsOptions.builder()
                .cert(PKI.file("client.crt"))
                .key(damaged(PKI.text("client.key")))
                .build()));
            texts.add(failureText(
                    () -> TlsOptions.builder().cert(PKI.file("server-rsa.crt")).key(PKI.text("client.key")).build()));
            texts.add(failureText(() -> TlsOptions.builder()
                .cert(PKI.file("client.p12"))
                .passphrase(PkiFixture.PASSPHRASE + "x")
                .build()));
            texts.add(logs.text());
        }
        List<String> secrets = new ArrayList<>();
        secrets.add(PkiFixture.PASSPHRASE);
        secrets.addAll(pemBodyLines(PKI.text("client.key")));
        secrets.addAll(pemBodyLines(PKI.text("client-encrypted.key")));
        ECPrivateKey key = (ECPrivateKey) TlsOptions.builder()
            .cert(PKI.file("client.crt"))
            .key(PKI.file("client.key"))
            .build()
            .key();
        secrets.add(key.getS().toString(16));
        secrets.add(key.getS().toString());
        if (exported.length > 0) {
            secrets.addAll(encodings(exported));
        }
        List<String> keyLogLines = Files.readAllLines(keyLog, StandardCharsets.US_ASCII);
        assertThat(keyLogLines).as("s_server's key log of the session").isNotEmpty();
        for (String line : keyLogLines) {
            String[] fields = line.trim().split(" ");
            if (fields.length == 3) {
                secrets.addAll(encodings(HexFormat.of().parseHex(fields[2])));
            }
        }
        Files.deleteIfExists(keyLog);
        String all = String.join("\n", texts);
        assertThat(all).as("the scan sees the options and the failures")
            .contains("key=(set)")
            .contains("client-encrypted.key")
            .doesNotContain("PRIVATE KEY-----");
        for (String secret : secrets) {
            assertThat(all.toLowerCase()).as("a secret (" + secret.length() + " chars) in the captured text")
                .doesNotContain(secret.toLowerCase());
        }
    }

    private static String failureText(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        return failureText(call, IllegalArgumentException.class);
    }

    private static String failureText(org.assertj.core.api.ThrowableAssert.ThrowingCallable call,
            Class<? extends Throwable> type) {
        List<Throwable> thrown = new ArrayList<>();
        assertThatThrownBy(call).isInstanceOf(type).satisfies(thrown::add);
        return thrown.get(0).getMessage() + "\n" + LogCapture.stackTrace(thrown.get(0));
    }

    /** A PEM key whose base64 body has a bad character in the middle. */
    private static String damaged(String pem) {
        int middle = pem.indexOf('\n', pem.indexOf("-----", 10) + 5) + 20;
        return pem.substring(0, middle) + "*" + pem.substring(middle + 1);
    }

    /**
     * The base64 lines of a PEM body, each a fragment of the secret (short last lines
     * skipped).
     */
    private static List<String> pemBodyLines(String pem) {
        return pem.lines()
            .filter((line) -> !line.startsWith("-----") && !line.contains(":") && line.length() >= 24)
            .toList();
    }

    /** Hex (either case is checked) and base64 forms of a secret. */
    private static List<String> encodings(byte[] secret) {
        return List.of(HexFormat.of().formatHex(secret), Base64.getEncoder().encodeToString(secret),
                Base64.getEncoder().withoutPadding().encodeToString(secret));
    }

}
