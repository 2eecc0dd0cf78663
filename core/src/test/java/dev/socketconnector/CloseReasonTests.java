package dev.socketconnector;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.Unpooled;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The close reason core reports through
 * {@link SocketObserver#closed(Socket, String, String)} (and the
 * {@code socket.connector.closes} meter counts), each produced by a real fault against a
 * loopback peer.
 */
@ExtendWith(LeakCheckExtension.class)
class CloseReasonTests {

    private final CompletableFuture<String> reason = new CompletableFuture<>();

    private final SocketConnector connector = SocketConnector.builder()
        .shutdownTimeout(Duration.ofSeconds(2))
        .addObserver(new SocketObserver() {
            @Override
            public void closed(Socket<?> socket, @Nullable String endpoint, String why) {
                CloseReasonTests.this.reason.complete(why);
            }
        })
        .build();

    @AfterEach
    void close() {
        this.connector.close();
    }

    @Test
    void peersFinIsPeer() throws Exception {
        try (TestServer server = TestServer.tcp()) {
            connect(server.port(), new RecordingSocketHandler<>());
            server.accept().shutdownOutput();
            assertThat(awaitReason()).isEqualTo("peer");
        }
    }

    @Test
    void endIsLocal() throws Exception {
        try (TestServer server = TestServer.tcp()) {
            Socket<Void> socket = connect(server.port(), new RecordingSocketHandler<>());
            TestServer.Peer peer = server.accept();
            socket.end();
            peer.readToEndAsync();
            assertThat(awaitReason()).isEqualTo("local");
        }
    }

    @Test
    void peersResetIsReset() throws Exception {
        try (TestServer server = TestServer.tcp()) {
            connect(server.port(), new RecordingSocketHandler<>());
            server.accept().reset();
            assertThat(awaitReason()).isEqualTo("reset");
        }
    }

    @Test
    void timeoutIsTimeout() throws Exception {
        try (TestServer server = TestServer.tcp()) {
            Socket<Void> socket = connect(server.port(), new RecordingSocketHandler<>());
            server.accept();
            socket.timeout(1);
            assertThat(awaitReason()).isEqualTo("timeout");
        }
    }

    @Test
    void readIdleTimeoutIsIdle() throws Exception {
        try (TestServer server = TestServer.tcp()) {
            RecordingSocketHandler<Void> handler = new RecordingSocketHandler<>();
            this.connector
                .connect(TcpSocketConnectOptions.<Void>builder()
                    .hostname("127.0.0.1")
                    .port(server.port())
                    .socket(handler)
                    .readIdleTimeout(Duration.ofMillis(300))
                    .build())
                .get(10, TimeUnit.SECONDS);
            server.accept();
            assertThat(awaitReason()).isEqualTo("idle");
            assertThat(((SocketTransportException) handler.awaitClose()).code()).isEqualTo("ETIMEDOUT");
        }
    }

    @Test
    void handlerErrorClosingTheSocketIsError() throws Exception {
        try (TestServer server = TestServer.tcp()) {
            connect(server.port(), new SocketHandler<Void>() {
                @Override
                public void data(Socket<Void> socket, byte[] data) {
                    throw new IllegalStateException("the handler failed (expected by this test)");
                }
            });
            server.accept().write("boom");
            assertThat(awaitReason()).isEqualTo("error");
        }
    }

    @Test
    void brokenTlsRecordAfterTheHandshakeIsTls() throws Exception {
        PkiFixture pki = PkiFixture.get();
        byte[] broken = new byte[] { 0x17, 0x03, 0x03, 0x00, 0x20, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
                16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32 };
        try (TlsNettyServer server = TlsNettyServer.start(pki,
                (ctx, ssl) -> ctx.executor()
                    .schedule(() -> ctx.pipeline().firstContext().writeAndFlush(Unpooled.wrappedBuffer(broken)), 100,
                            TimeUnit.MILLISECONDS))) {
            this.connector.connect(TcpSocketConnectOptions.<Void>builder()
                .hostname("127.0.0.1")
                .port(server.port())
                .socket(new RecordingSocketHandler<Void>().onError((socket, error) -> {
                }))
                .tls(TlsOptions.builder().ca(pki.file("ca.crt")).build())
                .build()).get(10, TimeUnit.SECONDS);
            assertThat(awaitReason()).isEqualTo("tls");
        }
    }

    @Test
    void connectorCloseIsShutdown() throws Exception {
        try (TestServer server = TestServer.tcp()) {
            connect(server.port(), new RecordingSocketHandler<>());
            TestServer.Peer peer = server.accept();
            peer.readToEndAsync();
            this.connector.closeAsync(Duration.ofSeconds(2));
            assertThat(awaitReason()).isEqualTo("shutdown");
        }
    }

    private Socket<Void> connect(int port, SocketHandler<Void> handler) throws Exception {
        return this.connector
            .connect(TcpSocketConnectOptions.<Void>builder().hostname("127.0.0.1").port(port).socket(handler).build())
            .get(10, TimeUnit.SECONDS);
    }

    private String awaitReason() throws Exception {
        return this.reason.get(10, TimeUnit.SECONDS);
    }

}
