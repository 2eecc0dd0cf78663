package dev.socketconnector;

import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JDK provider's exporter, which needs Java 25's
 * {@code ExtendedSSLSession.exportKeyingMaterialData}: equal to what
 * {@code openssl s_server} exports, on TLS 1.3 and 1.2. Run by the {@code jdk25-tests}
 * surefire execution with the Temurin 25 JVM.
 */
@Tag("jdk25")
class TlsExporterJdk25Tests {

    private static final PkiFixture PKI = PkiFixture.get();

    private static final String LABEL = "EXPERIMENTAL-socket-connector";

    private final SocketConnector connector = SocketConnector.builder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void runsOnJava25() {
        assertThat(Runtime.version().feature()).as("this class must run on Java 25+").isGreaterThanOrEqualTo(25);
    }

    @AfterEach
    void closeConnector() {
        this.connector.close();
    }

    @ParameterizedTest
    @ValueSource(strings = { "-tls1_3", "-tls1_2" })
    void exportKeyingMaterialOnJdkProviderEqualsWhatServerExports(String version) throws Exception {
        try (TlsOpenSslServer server = TlsOpenSslServer.start(PKI, "-cert", "server.crt", "-key", "server.key", version,
                "-keymatexport", LABEL, "-keymatexportlen", "32")) {
            Socket<Void> socket = this.connector
                .connect(TcpSocketConnectOptions.<Void>builder()
                    .hostname("localhost")
                    .port(server.port())
                    .socket(new TlsRecordingHandler())
                    .tls(TlsOptions.builder().provider(TlsProvider.JDK).ca(PKI.file("ca.crt")).build())
                    .build())
                .get(10, TimeUnit.SECONDS);
            byte[] exported = socket.exportKeyingMaterial(32, LABEL, null);
            assertThat(HexFormat.of().withUpperCase().formatHex(exported))
                .isEqualTo(server.awaitLine("Keying material:"));
        }
    }

}
