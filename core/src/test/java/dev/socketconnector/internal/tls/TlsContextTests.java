package dev.socketconnector.internal.tls;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.net.ssl.SSLSessionContext;

import dev.socketconnector.PkiFixture;
import dev.socketconnector.Socket;
import dev.socketconnector.SocketConnector;
import dev.socketconnector.SocketHandler;
import dev.socketconnector.TcpSocketConnectOptions;
import dev.socketconnector.TlsAuthorizationException;
import dev.socketconnector.TlsOpenSslServer;
import dev.socketconnector.TlsOptions;
import dev.socketconnector.TlsProvider;
import dev.socketconnector.internal.InternalAccess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What TLS contexts keep between connections: contexts are found by the certificates'
 * content (a CA file rewritten in place counts for options built afterwards), the session
 * cache is bounded, and no connection stays registered with the trust manager once
 * closed.
 */
class TlsContextTests {

    private static final PkiFixture PKI = PkiFixture.get();

    private final SocketConnector connector = SocketConnector.builder().connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void close() {
        this.connector.close();
    }

    private Socket<Void> connect(int port, TlsOptions tls) throws Exception {
        return connect(port, tls, new Closing());
    }

    private Socket<Void> connect(int port, TlsOptions tls, Closing handler) throws Exception {
        return this.connector
            .connect(TcpSocketConnectOptions.<Void>builder()
                .hostname("127.0.0.1")
                .port(port)
                .socket(handler)
                .tls(tls)
                .build())
            .get(10, TimeUnit.SECONDS);
    }

    /** Completes {@code closed} when the socket closes. */
    private static final class Closing implements SocketHandler<Void> {

        final CompletableFuture<Void> closed = new CompletableFuture<>();

        @Override
        public void close(Socket<Void> socket, Throwable error) {
            this.closed.complete(null);
        }

    }

    private TlsConnections tlsConnections() throws Exception {
        return InternalAccess.tlsConnectionsOf(this.connector);
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = { "OPENSSL", "JDK" })
    void caFileRewrittenInPlaceIsWhatNewOptionsTrust(TlsProvider provider) throws Exception {
        Path ca = Files.createTempFile(PKI.dir(), "rewritten-ca", ".crt");
        Files.writeString(ca, PKI.text("ca.crt"));
        try (TlsOpenSslServer server = TlsOpenSslServer.start(PKI, "-cert", "server.crt", "-key", "server.key")) {
            Socket<Void> trusted = connect(server.port(), TlsOptions.builder().provider(provider).ca(ca).build());
            assertThat(trusted.authorized()).isTrue();
            trusted.end();
            // the CA is removed from the file: options built now must not trust it any
            // more
            Files.writeString(ca, PKI.text("other-ca.crt"));
            TlsOptions rewritten = TlsOptions.builder().provider(provider).ca(ca).build();
            assertThatThrownBy(() -> connect(server.port(), rewritten))
                .hasCauseInstanceOf(TlsAuthorizationException.class)
                .satisfies((ex) -> assertThat(((TlsAuthorizationException) ex.getCause()).code())
                    .isEqualTo("UNABLE_TO_VERIFY_LEAF_SIGNATURE"));
            // and back: the first content verifies again
            Files.writeString(ca, PKI.text("ca.crt"));
            Socket<Void> again = connect(server.port(), TlsOptions.builder().provider(provider).ca(ca).build());
            assertThat(again.authorized()).isTrue();
            again.end();
        }
        finally {
            Files.deleteIfExists(ca);
        }
    }

    static Stream<Arguments> providersAndVersions() {
        return Stream.of(TlsProvider.OPENSSL, TlsProvider.JDK)
            .flatMap((provider) -> Stream.of(Arguments.of(provider, "-tls1_2"), Arguments.of(provider, "-tls1_3")));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("providersAndVersions")
    void sessionCacheStaysBoundedAndNoConnectionStaysRegistered(TlsProvider provider, String version) throws Exception {
        int connections = 1_500;
        try (TlsOpenSslServer server = TlsOpenSslServer.start(PKI, "-cert", "server.crt", "-key", "server.key",
                version)) {
            TlsOptions tls = TlsOptions.builder().provider(provider).ca(PKI.file("ca.crt")).build();
            for (int i = 0; i < connections; i++) {
                Closing handler = new Closing();
                Socket<Void> socket = connect(server.port(), tls, handler);
                assertThat(socket.authorized()).isTrue();
                socket.end();
                handler.closed.get(10, TimeUnit.SECONDS);
            }
        }
        TlsConnections.Context context = tlsConnections().contexts().get(0);
        SSLSessionContext sessions = context.sslContext().sessionContext();
        int cached = Collections.list(sessions.getIds()).size();
        System.out.println("CACHED " + provider + " " + version + " " + cached + " of " + sessions.getSessionCacheSize()
                + " for " + sessions.getSessionTimeout() + " s");
        assertThat(cached).as("sessions cached after %d connections", connections)
            .isLessThanOrEqualTo(TlsConnections.SESSION_CACHE_SIZE);
        assertThat(sessions.getSessionCacheSize()).isEqualTo(TlsConnections.SESSION_CACHE_SIZE);
        assertThat(sessions.getSessionTimeout()).isEqualTo(TlsConnections.SESSION_TIMEOUT_SECONDS);
        assertThat(context.trustManager().registered()).as("engines registered after every socket closed").isZero();
    }

    /**
     * A TLS 1.2 renegotiation ({@code s_server}'s {@code r} command, with no session
     * cache so the server sends its certificate again) runs the verifier again, during
     * that handshake. JDK provider only: the BoringSSL client of the OPENSSL provider did
     * not start the renegotiation s_server asked for (s_server logged its HelloRequest
     * and nothing after it within 10 s), so there is nothing to verify there.
     */
    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = { "JDK" })
    void renegotiationIsVerifiedAgain(TlsProvider provider) throws Exception {
        try (TlsOpenSslServer server = TlsOpenSslServer.start(PKI, "-cert", "server.crt", "-key", "server.key",
                "-tls1_2", "-no_cache", "-no_ticket")) {
            Socket<Void> socket = connect(server.port(),
                    TlsOptions.builder().provider(provider).ca(PKI.file("ca.crt")).build());
            TlsChannelConnection tls = (TlsChannelConnection) InternalAccess.tlsOf(socket);
            assertThat(tls.verifications()).as("verified in the first handshake").isEqualTo(1);
            socket.write("before\n");
            assertThat(server.awaitLine("before")).isEmpty();
            server.send("r");
            server.awaitLine("SSL_do_handshake ->");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            int kicks = 0;
            while (tls.verifications() < 2 && System.nanoTime() < deadline) {
                // the JDK engine answers the HelloRequest on its next wrap: a write lets
                // it start
                socket.write("kick" + kicks++ + "\n");
                // deliberate pacing of the kicks inside a bounded wait
                Thread.sleep(50);
            }
            assertThat(tls.verifications())
                .as(provider + " verifications after the renegotiation request: " + server.lines())
                .isEqualTo(2);
            socket.write("after\n");
            assertThat(server.awaitLine("after")).isEmpty();
            assertThat(socket.authorized()).isTrue();
            socket.end();
        }
    }

}
