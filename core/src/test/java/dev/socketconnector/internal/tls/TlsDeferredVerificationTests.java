package dev.socketconnector.internal.tls;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.socketconnector.PeerCertificate;
import dev.socketconnector.PkiFixture;
import dev.socketconnector.Socket;
import dev.socketconnector.SocketConnector;
import dev.socketconnector.SocketHandler;
import dev.socketconnector.TcpSocketConnectOptions;
import dev.socketconnector.TlsAuthorizationException;
import dev.socketconnector.TlsOpenSslServer;
import dev.socketconnector.TlsOptions;
import dev.socketconnector.TlsProvider;
import dev.socketconnector.TlsRecordingHandler;
import dev.socketconnector.internal.InternalAccess;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code rejectUnauthorized(false)} and a handler that leaves {@code handshake} at
 * its default, nothing needs the peer's verdict during the handshake: the chain is
 * verified when {@code authorized()}, {@code getAuthorizationError()} or
 * {@code getPeerCertificate(true)} first asks, with the answer a handshake callback gets,
 * whether asked while open or after close.
 */
class TlsDeferredVerificationTests {

    private static final PkiFixture PKI = PkiFixture.get();

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = { "OPENSSL", "JDK" })
    void untrustedServerIsVerifiedWhenFirstAskedWithTheHandshakeCallbacksAnswer(TlsProvider provider) throws Exception {
        try (SocketConnector connector = SocketConnector.builder().connectTimeout(Duration.ofSeconds(5)).build();
                TlsOpenSslServer server = TlsOpenSslServer.start(PKI, "-cert", "self.crt", "-key", "self.key")) {
            TlsOptions tls = TlsOptions.builder()
                .provider(provider)
                .ca(PKI.file("ca.crt"))
                .rejectUnauthorized(false)
                .build();
            TlsRecordingHandler taking = new TlsRecordingHandler();
            Socket<Void> eager = connect(connector, server.port(), tls, taking);
            TlsAuthorizationException expected = (TlsAuthorizationException) taking.awaitAuthorizationError();
            assertThat(expected.code()).isEqualTo("DEPTH_ZERO_SELF_SIGNED_CERT");
            assertThat(verdict(eager).reached()).as("the handshake callback took the verdict").isTrue();
            eager.end();
            taking.awaitClose();

            OpenCloseHandler askedOpen = new OpenCloseHandler();
            Socket<Void> open = connect(connector, server.port(), tls, askedOpen);
            assertThat(verdict(open).reached()).as("verified before anything asked").isFalse();
            assertSameVerdict(open, expected, eager);
            assertThat(verdict(open).reached()).isTrue();
            open.end();
            askedOpen.closed.get(10, TimeUnit.SECONDS);
            assertSameVerdict(open, expected, eager);

            OpenCloseHandler askedClosed = new OpenCloseHandler();
            Socket<Void> closed = connect(connector, server.port(), tls, askedClosed);
            closed.end();
            askedClosed.closed.get(10, TimeUnit.SECONDS);
            assertThat(verdict(closed).reached()).as("verified before anything asked").isFalse();
            assertSameVerdict(closed, expected, eager);
        }
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = { "OPENSSL", "JDK" })
    void trustedServerIsAuthorizedWhenFirstAskedWithAnchorsLoadedBeforehand(TlsProvider provider) throws Exception {
        try (SocketConnector connector = SocketConnector.builder().connectTimeout(Duration.ofSeconds(5)).build();
                TlsOpenSslServer server = TlsOpenSslServer.start(PKI, "-cert", "chained.crt", "-key", "chained.key",
                        "-cert_chain", "intermediate.crt")) {
            TlsOptions tls = TlsOptions.builder()
                .provider(provider)
                .ca(PKI.file("ca.crt"))
                .serverName("localhost")
                .rejectUnauthorized(false)
                .build();
            OpenCloseHandler handler = new OpenCloseHandler();
            Socket<Void> socket = connect(connector, server.port(), tls, handler);
            TlsChannelConnection connection = (TlsChannelConnection) InternalAccess.tlsOf(socket);
            assertThat(connection.verifier().anchorsLoaded())
                .as("trust anchors loaded with the context, on the caller's thread, never on a loop")
                .isTrue();
            assertThat(verdict(socket).reached()).isFalse();
            PeerCertificate leaf = socket.getPeerCertificate(true);
            assertThat(verdict(socket).reached()).as("the detailed chain is the verified path").isTrue();
            assertThat(leaf.issuerCertificate().issuerCertificate().subject()).containsEntry("CN", "Test Root CA");
            assertThat(socket.authorized()).isTrue();
            assertThat(socket.getAuthorizationError()).isNull();
            socket.end();
            handler.closed.get(10, TimeUnit.SECONDS);
            assertThat(socket.getPeerCertificate(true)).isEqualTo(leaf);

            // s_server serves one connection at a time
            TlsRecordingHandler taking = new TlsRecordingHandler();
            Socket<Void> eager = connect(connector, server.port(), tls, taking);
            assertThat(taking.awaitAuthorizationError()).isNull();
            assertThat(eager.authorized()).isTrue();
            assertThat(eager.getPeerCertificate(true)).isEqualTo(leaf);
            eager.end();
            taking.awaitClose();
        }
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = { "OPENSSL", "JDK" })
    void rejectingConnectionIsVerifiedDuringTheHandshake(TlsProvider provider) throws Exception {
        try (SocketConnector connector = SocketConnector.builder().connectTimeout(Duration.ofSeconds(5)).build();
                TlsOpenSslServer server = TlsOpenSslServer.start(PKI, "-cert", "server.crt", "-key", "server.key")) {
            TlsOptions tls = TlsOptions.builder().provider(provider).ca(PKI.file("ca.crt")).build();
            OpenCloseHandler handler = new OpenCloseHandler();
            Socket<Void> socket = connect(connector, server.port(), tls, handler);
            assertThat(verdict(socket).reached()).isTrue();
            assertThat(socket.authorized()).isTrue();
            socket.end();
            handler.closed.get(10, TimeUnit.SECONDS);
        }
    }

    private static void assertSameVerdict(Socket<Void> socket, TlsAuthorizationException expected, Socket<Void> eager) {
        assertThat(socket.authorized()).isFalse();
        TlsAuthorizationException error = (TlsAuthorizationException) socket.getAuthorizationError();
        assertThat(error.code()).isEqualTo(expected.code());
        assertThat(error).hasMessage(expected.getMessage());
        assertThat(socket.getAuthorizationError()).as("one error object per socket").isSameAs(error);
        assertThat(socket.getPeerCertificate(true)).isEqualTo(eager.getPeerCertificate(true));
    }

    private static TlsVerdict verdict(Socket<?> socket) {
        TlsVerdict verdict = ((TlsChannelConnection) InternalAccess.tlsOf(socket)).verdict();
        assertThat(verdict).as("the handshake completed").isNotNull();
        return verdict;
    }

    private static Socket<Void> connect(SocketConnector connector, int port, TlsOptions tls,
            SocketHandler<Void> handler) throws Exception {
        return connector
            .connect(TcpSocketConnectOptions.<Void>builder()
                .hostname("127.0.0.1")
                .port(port)
                .socket(handler)
                .tls(tls)
                .build())
            .get(10, TimeUnit.SECONDS);
    }

    /** A handler that leaves {@code handshake} at its default. */
    private static final class OpenCloseHandler implements SocketHandler<Void> {

        final CompletableFuture<@Nullable Throwable> closed = new CompletableFuture<>();

        @Override
        public void close(Socket<Void> socket, @Nullable Throwable error) {
            this.closed.complete(error);
        }

    }

}
