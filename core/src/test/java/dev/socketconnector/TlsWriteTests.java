package dev.socketconnector;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for writes on TLS sockets: a write accepted in part takes whole TLS records (16
 * KiB of plaintext each), so that record-aligned chunks reach the {@code SslHandler} in
 * buffers it encrypts without copying; the accept-count contract, drain and order stay
 * those of any socket.
 */
class TlsWriteTests {

    private static final PkiFixture PKI = PkiFixture.get();

    private static final int RECORD = 16 * 1024;

    private static final int LOW = 16 * 1024;

    /** Not a multiple of a record, so that what fits below it ends inside one. */
    private static final int HIGH = 100_000;

    private final SocketConnector connector = SocketConnector.builder().writeBufferWaterMark(LOW, HIGH).build();

    @AfterEach
    void closeConnector() {
        this.connector.close();
    }

    private Socket<Void> connect(int port, TlsProvider provider, SocketHandler<Void> handler) throws Exception {
        return this.connector
            .connect(TcpSocketConnectOptions.<Void>builder()
                .hostname("127.0.0.1")
                .port(port)
                .socket(handler)
                .tls(TlsOptions.builder().provider(provider).ca(PKI.file("ca.crt")).build())
                .build())
            .get(10, TimeUnit.SECONDS);
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = { "OPENSSL", "JDK" })
    void partialWriteTakesWholeRecords(TlsProvider provider) throws Exception {
        try (TlsNettyServer server = TlsNettyServer.start(PKI, (ctx, ssl) -> {
        })) {
            Socket<Void> socket = connect(server.port(), provider, new RecordingSocketHandler<>());
            byte[] big = ascii(3 * HIGH, 1);
            int accepted = socket.write(big);
            // what fits below the mark (less the queued write's bookkeeping) ends inside
            // the seventh record: six whole records are taken
            assertThat(accepted).isEqualTo(6 * RECORD);
            assertThat(socket.bytesWritten()).isEqualTo(accepted);
            socket.end();
            assertSameText(server.closeNotifyReceived.get(10, TimeUnit.SECONDS),
                    new String(big, 0, accepted, StandardCharsets.US_ASCII));
        }
    }

    @Test
    void partialWriteOnPlainSocketTakesAllThatFits() throws Exception {
        try (TestServer server = TestServer.tcp()) {
            Socket<Void> socket = this.connector
                .connect(TcpSocketConnectOptions.<Void>builder()
                    .hostname("127.0.0.1")
                    .port(server.port())
                    .socket(new RecordingSocketHandler<>())
                    .build())
                .get(10, TimeUnit.SECONDS);
            TestServer.Peer peer = server.accept();
            int accepted = socket.write(new byte[3 * HIGH]);
            // off the loop: the mark less one queued write's bookkeeping
            assertThat(accepted).isGreaterThan(5 * RECORD).isNotEqualTo(6 * RECORD).isLessThan(HIGH + 1);
            CompletableFuture<byte[]> read = peer.readToEndAsync();
            socket.end();
            assertThat(read.get(10, TimeUnit.SECONDS)).hasSize(accepted);
        }
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = { "OPENSSL", "JDK" })
    void bunStyleTransferWithPartialWritesDeliversEveryByteInOrder(TlsProvider provider) throws Exception {
        transfer(this.connector, provider, true);
    }

    @Test
    void marksWithinOneRecordOfEachOtherStillMakeProgress() throws Exception {
        // after drain Netty holds no more than the low-water mark: the retry takes what
        // fits even when that is less than a record
        try (SocketConnector close = SocketConnector.builder().writeBufferWaterMark(HIGH - 10_000, HIGH).build()) {
            transfer(close, TlsProvider.OPENSSL, false);
        }
    }

    /**
     * Sends 2 MiB in 64 KiB chunks the way Bun's docs show, checks what the server
     * decrypted and, when {@code wholeRecords}, that every partial write took whole
     * records.
     */
    private static void transfer(SocketConnector connector, TlsProvider provider, boolean wholeRecords)
            throws Exception {
        byte[] payload = ascii(2 * 1024 * 1024, 7);
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        // the server copies what it decrypts, in order (on its loop)
        try (TlsNettyServer server = TlsNettyServer.start(PKI,
                (ctx, ssl) -> ctx.pipeline().addBefore(ctx.name(), "copy", new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext context, Object msg) {
                        if (msg instanceof ByteBuf buffer) {
                            synchronized (received) {
                                byte[] bytes = new byte[buffer.readableBytes()];
                                buffer.getBytes(buffer.readerIndex(), bytes);
                                received.writeBytes(bytes);
                            }
                        }
                        context.fireChannelRead(msg);
                    }
                }))) {
            int chunk = 64 * 1024;
            AtomicInteger offset = new AtomicInteger();
            AtomicInteger drains = new AtomicInteger();
            List<Integer> partials = new CopyOnWriteArrayList<>();
            Runnable[] pump = new Runnable[1];
            CompletableFuture<Socket<Void>> socketRef = new CompletableFuture<>();
            pump[0] = () -> {
                Socket<Void> socket = socketRef.join();
                while (offset.get() < payload.length) {
                    int length = Math.min(chunk - offset.get() % chunk, payload.length - offset.get());
                    int written = socket.write(payload, offset.get(), length);
                    offset.addAndGet(written);
                    if (written < length) {
                        partials.add(written);
                        return;
                    }
                }
            };
            // open starts the transfer and drain carries it on, both on the socket's loop
            RecordingSocketHandler<Void> handler = new RecordingSocketHandler<Void>().onOpen((s) -> {
                socketRef.complete(s);
                pump[0].run();
            }).onDrain((s) -> {
                drains.incrementAndGet();
                pump[0].run();
            });
            Socket<Void> socket = connector
                .connect(TcpSocketConnectOptions.<Void>builder()
                    .hostname("127.0.0.1")
                    .port(server.port())
                    .socket(handler)
                    .tls(TlsOptions.builder().provider(provider).ca(PKI.file("ca.crt")).build())
                    .build())
                .get(10, TimeUnit.SECONDS);
            Await.poll(Duration.ofSeconds(30), () -> {
                synchronized (received) {
                    return received.size() >= payload.length;
                }
            });
            synchronized (received) {
                assertSameText(received.toString(StandardCharsets.US_ASCII),
                        new String(payload, StandardCharsets.US_ASCII));
            }
            assertThat(socket.bytesWritten()).isEqualTo(payload.length);
            assertThat(drains.get()).isPositive();
            // every partial write took whole records, so every chunk stayed cut on record
            // boundaries
            assertThat(partials).isNotEmpty();
            if (wholeRecords) {
                assertThat(partials).allSatisfy((written) -> assertThat(written % RECORD).isZero());
            }
            socket.end();
            assertThat(handler.awaitClose()).isNull();
        }
    }

    /** Compares long texts without printing them. */
    private static void assertSameText(String actual, String expected) {
        assertThat(actual.length()).as("characters received").isEqualTo(expected.length());
        assertThat(actual.equals(expected)).as("every character received in order").isTrue();
    }

    /** Printable bytes (the test server reads text). */
    private static byte[] ascii(int length, long seed) {
        byte[] bytes = new byte[length];
        Random random = new Random(seed);
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) ('a' + random.nextInt(26));
        }
        return bytes;
    }

}
