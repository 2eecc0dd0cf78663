package dev.socketconnector;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code end()} on a socket that holds input it has not read: the close after the FIN
 * must not lose what was written. A close with unread input makes the kernel reset the
 * connection instead of closing it, and the reset discards what the peer has not read
 * yet; so the socket closes once the peer's FIN has come (or the end timeout has passed),
 * discarding what arrives meanwhile.
 */
class EndWithUnreadInputTests {

    private static final PkiFixture PKI = PkiFixture.get();

    private static final int SIZE = 1024 * 1024;

    private final SocketConnector connector = SocketConnector.create();

    @AfterEach
    void closeConnector() {
        this.connector.close();
    }

    private static byte[] payload() {
        byte[] payload = new byte[SIZE];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) ('a' + i % 26);
        }
        return payload;
    }

    @Test
    void endWithUnreadInputDeliversEverythingAccepted() throws Exception {
        byte[] payload = payload();
        CountDownLatch peerWrote = new CountDownLatch(1);
        try (TestServer server = TestServer.tcp()) {
            RecordingSocketHandler<Void> handler = new RecordingSocketHandler<Void>().onOpen((socket) -> {
                // test only: open holds the loop (bounded) until the peer's bytes are on
                // their way, so they arrive while the socket is not reading and are
                // unread when end() would close it
                try {
                    peerWrote.await(5, TimeUnit.SECONDS);
                    Thread.sleep(50);
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
                assertThat(socket.write(payload)).isEqualTo(SIZE);
                socket.end();
            });
            CompletableFuture<Socket<Void>> connecting = this.connector.connect(TcpSocketConnectOptions.<Void>builder()
                .hostname("127.0.0.1")
                .port(server.port())
                .socket(handler)
                .build());
            TestServer.Peer peer = server.accept();
            peer.write(new byte[16 * 1024]);
            peerWrote.countDown();
            Socket<Void> socket = connecting.get(10, TimeUnit.SECONDS);
            // a slow reader: the client has ended (and before the fix had closed) before
            // the peer reads anything
            Await.poll(Duration.ofMillis(500), () -> socket.readyState() == ReadyState.CLOSED);
            byte[] received = peer.readToEnd();
            assertThat(received.length).as("bytes the peer received").isEqualTo(SIZE);
            assertThat(Arrays.equals(received, payload)).isTrue();
            peer.close();
            assertThat(handler.awaitClose()).isNull();
            assertThat(handler.events()).containsExactly("open", "close");
        }
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = { "OPENSSL", "JDK" })
    void tls13EndRightAfterOpenDeliversEverythingAccepted(TlsProvider provider) throws Exception {
        // the server's session tickets follow the handshake: they are unread input when
        // an end() inside open would close at once
        byte[] payload = payload();
        try (TlsNettyServer server = TlsNettyServer.start(PKI, (ctx, ssl) -> {
        })) {
            AtomicInteger accepted = new AtomicInteger();
            RecordingSocketHandler<Void> handler = new RecordingSocketHandler<Void>().onOpen((socket) -> {
                // the handshake's bytes may still count against the high-water mark: a
                // TLS write then takes whole records, fewer than offered
                accepted.set(socket.write(payload));
                socket.end();
            });
            this.connector
                .connect(TcpSocketConnectOptions.<Void>builder()
                    .hostname("127.0.0.1")
                    .port(server.port())
                    .socket(handler)
                    .tls(TlsOptions.builder().provider(provider).ca(PKI.file("ca.crt")).build())
                    .build())
                .get(10, TimeUnit.SECONDS);
            String read = server.closeNotifyReceived.get(10, TimeUnit.SECONDS);
            assertThat(accepted.get()).isGreaterThan(SIZE / 2);
            assertThat(read.length()).as("bytes the server read before the client's close_notify")
                .isEqualTo(accepted.get());
            assertThat(read).isEqualTo(new String(payload, 0, accepted.get(), StandardCharsets.US_ASCII));
            server.close();
            assertThat(handler.awaitClose()).isNull();
        }
    }

}
