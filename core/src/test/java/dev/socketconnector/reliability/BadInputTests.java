package dev.socketconnector.reliability;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.net.ssl.TrustManagerFactory;

import dev.socketconnector.PkiFixture;
import dev.socketconnector.RecordingSocketHandler;
import dev.socketconnector.Socket;
import dev.socketconnector.SocketConnector;
import dev.socketconnector.SocketHandler;
import dev.socketconnector.TcpSocketConnectOptions;
import dev.socketconnector.TestServer;
import dev.socketconnector.TlsOptions;
import dev.socketconnector.TlsProvider;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Invalid values for options and arguments not covered by OptionsTests and
 * TlsOptionsTests: each fails at once, with a message naming the option, and a connect
 * with an invalid option throws synchronously without calling a handler or leaving a
 * socket behind (nothing reaches Netty).
 */
class BadInputTests {

    private static final SocketHandler<Void> HANDLER = new SocketHandler<>() {
    };

    static Stream<Arguments> invalidOptions() {
        PkiFixture pki = PkiFixture.get();
        return Stream.of(bad("alpnProtocols", () -> TlsOptions.builder().alpnProtocols().build()),
                bad("alpnProtocols", () -> TlsOptions.builder().alpnProtocols("").build()),
                bad("alpnProtocols", () -> TlsOptions.builder().alpnProtocols("h2", "x".repeat(256)).build()),
                bad("alpnProtocols", () -> TlsOptions.builder().alpnProtocols("http/1.1 ").build()),
                bad("alpnProtocols", () -> TlsOptions.builder().alpnProtocols("h\u00e9").build()),
                bad("maxVersion", () -> TlsOptions.builder().maxVersion("SSLv3").build()),
                bad("minVersion", () -> TlsOptions.builder().minVersion("tlsv1.2").build()),
                bad("minVersion", () -> TlsOptions.builder().minVersion("TLSv1.3").maxVersion("TLSv1.2").build()),
                bad("ciphers", () -> TlsOptions.builder().ciphers().build()),
                bad("ciphers", () -> TlsOptions.builder().ciphers("TLS_AES_128_GCM_SHA256", " ").build()),
                bad("serverName", () -> TlsOptions.builder().serverName(null)),
                bad("minVersion", () -> TlsOptions.builder().minVersion(null)),
                bad("provider", () -> TlsOptions.builder().provider(null)),
                bad("key", () -> TlsOptions.builder().cert(pki.file("client.crt")).build()),
                bad("key", () -> TlsOptions.builder().cert(pki.file("client.crt")).key("not a key").build()),
                bad("key",
                        () -> TlsOptions.builder()
                            .cert(pki.file("client.crt"))
                            .key("-----BEGIN PRIVATE KEY-----\n!!!!\n-----END PRIVATE KEY-----\n")
                            .build()),
                bad("ca", () -> TlsOptions.builder().ca("").build()),
                bad("ca", () -> TlsOptions.builder().ca(pki.file("client.key")).build()),
                bad("ca",
                        () -> TlsOptions.builder()
                            .ca(pki.file("ca.crt"))
                            .trustManagerFactory(TrustManagerFactory.getInstance("PKIX"))
                            .build()),
                bad("connectTimeout", () -> SocketConnector.builder().connectTimeout(null)),
                bad("connectTimeout",
                        () -> SocketConnector.builder().connectTimeout(Duration.ofDays(365 * 100)).build()),
                bad("writeBufferLowWaterMark", () -> SocketConnector.builder().writeBufferWaterMark(-5, 10).build()),
                bad("writeBufferHighWaterMark",
                        () -> SocketConnector.builder().writeBufferWaterMark(10, Integer.MIN_VALUE).build()),
                bad("keepAliveInitialDelay", () -> SocketConnector.builder().keepAlive(true, null)),
                bad("eventLoopThreads", () -> SocketConnector.builder().eventLoopThreads(Integer.MIN_VALUE).build()),
                bad("transport", () -> SocketConnector.builder().transport(null)),
                bad("observer", () -> SocketConnector.builder().observer(null)),
                bad("tls", () -> SocketConnector.builder().tls((TlsOptions) null)),
                bad("port",
                        () -> TcpSocketConnectOptions.<Void>builder()
                            .hostname("127.0.0.1")
                            .port(Integer.MIN_VALUE)
                            .socket(HANDLER)
                            .build()),
                bad("hostname",
                        () -> TcpSocketConnectOptions.<Void>builder().hostname("").port(80).socket(HANDLER).build()));
    }

    private static Arguments bad(String option, ThrowingCallable call) {
        return Arguments.of(option, call);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("invalidOptions")
    void invalidValueFailsWithMessageNamingTheOption(String option, ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfAny(IllegalArgumentException.class, NullPointerException.class)
            .satisfies((ex) -> assertThat(ex.getMessage()).as("message of " + ex).isNotNull().contains(option));
    }

    @Test
    void socketArgumentsOutOfRangeFailNamingTheArgument() throws Exception {
        try (TestServer server = TestServer.tcp(); SocketConnector connector = SocketConnector.create()) {
            RecordingSocketHandler<Void> handler = new RecordingSocketHandler<>();
            Socket<Void> socket = connector
                .connect(TcpSocketConnectOptions.<Void>builder()
                    .hostname("127.0.0.1")
                    .port(server.port())
                    .socket(handler)
                    .build())
                .get(10, TimeUnit.SECONDS);
            TestServer.Peer peer = server.accept();
            assertThatThrownBy(() -> socket.timeout(Integer.MIN_VALUE)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("seconds");
            assertThatThrownBy(() -> socket.setKeepAlive(true, -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("initialDelay");
            assertThatThrownBy(() -> socket.write(new byte[8], 4, Integer.MAX_VALUE))
                .isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessageContaining("byteLength");
            assertThatThrownBy(() -> socket.write(new byte[8], Integer.MIN_VALUE, 1))
                .isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessageContaining("byteOffset");
            assertThatThrownBy(() -> socket.end(new byte[8], 0, 9)).isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessageContaining("byteLength");
            assertThatThrownBy(() -> socket.reload(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("handler");
            assertThat(socket.bytesWritten()).as("nothing was accepted by the failed calls").isZero();
            // the socket is unharmed by the rejected calls
            assertThat(socket.write("ok")).isEqualTo(2);
            assertThat(new String(peer.readExactly(2))).isEqualTo("ok");
            assertThat(handler.events()).containsExactly("open");
        }
    }

    @Test
    void connectWithInvalidTlsOptionThrowsSynchronouslyWithoutCallbacksOrSockets() {
        try (SocketConnector connector = SocketConnector.create()) {
            for (TlsProvider provider : List.of(TlsProvider.OPENSSL, TlsProvider.JDK)) {
                RecordingSocketHandler<Void> handler = new RecordingSocketHandler<>();
                assertThatThrownBy(() -> connector.connect(TcpSocketConnectOptions.<Void>builder()
                    .hostname("127.0.0.1")
                    .port(9)
                    .socket(handler)
                    .tls(TlsOptions.builder()
                        .provider(provider)
                        .ciphers("TLS_AES_128_GCM_SHA256", "BOGUS-CIPHER")
                        .build())
                    .build())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ciphers");
                assertThatThrownBy(() -> connector.connect("no-such-endpoint"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("no-such-endpoint");
                assertThat(handler.events()).isEmpty();
                assertThat(connector.sockets()).isEmpty();
            }
        }
    }

}
