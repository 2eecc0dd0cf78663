package dev.socketconnector.internal.tls;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.socketconnector.PkiFixture;
import dev.socketconnector.RecordingSocketHandler;
import dev.socketconnector.Socket;
import dev.socketconnector.SocketConnector;
import dev.socketconnector.TcpSocketConnectOptions;
import dev.socketconnector.TlsOpenSslServer;
import dev.socketconnector.TlsOptions;
import dev.socketconnector.TlsProvider;
import dev.socketconnector.internal.InternalAccess;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * TLS 1.3 server records (OPENSSL, with BoringSSL's key log) are decrypted only when
 * {@code getTLSTicket()} or {@code getSharedSigalgs()} asks, not at every handshake; what
 * they answer is unchanged, what is kept meanwhile stays bounded, and close wipes it (a
 * member never asked while open then answers null, as Node's do after close).
 */
class Tls13LazyRecordsTests {

    private static final PkiFixture PKI = PkiFixture.get();

    @Test
    void serverRecordsStayEncryptedUntilTheTicketIsAskedFor() throws Exception {
        try (SocketConnector connector = connector(); TlsOpenSslServer server = tls13Server()) {
            RecordingSocketHandler<Void> handler = new RecordingSocketHandler<>();
            Socket<Void> socket = connect(connector, server, handler, TlsOptions.builder());
            // s_server sends its line after its session tickets: they have arrived by
            // then
            server.send("ping");
            handler.awaitBytes(5);
            TlsChannelConnection tls = (TlsChannelConnection) InternalAccess.tlsOf(socket);
            assertThat(tls.serverRecords().handshakeRead()).as("handshake records decrypted before anyone asked")
                .isFalse();
            assertThat(tls.serverRecords().ticket()).as("ticket decrypted before anyone asked").isNull();
            assertThat(tls.sniffer().keptRecords()).as("records kept for a later getter").isPositive();
            byte[] ticket = socket.getTLSTicket();
            assertThat(ticket).isNotEmpty();
            assertThat(tls.serverRecords().handshakeRead()).isTrue();
            assertThat(socket.getSharedSigalgs()).as("no CertificateRequest").isEmpty();
            socket.end();
            handler.awaitClose();
            assertThat(tls.sniffer().keptRecords()).as("wiped on close").isZero();
            assertThat(socket.getTLSTicket()).as("read while open, kept after close").isEqualTo(ticket);
            assertThat(socket.getSharedSigalgs()).isEmpty();
        }
    }

    @Test
    void sharedSigalgsAreReadWhenAskedAndKeptAfterClose() throws Exception {
        try (SocketConnector connector = connector();
                TlsOpenSslServer server = tls13Server("-Verify", "1", "-CAfile", "ca.crt")) {
            TlsOptions.Builder tls = TlsOptions.builder().cert(PKI.file("client.crt")).key(PKI.file("client.key"));
            RecordingSocketHandler<Void> asked = new RecordingSocketHandler<>();
            Socket<Void> socket = connect(connector, server, asked, tls);
            List<String> shared = socket.getSharedSigalgs();
            assertThat(shared).contains("ECDSA+SHA256", "RSA-PSS+SHA256");
            socket.end();
            asked.awaitClose();
            assertThat(socket.getSharedSigalgs()).as("read while open, kept after close").isEqualTo(shared);

        }
    }

    @Test
    void membersNeverAskedWhileOpenAnswerNullAfterClose() throws Exception {
        // a connector of its own: a resumed session would have no CertificateRequest
        try (SocketConnector connector = connector();
                TlsOpenSslServer server = tls13Server("-Verify", "1", "-CAfile", "ca.crt")) {
            TlsOptions.Builder tls = TlsOptions.builder().cert(PKI.file("client.crt")).key(PKI.file("client.key"));
            RecordingSocketHandler<Void> neverAsked = new RecordingSocketHandler<>();
            Socket<Void> socket = connect(connector, server, neverAsked, tls);
            assertThat(server.awaitLine("subject=")).contains("CN = test client");
            socket.end();
            neverAsked.awaitClose();
            assertThat(socket.getSharedSigalgs()).as("never asked while open: wiped on close").isNull();
            assertThat(socket.getTLSTicket()).as("never asked while open: wiped on close").isNull();
            assertThat(socket.getTLSVersion()).isEqualTo("TLSv1.3");
            assertThat(socket.getCertificate().subject()).containsEntry("CN", "test client");
        }
    }

    @Test
    void recordsKeptWhileNobodyAsksStayBounded() throws Exception {
        try (SocketConnector connector = connector(); TlsOpenSslServer server = tls13Server()) {
            RecordingSocketHandler<Void> handler = new RecordingSocketHandler<>();
            Socket<Void> socket = connect(connector, server, handler, TlsOptions.builder());
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                lines.add("line " + i);
            }
            int expected = sendOneRecordEach(server, handler, 0, lines);
            TlsChannelConnection tls = (TlsChannelConnection) InternalAccess.tlsOf(socket);
            assertThat(tls.sniffer().keptRecords()).isEqualTo(Tls13ServerRecords.LAZY_RECORDS);
            assertThat(tls.sniffer().keptBytes()).isLessThanOrEqualTo(Tls13ServerRecords.LAZY_BYTES);
            // at the bound nothing was decrypted on the loop (issue 14: every long-lived
            // connection paid for it): the first records wait for a getter, and the
            // sniffer has left the pipeline
            assertThat(tls.serverRecords().handshakeRead()).as("records decrypted before anyone asked").isFalse();
            assertThat(tls.serverRecords().ticket()).as("ticket decrypted before anyone asked").isNull();
            assertThat(tls.sniffer().inPipeline()).as("sniffer still reading every record").isFalse();
            sendOneRecordEach(server, handler, expected, List.of("after"));
            assertThat(tls.sniffer().keptRecords()).as("kept after the bound")
                .isEqualTo(Tls13ServerRecords.LAZY_RECORDS);
            // the ticket came right after the handshake: among the records kept
            byte[] ticket = socket.getTLSTicket();
            assertThat(ticket).isNotEmpty();
            assertThat(tls.sniffer().keptRecords()).as("dropped once read").isZero();
            socket.end();
            handler.awaitClose();
            assertThat(socket.getTLSTicket()).as("read while open, kept after close").isEqualTo(ticket);
        }
    }

    @Test
    void largeRecordsPastTheByteBoundAreReadAsTheyComeAndDropped() throws Exception {
        try (SocketConnector connector = connector(); TlsOpenSslServer server = tls13Server()) {
            RecordingSocketHandler<Void> handler = new RecordingSocketHandler<>();
            Socket<Void> socket = connect(connector, server, handler, TlsOptions.builder());
            sendOneRecordEach(server, handler, 0, Collections.nCopies(4, "x".repeat(10_000)));
            TlsChannelConnection tls = (TlsChannelConnection) InternalAccess.tlsOf(socket);
            // a bulk receiver holds no 32 KB of copies until it closes: past the bound
            // the
            // records were read on the loop, the ticket among them, and dropped
            assertThat(tls.serverRecords().ticket()).isNotNull();
            assertThat(tls.sniffer().keptRecords()).isZero();
            assertThat(tls.sniffer().inPipeline()).isFalse();
            assertThat(socket.getTLSTicket()).isNotEmpty();
        }
    }

    private static SocketConnector connector() {
        return SocketConnector.builder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** An {@code openssl s_server} speaking TLS 1.3 with the server certificate. */
    private static TlsOpenSslServer tls13Server(String... more) {
        List<String> args = new ArrayList<>(List.of("-cert", "server.crt", "-key", "server.key", "-tls1_3"));
        args.addAll(List.of(more));
        return TlsOpenSslServer.start(PKI, args.toArray(String[]::new));
    }

    /**
     * Has the server type each line (one record each: it waits for each line to arrive
     * before typing the next).
     * @return the bytes received so far: {@code received} plus each line and its newline
     */
    private static int sendOneRecordEach(TlsOpenSslServer server, RecordingSocketHandler<Void> handler, int received,
            List<String> lines) throws Exception {
        int expected = received;
        for (String line : lines) {
            server.send(line);
            expected += line.getBytes(StandardCharsets.US_ASCII).length + 1;
            handler.awaitBytes(expected);
        }
        return expected;
    }

    private static Socket<Void> connect(SocketConnector connector, TlsOpenSslServer server,
            RecordingSocketHandler<Void> handler, TlsOptions.Builder tls) throws Exception {
        return connector
            .connect(TcpSocketConnectOptions.<Void>builder()
                .hostname("127.0.0.1")
                .port(server.port())
                .tls(tls.provider(TlsProvider.OPENSSL).ca(PKI.file("ca.crt")).build())
                .socket(handler)
                .build())
            .get(10, TimeUnit.SECONDS);
    }

}
