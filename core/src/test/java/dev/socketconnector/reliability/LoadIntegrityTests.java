package dev.socketconnector.reliability;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import dev.socketconnector.PkiFixture;
import dev.socketconnector.RecordingSocketHandler;
import dev.socketconnector.Socket;
import dev.socketconnector.SocketConnector;
import dev.socketconnector.TcpSocketConnectOptions;
import dev.socketconnector.TestServer;
import dev.socketconnector.TlsOptions;
import dev.socketconnector.TlsProvider;
import dev.socketconnector.UnixSocketOptions;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Nothing is lost under load: 256 MiB through an echo peer with Bun-style backpressure on
 * TCP, unix and TLS (both providers) with equal SHA-256 both ways; 200 connections × 200
 * ping-pongs; eight threads writing to one socket; 1,000 connect/close cycles without
 * growth in sockets, threads, file descriptors or direct memory.
 */
class LoadIntegrityTests {

    private static final long BULK = 256L * 1024 * 1024;

    private final SocketConnector connector = SocketConnector.builder()
        .connectTimeout(Duration.ofSeconds(10))
        .writeBufferWaterMark(256 * 1024, 1024 * 1024)
        .build();

    @AfterEach
    void closeConnector() {
        this.connector.close();
    }

    @Test
    void bulkTransferOverTcpWithBackpressureArrivesIntactBothWays() throws Exception {
        try (EchoServer server = EchoServer.tcp("127.0.0.1")) {
            PumpHandler pump = new PumpHandler(11, BULK, true).digestOnly();
            this.connector
                .connect(TcpSocketConnectOptions.<Void>builder()
                    .hostname("127.0.0.1")
                    .port(server.port())
                    .socket(pump)
                    .build())
                .get(10, TimeUnit.SECONDS);
            assertIntactBothWays(pump, server.awaitResultLater());
        }
    }

    @Test
    void bulkTransferOverUnixSocketWithBackpressureArrivesIntactBothWays() throws Exception {
        try (EchoServer server = EchoServer.unix()) {
            PumpHandler pump = new PumpHandler(12, BULK, true).digestOnly();
            this.connector.connect(UnixSocketOptions.<Void>builder().unix(server.path()).socket(pump).build())
                .get(10, TimeUnit.SECONDS);
            assertIntactBothWays(pump, server.awaitResultLater());
        }
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = { "OPENSSL", "JDK" })
    void bulkTransferOverTlsWithBackpressureArrivesIntactBothWays(TlsProvider provider) throws Exception {
        PkiFixture pki = PkiFixture.get();
        try (TlsEchoServer server = TlsEchoServer.start(pki)) {
            PumpHandler pump = new PumpHandler(13, BULK, true).digestOnly();
            Socket<Void> socket = this.connector
                .connect(TcpSocketConnectOptions.<Void>builder()
                    .hostname("127.0.0.1")
                    .port(server.port())
                    .socket(pump)
                    .tls(TlsOptions.builder().provider(provider).ca(pki.file("ca.crt")).build())
                    .build())
                .get(10, TimeUnit.SECONDS);
            assertThat(socket.authorized()).isTrue();
            CompletableFuture<EchoServer.Result> result = CompletableFuture.supplyAsync(() -> {
                try {
                    return server.awaitResult(120);
                }
                catch (InterruptedException ex) {
                    throw new IllegalStateException(ex);
                }
            });
            assertIntactBothWays(pump, result);
            assertThat(pump.events()).startsWith("handshake:true", "open");
        }
    }

    private static void assertIntactBothWays(PumpHandler pump, CompletableFuture<EchoServer.Result> peer)
            throws Exception {
        pump.echoed().get(120, TimeUnit.SECONDS);
        assertThat(pump.awaitClose(30)).isNull();
        EchoServer.Result received = peer.get(30, TimeUnit.SECONDS);
        assertThat(received.failure()).isNull();
        assertThat(pump.sent()).isEqualTo(BULK);
        assertThat(received.bytes()).as("bytes the peer read").isEqualTo(BULK);
        assertThat(pump.echoedBytes()).as("bytes echoed back").isEqualTo(BULK);
        assertThat(pump.mismatchAt()).isEqualTo(-1);
        byte[] sent = pump.sentDigest();
        assertThat(received.sha256()).as("SHA-256 client to peer").isEqualTo(sent);
        assertThat(pump.receivedDigest()).as("SHA-256 peer to client").isEqualTo(sent);
        assertThat(pump.partialWrites()).as("writes accepted in part (backpressure was exercised)").isPositive();
        assertThat(pump.count("drain")).isEqualTo(pump.partialWrites());
        pump.assertClosedOnceAndQuiet(50);
    }

    @Test
    void twoHundredConnectionsTimesTwoHundredPingPongsLoseAndReorderNothing() throws Exception {
        int connections = 200;
        int rounds = 200;
        try (EchoServer server = EchoServer.tcp("127.0.0.1")) {
            List<PingPong> handlers = new ArrayList<>();
            List<CompletableFuture<Socket<Void>>> connects = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                PingPong handler = new PingPong(i, rounds);
                handlers.add(handler);
                connects.add(this.connector.connect(TcpSocketConnectOptions.<Void>builder()
                    .hostname("127.0.0.1")
                    .port(server.port())
                    .socket(handler)
                    .build()));
            }
            CompletableFuture.allOf(connects.toArray(new CompletableFuture<?>[0])).get(30, TimeUnit.SECONDS);
            CompletableFuture.allOf(handlers.stream().map(PingPong::done).toArray(CompletableFuture<?>[]::new))
                .get(60, TimeUnit.SECONDS);
            for (PingPong handler : handlers) {
                assertThat(handler.awaitClose(10)).isNull();
                assertThat(handler.rounds()).isEqualTo(rounds);
                assertThat(handler.events()).containsExactly("open", "data", "close");
            }
            for (int i = 0; i < connections; i++) {
                EchoServer.Result result = server.awaitResult(10);
                assertThat(result.failure()).isNull();
                assertThat(result.bytes()).isEqualTo((long) rounds * PingPong.SIZE);
            }
            assertThat(this.connector.sockets()).isEmpty();
        }
    }

    /**
     * Sends a 32-byte message (connection id, sequence, 24 random bytes), waits for it,
     * sends the next.
     */
    private static final class PingPong extends TrackingHandler<Void> {

        static final int SIZE = 32;

        private final int id;

        private final int total;

        private final SplittableRandom random;

        private final CompletableFuture<Void> done = new CompletableFuture<>();

        private final ByteBuffer pending = ByteBuffer.allocate(SIZE);

        private byte[] outstanding;

        private int round;

        PingPong(int id, int total) {
            this.id = id;
            this.total = total;
            this.random = new SplittableRandom(id);
        }

        @Override
        public void open(Socket<Void> socket) {
            super.open(socket);
            send(socket);
        }

        private void send(Socket<Void> socket) {
            ByteBuffer message = ByteBuffer.allocate(SIZE).putInt(this.id).putInt(this.round);
            byte[] noise = new byte[SIZE - 8];
            this.random.nextBytes(noise);
            this.outstanding = message.put(noise).array();
            if (socket.write(this.outstanding) != SIZE) {
                this.done.completeExceptionally(new AssertionError("32-byte write not accepted at once"));
            }
        }

        @Override
        public void data(Socket<Void> socket, byte[] data) {
            super.data(socket, data);
            for (byte b : data) {
                if (!this.pending.hasRemaining()) {
                    this.done.completeExceptionally(new AssertionError(this.id + ": more bytes than sent"));
                    return;
                }
                this.pending.put(b);
            }
            if (this.pending.hasRemaining()) {
                return;
            }
            if (!java.util.Arrays.equals(this.pending.array(), this.outstanding)) {
                this.done.completeExceptionally(new AssertionError(
                        "connection " + this.id + " round " + this.round + ": echo differs from what was sent"));
                return;
            }
            this.pending.clear();
            this.round++;
            if (this.round == this.total) {
                this.done.complete(null);
                socket.end();
            }
            else {
                send(socket);
            }
        }

        @Override
        public void close(Socket<Void> socket, @Nullable Throwable error) {
            super.close(socket, error);
            this.done.completeExceptionally(new AssertionError(this.id + " closed after " + this.round, error));
        }

        CompletableFuture<Void> done() {
            return this.done;
        }

        int rounds() {
            return this.round;
        }

    }

    @Test
    void eightThreadsWritingToOneSocketKeepEachThreadsOrder() throws Exception {
        int writers = 8;
        int perThread = 4 * 1024 * 1024;
        try (SocketConnector small = SocketConnector.builder().writeBufferWaterMark(8 * 1024, 32 * 1024).build();
                TestServer server = TestServer.tcp()) {
            RecordingSocketHandler<Void> handler = new RecordingSocketHandler<>();
            Socket<Void> socket = small
                .connect(TcpSocketConnectOptions.<Void>builder()
                    .hostname("127.0.0.1")
                    .port(server.port())
                    .socket(handler)
                    .build())
                .get(10, TimeUnit.SECONDS);
            TestServer.Peer peer = server.accept();
            CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> {
                try {
                    return peer.readToEnd();
                }
                catch (Exception ex) {
                    throw new IllegalStateException(ex);
                }
            });
            AtomicLong partials = new AtomicLong();
            CountDownLatch start = new CountDownLatch(1);
            List<CompletableFuture<Void>> threads = new ArrayList<>();
            for (int t = 0; t < writers; t++) {
                int id = t;
                CompletableFuture<Void> finished = new CompletableFuture<>();
                threads.add(finished);
                Thread thread = new Thread(() -> {
                    try {
                        start.await();
                        writeTagged(socket, id, perThread, partials);
                        finished.complete(null);
                    }
                    catch (Throwable ex) {
                        finished.completeExceptionally(ex);
                    }
                }, "writer-" + t);
                thread.start();
            }
            start.countDown();
            CompletableFuture.allOf(threads.toArray(new CompletableFuture<?>[0])).get(60, TimeUnit.SECONDS);
            assertThat(socket.bytesWritten()).isEqualTo((long) writers * perThread);
            socket.end();
            byte[] bytes = received.get(30, TimeUnit.SECONDS);
            assertThat(bytes).hasSize(writers * perThread);
            // each byte is (thread << 5) | 5 bits of that thread's own random sequence
            SplittableRandom[] expected = new SplittableRandom[writers];
            long[] counts = new long[writers];
            for (int t = 0; t < writers; t++) {
                expected[t] = new SplittableRandom(1000 + t);
            }
            for (int i = 0; i < bytes.length; i++) {
                int thread = (bytes[i] & 0xff) >>> 5;
                int value = bytes[i] & 0x1f;
                int want = expected[thread].nextInt(32);
                if (value != want) {
                    throw new AssertionError("byte " + i + " of the stream: thread " + thread + "'s byte "
                            + counts[thread] + " is out of order or corrupt");
                }
                counts[thread]++;
            }
            for (int t = 0; t < writers; t++) {
                assertThat(counts[t]).as("bytes of thread " + t).isEqualTo(perThread);
            }
            assertThat(partials.get()).as("writes accepted in part, retried with the rest").isPositive();
            assertThat(handler.awaitClose()).isNull();
        }
    }

    /**
     * Writes a thread's tagged bytes in records of 1..16 KiB, retrying only the part that
     * was not accepted.
     */
    private static void writeTagged(Socket<Void> socket, int id, int total, AtomicLong partials) {
        SplittableRandom values = new SplittableRandom(1000 + id);
        SplittableRandom sizes = new SplittableRandom(id);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(50);
        int sent = 0;
        while (sent < total) {
            int size = Math.min(total - sent, 1 + sizes.nextInt(16 * 1024));
            byte[] record = new byte[size];
            for (int i = 0; i < size; i++) {
                record[i] = (byte) ((id << 5) | values.nextInt(32));
            }
            int offset = 0;
            while (offset < size) {
                int written = socket.write(record, offset, size - offset);
                if (written < 0) {
                    throw new AssertionError("socket closed under writer " + id);
                }
                if (written < size - offset) {
                    partials.incrementAndGet();
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError("writer " + id + " made no progress");
                    }
                    LockSupport.parkNanos(20_000);
                }
                offset += written;
            }
            sent += size;
        }
    }

    @Test
    void thousandConnectCloseCyclesLeaveNoSocketsThreadsFdsOrDirectMemoryBehind() throws Exception {
        try (EchoServer server = EchoServer.tcp("127.0.0.1")) {
            cycles(server, 50);
            Resources before = Resources.measure();
            cycles(server, 1000);
            assertThat(this.connector.sockets()).isEmpty();
            Resources after = Resources.measure();
            assertThat(after.threads()).as("threads (before %s)", before).isLessThanOrEqualTo(before.threads() + 2);
            assertThat(after.fds()).as("open fds (before %s)", before).isLessThanOrEqualTo(before.fds() + 8);
            assertThat(after.directPool()).as("JDK direct buffers (before %s)", before)
                .isLessThanOrEqualTo(before.directPool() + 4L * 1024 * 1024);
            assertThat(after.nettyDirect()).as("Netty direct memory (before %s)", before)
                .isLessThanOrEqualTo(before.nettyDirect() + 8L * 1024 * 1024);
        }
    }

    private void cycles(EchoServer server, int count) throws Exception {
        byte[] hello = new byte[100];
        new SplittableRandom(5).nextBytes(hello);
        for (int i = 0; i < count; i++) {
            RecordingSocketHandler<Void> handler = new RecordingSocketHandler<Void>().onOpen((s) -> s.write(hello));
            this.connector
                .connect(TcpSocketConnectOptions.<Void>builder()
                    .hostname("127.0.0.1")
                    .port(server.port())
                    .socket(handler)
                    .build())
                .get(10, TimeUnit.SECONDS);
            assertThat(handler.awaitBytes(hello.length)).isEqualTo(hello);
            handler.awaitOpen().end();
            assertThat(handler.awaitClose()).isNull();
            assertThat(handler.events()).containsExactly("open", "data", "close");
            assertThat(server.awaitResult(10).bytes()).isEqualTo(hello.length);
        }
    }

    /** Threads, open file descriptors and direct memory of this JVM, after a GC. */
    record Resources(int threads, long fds, long directPool, long nettyDirect) {

        static Resources measure() throws Exception {
            System.gc();
            Thread.sleep(100);
            long fds;
            try (Stream<Path> list = Files.list(Path.of("/proc/self/fd"))) {
                fds = list.count();
            }
            long direct = 0;
            for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
                if (pool.getName().equals("direct")) {
                    direct = pool.getMemoryUsed();
                }
            }
            // Netty's own allocator's count (its internal PlatformDependent counter is
            // not API)
            long nettyDirect = (ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider provider)
                    ? provider.metric().usedDirectMemory() : 0;
            return new Resources(ManagementFactory.getThreadMXBean().getThreadCount(), fds, direct, nettyDirect);
        }
    }

}
