package dev.socketconnector.internal.tls;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.socketconnector.PkiFixture;
import dev.socketconnector.Socket;
import dev.socketconnector.SocketConnector;
import dev.socketconnector.SocketHandler;
import dev.socketconnector.TcpSocketConnectOptions;
import dev.socketconnector.TlsOpenSslServer;
import dev.socketconnector.TlsOptions;
import dev.socketconnector.TlsProvider;
import dev.socketconnector.internal.InternalAccess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every copy of a TLS secret is zeroed: the HMAC behind the TLS 1.2 PRF and TLS 1.3 HKDF
 * keeps its key blocks in arrays it zeroes (no {@code SecretKeySpec} copy), and a closed
 * connection's master secret array is zero.
 */
class TlsSecretsTests {

    private static final PkiFixture PKI = PkiFixture.get();

    @ParameterizedTest
    @CsvSource({ "HmacSHA256, 48", "HmacSHA384, 48", "HmacSHA256, 100", "HmacSHA384, 200" })
    void hmacMatchesTheJdksAndZeroesItsKeyBlocks(String algorithm, int keyLength) throws Exception {
        byte[] key = new byte[keyLength];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) (i * 7 + 1);
        }
        byte[] data = "the data".getBytes();
        Mac reference = Mac.getInstance(algorithm);
        reference.init(new SecretKeySpec(key, algorithm));
        TlsSecrets.Hmac hmac = new TlsSecrets.Hmac(algorithm, key);
        assertThat(hmac.mac(data)).isEqualTo(reference.doFinal(data));
        assertThat(hmac.mac("the ".getBytes(), "data".getBytes())).isEqualTo(reference.doFinal(data));
        hmac.close();
        assertThat(hmac.inner).containsOnly(0);
        assertThat(hmac.outer).containsOnly(0);
    }

    @Test
    void tls12MasterSecretArrayIsZeroAfterClose() throws Exception {
        try (SocketConnector connector = SocketConnector.builder().connectTimeout(Duration.ofSeconds(5)).build();
                TlsOpenSslServer server = TlsOpenSslServer.start(PKI, "-cert", "server.crt", "-key", "server.key",
                        "-tls1_2")) {
            CompletableFuture<Void> closed = new CompletableFuture<>();
            Socket<Void> socket = connector.connect(TcpSocketConnectOptions.<Void>builder()
                .hostname("127.0.0.1")
                .port(server.port())
                .tls(TlsOptions.builder().provider(TlsProvider.OPENSSL).ca(PKI.file("ca.crt")).build())
                .socket(new SocketHandler<Void>() {
                    @Override
                    public void close(Socket<Void> s, Throwable error) {
                        closed.complete(null);
                    }
                })
                .build()).get(10, TimeUnit.SECONDS);
            TlsSecrets secrets = ((TlsChannelConnection) InternalAccess.tlsOf(socket)).secrets();
            byte[] master = secrets.held(TlsSecrets.MASTER);
            assertThat(master).as("the master secret kept for exportKeyingMaterial").isNotNull().hasSize(48);
            assertThat(socket.exportKeyingMaterial(32, "EXPERIMENTAL-test", null)).hasSize(32);
            assertThat(master).as("not zero while open").isNotEqualTo(new byte[48]);
            socket.end();
            closed.get(10, TimeUnit.SECONDS);
            assertThat(master).as("zeroed on close").containsOnly(0);
            assertThat(secrets.held(TlsSecrets.MASTER)).isNull();
        }
    }

}
