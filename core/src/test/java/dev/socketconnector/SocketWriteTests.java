package dev.socketconnector;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Tests for the write path: Bun's accept-count contract, drain, order, overloads and
 * bytesWritten.
 */
class SocketWriteTests {

    private static final int LOW = 16 * 1024;

    private static final int HIGH = 64 * 1024;

    private final SocketConnector connector = SocketConnector.builder().writeBufferWaterMark(LOW, HIGH).build();

    @AfterEach
    void closeConnector() {
        this.connector.close();
    }

    private <D> Socket<D> connect(TestServer server, RecordingSocketHandler<D> handler) throws Exception {
        return connect(this.connector, server, handler);
    }

    private static <D> Socket<D> connect(SocketConnector connector, TestServer server,
            RecordingSocketHandler<D> handler) throws Exception {
        return connector.connect(
                TcpSocketConnectOptions.<D>builder().hostname("127.0.0.1").port(server.port()).socket(handler).build())
            .get(10, TimeUnit.SECONDS);
    }

    @Test
    void writeWhenPeerStopsReadingReturnsPartialThenZeroAndDrainFiresOncePerEpisode() throws Exception {
        try (TestServer server = TestServer.tcp()) {
            AtomicInteger drains = new AtomicInteger();
            RecordingSocketHandler<Void> handler = new RecordingSocketHandler<Void>()
                .onDrain((s) -> drains.incrementAndGet());
            Socket<Void> socket = connect(server, handler);
            TestServer.Peer peer = server.accept();
            byte[] chunk = new byte[32 * 1024];
            new Random(1).nextBytes(chunk);
            MessageDigest sent = MessageDigest.getInstance("SHA-256");
            long accepted = 0;
            int result;
            int partials = 0;
            int zeros = 0;
            // the peer reads nothing: kernel buffers fill, then the outbound buffer stays
            // at the high-water mark
            // (a 0 can be transient while the kernel still takes what Netty holds: wait
            // until 0 persists)
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            do {
                result = socket.write(chunk);
                assertThat(result).isBetween(0, chunk.length);
                sent.update(chunk, 0, result);
                accepted += result;
                if (result < chunk.length) {
                    partials++;
                }
                zeros = (result == 0) ? zeros + 1 : 0;
                // deliberate pacing: "refused" means 20 refusals 10 ms apart
                Thread.sleep((result == 0) ? 10 : 1);
            }
            while (zeros < 20 && System.nanoTime() < deadline);
            assertThat(zeros).as("writes returned 0 for 200 ms").isEqualTo(20);
            assertThat(partials).isGreaterThanOrEqualTo(1);
            assertThat(socket.write(chunk)).isZero();
            assertThat(socket.bytesWritten()).isEqualTo(accepted);
            int drainsBeforeReading = drains.get();
            assertThat(drainsBeforeReading).as("one drain at most per short-write episode").isLessThan(partials);
            // the peer reads everything: drain fires once, and every accepted byte
            // arrives in order
            CompletableFuture<byte[]> digest = peer.readToEndAsync().thenApply(SocketWriteTests::sha256);
            Await.poll(Duration.ofSeconds(10), () -> drains.get() != drainsBeforeReading);
            // a quiet period, not a wait: no second drain may follow
            Thread.sleep(200);
            assertThat(drains.get()).as("the last episode's drain fires once").isEqualTo(drainsBeforeReading + 1);
            socket.end();
            assertThat(digest.get(10, TimeUnit.SECONDS)).isEqualTo(sent.digest());
            assertThat(handler.awaitClose()).isNull();
        }
    }

    @Test
    void bunStyleTransferWithDrainDeliversEveryByteInOrder() throws Exception {
        try (TestServer server = TestServer.tcp()) {
            byte[] payload = new byte[8 * 1024 * 1024];
            new Random(7).nextBytes(payload);
            AtomicInteger offset = new AtomicInteger();
            AtomicInteger drains = new AtomicInteger();
            Runnable[] pump = new Runnable[1];
            RecordingSocketHandler<Void> handler = new RecordingSocketHandler<>();
            CompletableFuture<Socket<Void>> socketRef = new CompletableFuture<>();
            pump[0] = () -> {
                Socket<Void> socket = socketRef.join();
                while (offset.get() < payload.length) {
                    int length = Math.min(64 * 1024, payload.length - offset.get());
                    int written = socket.write(payload, offset.get(), length);
                    offset.addAndGet(written);
                    if (written < length) {
                        return;
                    }
                }
                socket.end();
            };
            // Bun's pattern: open starts the transfer and drain carries it on, both on
            // the socket's event loop (a
            // pump on the test thread would race the loop's drain over the shared offset)
            handler.onOpen((s) -> {
                socketRef.complete(s);
                pump[0].run();
            }).onDrain((s) -> {
                drains.incrementAndGet();
                pump[0].run();
            });
            connect(server, handler);
            TestServer.Peer peer = server.accept();
            CompletableFuture<byte[]> received = peer.readToEndAsync();
            byte[] bytes = received.get(30, TimeUnit.SECONDS);
            assertThat(MessageDigest.getInstance("SHA-256").digest(bytes))
                .isEqualTo(MessageDigest.getInstance("SHA-256").digest(payload));
            assertThat(drains.get()).isPositive();
            assertThat(handler.awaitClose()).isNull();
        }
    }

    @Test
    void writesFromAnotherThreadKeepTheirOrder() throws Exception {
        try (TestServer server = TestServer.tcp()) {
            RecordingSocketHandler<Void> handler = new RecordingSocketHandler<>();
            Socket<Void> socket = connect(server, handler);
            TestServer.Peer peer = server.accept();
            CompletableFuture<byte[]> received = peer.readToEndAsync();
            ByteBuffer expected = ByteBuffer.allocate(20000 * 4);
            for (int i = 0; i < 20000; i++) {
                byte[] number = ByteBuffer.allocate(4).putInt(i).array();
                while (true) {
                    int written = socket.write(number);
                    if (written == 4) {
                        break;
                    }
                    assertThat(written).isZero().as("4-byte writes are all or nothing here");
                    Thread.sleep(1);
                }
                expected.put(ByteBuffer.allocate(4).putInt(i).array());
            }
            socket.end();
            assertThat(received.get(10, TimeUnit.SECONDS)).isEqualTo(expected.array());
        }
    }

    /**
     * A socket makes its write path on its first write: several threads writing first at
     * the same moment race to make it. Every byte must arrive once, each thread's writes
     * in its order, and bytesWritten must count them all (issue 14, idle memory).
     */
    @Test
    void firstWritesFromSeveralThreadsAtOnceArriveWholeAndInEachThreadsOrder() throws Exception {
        int writers = 4;
        int records = 250;
        raceFirstWrites(writers, records, false, (socket, accepted) -> {
            assertThat(accepted).containsOnly(records);
            assertThat(socket.bytesWritten()).isEqualTo(writers * records * 8L);
        });
    }

    /**
     * end() racing the first writes of other threads: a write accepted before the output
     * closed is delivered, in its thread's order; every write after it returns -1 (issue
     * 14, idle memory: end() makes the write path too, and must win or lose the race
     * cleanly).
     */
    @Test
    void endRacingTheFirstWritesOfOtherThreadsDeliversEveryAcceptedByte() throws Exception {
        raceFirstWrites(3, 250, true,
                (socket, accepted) -> assertThat(socket.bytesWritten()).isEqualTo(IntStream.of(accepted).sum() * 8L));
    }

    /**
     * Runs 30 rounds of {@link #writeAtOnce} on fresh sockets of a connector with the
     * default water marks (1 MiB high: the racing writers' records, each charged its
     * queueing overhead, stay below it, so every write is taken whole). Without
     * {@code end} the test thread ends the socket once the writers are done. Each round
     * checks that the peer received every accepted record, each writer's in order, then
     * runs {@code check}.
     */
    private static void raceFirstWrites(int writers, int records, boolean end, BiConsumer<Socket<Void>, int[]> check)
            throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(writers + 1);
        try (TestServer server = TestServer.tcp(); SocketConnector defaults = SocketConnector.builder().build()) {
            for (int round = 0; round < 30; round++) {
                Socket<Void> socket = connect(defaults, server, new RecordingSocketHandler<>());
                TestServer.Peer peer = server.accept();
                CompletableFuture<byte[]> received = peer.readToEndAsync();
                int[] accepted = writeAtOnce(threads, socket, writers, records, end);
                if (!end) {
                    socket.end();
                }
                byte[] bytes = received.get(10, TimeUnit.SECONDS);
                assertRecords(bytes, accepted);
                check.accept(socket, accepted);
                peer.close();
            }
        }
        finally {
            threads.shutdownNow();
        }
    }

    /**
     * Starts {@code writers} threads at one moment, each writing {@code records} 8-byte
     * records (its number, then the record's) until one is refused; with {@code end}, one
     * more thread calls end() at the same moment.
     * @return how many records each writer had accepted
     */
    private static int[] writeAtOnce(ExecutorService threads, Socket<Void> socket, int writers, int records,
            boolean end) throws Exception {
        CountDownLatch ready = new CountDownLatch(writers + (end ? 1 : 0));
        AtomicBoolean go = new AtomicBoolean();
        List<Future<Integer>> done = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            done.add(threads.submit(() -> {
                awaitGo(ready, go);
                for (int i = 0; i < records; i++) {
                    int written = socket.write(ByteBuffer.allocate(8).putInt(writer).putInt(i).array());
                    if (written < 0) {
                        return i;
                    }
                    assertThat(written).as("an 8-byte write far below the mark is taken whole").isEqualTo(8);
                }
                return records;
            }));
        }
        if (end) {
            done.add(threads.submit(() -> {
                awaitGo(ready, go);
                socket.end();
                return 0;
            }));
        }
        assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
        go.set(true);
        int[] accepted = new int[writers];
        for (int w = 0; w < writers; w++) {
            accepted[w] = done.get(w).get(10, TimeUnit.SECONDS);
        }
        if (end) {
            done.get(writers).get(10, TimeUnit.SECONDS);
        }
        return accepted;
    }

    private static void awaitGo(CountDownLatch ready, AtomicBoolean go) {
        ready.countDown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!go.get()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no start signal within 10 s");
            }
            Thread.onSpinWait();
        }
    }

    /**
     * Checks that {@code bytes} holds exactly each writer's first {@code accepted[w]}
     * records, each writer's in its order.
     */
    private static void assertRecords(byte[] bytes, int[] accepted) {
        assertThat(bytes.length % 8).isZero();
        int[] next = new int[accepted.length];
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            int writer = buffer.getInt();
            int record = buffer.getInt();
            assertThat(writer).isBetween(0, accepted.length - 1);
            assertThat(record).as("writer %d's next record", writer).isEqualTo(next[writer]);
            next[writer]++;
        }
        assertThat(next).as("records received per writer").isEqualTo(accepted);
    }

    @Test
    void writeOverloadsAndBytesWritten() throws Exception {
        try (TestServer server = TestServer.tcp()) {
            RecordingSocketHandler<Void> handler = new RecordingSocketHandler<>();
            Socket<Void> socket = connect(server, handler);
            TestServer.Peer peer = server.accept();
            assertThat(socket.write("héllo")).isEqualTo(6);
            assertThat(socket.write("abcdef".getBytes(), 2, 3)).isEqualTo(3);
            ByteBuffer buffer = ByteBuffer.wrap("xyz!".getBytes());
            buffer.position(1);
            assertThat(socket.write(buffer)).isEqualTo(3);
            assertThat(buffer.hasRemaining()).isFalse();
            assertThat(socket.write(new byte[0])).isZero();
            assertThat(socket.write("")).isZero();
            assertThat(socket.bytesWritten()).isEqualTo(12);
            assertThat(new String(peer.readExactly(12), "UTF-8")).isEqualTo("héllocdeyz!");
            assertThatThrownBy(() -> socket.write(new byte[4], 5, 0)).isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessageContaining("byteOffset");
            assertThatThrownBy(() -> socket.write(new byte[4], 2, 3)).isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessageContaining("byteLength");
            assertThatThrownBy(() -> socket.end(new byte[4], -1, 1)).isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessageContaining("byteOffset");
        }
    }

    @Test
    void writesInsideCallbacksAreFlushedAtTheEndOfTheTask() throws Exception {
        try (TestServer server = TestServer.tcp()) {
            AtomicLong echoed = new AtomicLong();
            RecordingSocketHandler<Void> handler = new RecordingSocketHandler<Void>().onOpen((s) -> s.write("hello"))
                .onData((s, d) -> echoed.addAndGet(s.write(d)));
            connect(server, handler);
            TestServer.Peer peer = server.accept();
            assertThat(new String(peer.readExactly(5))).isEqualTo("hello");
            for (int i = 0; i < 50; i++) {
                peer.write("ping" + (i % 10));
                assertThat(new String(peer.readExactly(5))).isEqualTo("ping" + (i % 10));
            }
            assertThat(echoed.get()).isEqualTo(250);
        }
    }

    @Test
    void flushFromAnotherThreadSendsNow() throws Exception {
        try (TestServer server = TestServer.tcp()) {
            Socket<Void> socket = connect(server, new RecordingSocketHandler<>());
            TestServer.Peer peer = server.accept();
            socket.write("a");
            socket.flush();
            assertThat(new String(peer.readExactly(1))).isEqualTo("a");
        }
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        }
        catch (java.security.NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

}
