package dev.socketconnector;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link TlsOptions}: reading keys and certificates in every supported form, refusing
 * what cannot be used with a message naming the option (and never the secret), merging
 * with the connector's defaults.
 */
class TlsOptionsTests {

    private static final PkiFixture PKI = PkiFixture.get();

    @ParameterizedTest
    @ValueSource(strings = { "client.key", "client-encrypted.key", "client-sec1.key", "client-sec1-encrypted.key" })
    void ecKeyInEveryPemFormatIsReadAsFileAndText(String file) {
        TlsOptions fromFile = TlsOptions.builder()
            .cert(PKI.file("client.crt"))
            .key(PKI.file(file))
            .passphrase(PkiFixture.PASSPHRASE)
            .build();
        TlsOptions fromText = TlsOptions.builder()
            .cert(PKI.text("client.crt"))
            .key(PKI.text(file))
            .passphrase(PkiFixture.PASSPHRASE)
            .build();
        assertThat(fromFile.key()).isInstanceOf(ECPrivateKey.class);
        assertThat(((ECPrivateKey) fromText.key()).getS()).isEqualTo(((ECPrivateKey) fromFile.key()).getS());
        assertThat(fromFile.cert()).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = { "server-rsa.key", "server-rsa-pkcs1.key" })
    void rsaKeyInPkcs8AndPkcs1IsRead(String file) {
        TlsOptions options = TlsOptions.builder().cert(PKI.file("server-rsa.crt")).key(PKI.file(file)).build();
        assertThat(options.key()).isInstanceOf(RSAPrivateCrtKey.class);
    }

    @Test
    void pkcs12CertFileSuppliesKeyAndChain() {
        TlsOptions options = TlsOptions.builder()
            .cert(PKI.file("client.p12"))
            .passphrase(PkiFixture.PASSPHRASE)
            .build();
        assertThat(options.key()).isInstanceOf(ECPrivateKey.class);
        assertThat(options.cert().get(0).getSubjectX500Principal().getName()).contains("CN=test client");
    }

    @Test
    void pkcs12FileAsCaSuppliesItsCertificates() {
        TlsOptions options = TlsOptions.builder().ca(PKI.file("client.p12")).passphrase(PkiFixture.PASSPHRASE).build();
        assertThat(options.ca()).anySatisfy(
                (certificate) -> assertThat(certificate.getSubjectX500Principal().getName()).contains("Test Root CA"));
    }

    @Test
    void encryptedKeyWithoutPassphraseFailsNamingPassphrase() {
        assertThatIllegalArgumentException().isThrownBy(
                () -> TlsOptions.builder().cert(PKI.file("client.crt")).key(PKI.file("client-encrypted.key")).build())
            .withMessageContaining("key file")
            .withMessageContaining("passphrase");
    }

    @ParameterizedTest
    @ValueSource(strings = { "client-encrypted.key", "client-sec1-encrypted.key", "client.p12" })
    void wrongPassphraseFailsWithoutShowingIt(String file) {
        String wrong = "not-the-Passphrase-42";
        TlsOptions.Builder builder = TlsOptions.builder().passphrase(wrong);
        if (file.endsWith(".p12")) {
            builder.cert(PKI.file(file));
        }
        else {
            builder.cert(PKI.file("client.crt")).key(PKI.file(file));
        }
        assertThatIllegalArgumentException().isThrownBy(builder::build)
            .withMessageNotContaining(wrong)
            .withMessageNotContaining(PkiFixture.PASSPHRASE)
            .satisfies((e) -> assertThat(e.getMessage()).containsAnyOf("key", "cert"));
    }

    @Test
    void keyThatDoesNotMatchCertIsRefused() {
        assertThatIllegalArgumentException()
            .isThrownBy(() -> TlsOptions.builder().cert(PKI.file("server-rsa.crt")).key(PKI.file("client.key")).build())
            .withMessageContaining("key does not match");
    }

    @Test
    void directoryFifoAndMissingFileAreRefusedNamingTheOption(@TempDir Path dir) throws Exception {
        assertThatIllegalArgumentException().isThrownBy(() -> TlsOptions.builder().ca(dir).build())
            .withMessageStartingWith("ca file")
            .withMessageContaining("directory");
        Path fifo = dir.resolve("fifo");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertThat(mkfifo.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(mkfifo.exitValue()).isZero();
        assertThatIllegalArgumentException()
            .isThrownBy(() -> TlsOptions.builder().cert(PKI.file("client.crt")).key(fifo).build())
            .withMessageStartingWith("key file")
            .withMessageContaining("FIFO");
        assertThatIllegalArgumentException().isThrownBy(() -> TlsOptions.builder().ca(dir.resolve("none.pem")).build())
            .withMessageStartingWith("ca file")
            .withMessageContaining("does not exist");
    }

    @Test
    void garbageCaTextIsRefusedNamingCa() {
        assertThatIllegalArgumentException().isThrownBy(() -> TlsOptions.builder().ca("not a certificate").build())
            .withMessageStartingWith("ca");
    }

    @Test
    void unknownVersionIsRefusedNamingTheOption() {
        assertThatIllegalArgumentException().isThrownBy(() -> TlsOptions.builder().minVersion("TLSv1.1").build())
            .withMessageStartingWith("minVersion");
    }

    @Test
    void toStringShowsNeitherKeyNorPassphrase() throws Exception {
        TlsOptions options = TlsOptions.builder()
            .cert(PKI.file("client.crt"))
            .key(PKI.file("client-encrypted.key"))
            .passphrase(PkiFixture.PASSPHRASE)
            .build();
        assertThat(options.toString()).doesNotContain(PkiFixture.PASSPHRASE)
            .doesNotContain("PRIVATE")
            .contains("key=(set)");
        assertThat(options.toBuilder().build()).isEqualTo(options);
    }

    @Test
    void unknownCipherFailsTheConnectSynchronouslyNamingCiphers() {
        try (SocketConnector connector = SocketConnector.create()) {
            for (TlsProvider provider : new TlsProvider[] { TlsProvider.OPENSSL, TlsProvider.JDK }) {
                assertThatThrownBy(() -> connector.connect(TcpSocketConnectOptions.<Void>builder()
                    .hostname("127.0.0.1")
                    .port(1)
                    .socket(new TlsRecordingHandler())
                    .tls(TlsOptions.builder().provider(provider).ciphers("NOT-A-CIPHER").build())
                    .build())).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("ciphers")
                    .hasMessageContaining("NOT-A-CIPHER");
            }
        }
    }

    @Test
    void tlsTrueTakesTheConnectorsTlsDefaults() throws Exception {
        try (TlsOpenSslServer server = TlsOpenSslServer.start(PKI, "-cert", "server.crt", "-key", "server.key");
                SocketConnector connector = SocketConnector.builder()
                    .connectTimeout(Duration.ofSeconds(5))
                    .tls(TlsOptions.builder().ca(PKI.file("ca.crt")).alpnProtocols("x-test").build())
                    .build()) {
            Socket<Void> socket = connector
                .connect(TcpSocketConnectOptions.<Void>builder()
                    .hostname("127.0.0.1")
                    .port(server.port())
                    .socket(new TlsRecordingHandler())
                    .tls(true)
                    .build())
                .get(10, TimeUnit.SECONDS);
            assertThat(socket.authorized()).isTrue();
            assertThat(server.awaitLine("CIPHER is")).isNotEmpty();
        }
    }

    @Test
    void connectOptionsOverrideTheConnectorsDefaultsFieldByField() throws Exception {
        try (TlsOpenSslServer server = TlsOpenSslServer.start(PKI, "-cert", "server.crt", "-key", "server.key");
                SocketConnector connector = SocketConnector.builder()
                    .connectTimeout(Duration.ofSeconds(5))
                    .tls(TlsOptions.builder().ca(PKI.file("other-ca.crt")).maxVersion("TLSv1.2").build())
                    .build()) {
            Socket<Void> socket = connector
                .connect(TcpSocketConnectOptions.<Void>builder()
                    .hostname("127.0.0.1")
                    .port(server.port())
                    .socket(new TlsRecordingHandler())
                    .tls(TlsOptions.builder().ca(PKI.file("ca.crt")).build())
                    .build())
                .get(10, TimeUnit.SECONDS);
            assertThat(socket.authorized()).isTrue();
            assertThat(socket.getTLSVersion()).isEqualTo("TLSv1.2");
        }
    }

    @Test
    void builtOptionsKeepNeitherThePassphraseNorTheKeyTextNorTheSources() throws Exception {
        String keyText = PKI.text("client-encrypted.key");
        TlsOptions options = TlsOptions.builder()
            .ca(PKI.file("ca.crt"))
            .cert(PKI.file("client.crt"))
            .key(keyText)
            .passphrase(PkiFixture.PASSPHRASE)
            .build();
        TlsOptions merged = TlsOptions.builder().serverName("localhost").build().withDefaults(options);
        for (TlsOptions built : List.of(options, merged)) {
            for (Field field : TlsOptions.class.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers())) {
                    continue;
                }
                field.setAccessible(true);
                Object value = field.get(built);
                assertThat(field.getType()).as(field.getName()).isNotEqualTo(TlsOptions.Builder.class);
                if (value != null) {
                    assertThat(value).as(field.getName()).isNotInstanceOf(Path.class).isNotInstanceOf(char[].class);
                }
                if (value instanceof String text) {
                    assertThat(text).as(field.getName())
                        .doesNotContain(PkiFixture.PASSPHRASE)
                        .doesNotContain("PRIVATE");
                }
            }
        }
        assertThat(merged.key()).isSameAs(options.key());
        assertThat(merged.ca()).isSameAs(options.ca());
    }

    @Test
    void mergingWithDefaultsReadsNoFileAgain(@TempDir Path dir) throws Exception {
        Path ca = Files.copy(PKI.file("ca.crt"), dir.resolve("ca.crt"));
        Path p12 = Files.copy(PKI.file("client.p12"), dir.resolve("client.p12"));
        TlsOptions defaults = TlsOptions.builder().ca(ca).cert(p12).passphrase(PkiFixture.PASSPHRASE).build();
        Files.delete(ca);
        Files.delete(p12);
        TlsOptions merged = TlsOptions.builder().minVersion("TLSv1.3").build().withDefaults(defaults);
        assertThat(merged.ca()).isEqualTo(defaults.ca());
        assertThat(merged.key()).isSameAs(defaults.key());
        assertThat(merged.cert()).isEqualTo(defaults.cert());
        assertThat(merged.minVersion()).isEqualTo("TLSv1.3");
        assertThat(merged.toBuilder().build()).isEqualTo(merged);
        assertThatIllegalArgumentException()
            .isThrownBy(() -> TlsOptions.builder()
                .minVersion("TLSv1.3")
                .build()
                .withDefaults(TlsOptions.builder().maxVersion("TLSv1.2").build()))
            .withMessageStartingWith("minVersion TLSv1.3 must not be above maxVersion TLSv1.2");
    }

}
