package dev.socketconnector.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.socketconnector.RecordingSocketHandler;
import dev.socketconnector.Socket;
import dev.socketconnector.internal.tls.TlsConnection;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultEventLoop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link OutboundBuffer} on an {@link io.netty.channel.embedded.EmbeddedChannel}: the
 * high-water mark, drain, and the order of writes from other threads, without a port.
 */
@Timeout(30)
class OutboundBufferTests {

    private static final int LOW = 4 * 1024;

    private static final int HIGH = 16 * 1024;

    private static final int CHUNK = 1000;

    @Test
    void writesInACallbackNeverHoldMoreThanTheHighWaterMarkPlusOneWrite() {
        List<Integer> results = new ArrayList<>();
        List<Long> held = new ArrayList<>();
        RecordingSocketHandler<Void> handler = new RecordingSocketHandler<Void>().onData((socket, data) -> {
            // inside a callback nothing is flushed until it returns: the writes pile up
            // in Netty
            int last = CHUNK;
            for (int i = 0; i < 100 && last == CHUNK; i++) {
                last = socket.write(new byte[CHUNK]);
                results.add(last);
                held.add(((NettySocket<?>) socket).nettyPendingBytes());
            }
            results.add(socket.write(new byte[CHUNK]));
        });
        try (EmbeddedSocket<Void> embedded = EmbeddedSocket
            .connecting(handler, TlsConnection.PLAIN, LOW, HIGH, false, null)
            .active()) {
            embedded.channel.writeInbound(Unpooled.wrappedBuffer(new byte[] { 1 }));

            long accepted = results.stream().mapToLong((n) -> Math.max(0, n)).sum();
            assertThat(results.get(results.size() - 1)).isZero();
            assertThat(results.get(results.size() - 2)).isLessThan(CHUNK);
            assertThat(held).allSatisfy((bytes) -> assertThat(bytes).isLessThanOrEqualTo(HIGH + CHUNK));
            assertThat(accepted).isGreaterThan(HIGH / 2).isLessThanOrEqualTo(HIGH + CHUNK);
            assertThat(embedded.socket.bytesWritten()).isEqualTo(accepted);
            // flushed when data returned, so Netty's buffer emptied and the short write's
            // drain came
            assertThat(handler.rawEvents()).containsExactly("open", "data", "drain");
            releaseOutbound(embedded);
        }
    }

    @Test
    void drainFiresOncePerShortWriteEpisode() {
        RecordingSocketHandler<Void> handler = new RecordingSocketHandler<Void>().onData((socket, data) -> {
            if (data[0] == 1) {
                fillToTheMark(socket);
            }
            else {
                assertThat(socket.write(new byte[CHUNK])).isEqualTo(CHUNK);
            }
        });
        try (EmbeddedSocket<Void> embedded = EmbeddedSocket
            .connecting(handler, TlsConnection.PLAIN, LOW, HIGH, false, null)
            .active()) {
            embedded.channel.writeInbound(Unpooled.wrappedBuffer(new byte[] { 1 }));
            embedded.channel.runPendingTasks();
            assertThat(handler.rawEvents()).containsExactly("open", "data", "drain");

            // writes that are not short ask for no drain
            embedded.channel.writeInbound(Unpooled.wrappedBuffer(new byte[] { 2 }));
            embedded.channel.runPendingTasks();
            assertThat(handler.rawEvents()).containsExactly("open", "data", "drain", "data");

            // a second episode: a second drain
            embedded.channel.writeInbound(Unpooled.wrappedBuffer(new byte[] { 1 }));
            embedded.channel.runPendingTasks();
            assertThat(handler.rawEvents()).containsExactly("open", "data", "drain", "data", "data", "drain");
            releaseOutbound(embedded);
        }
    }

    @Test
    void writesFromOtherThreadsKeepEachWritersOrder() throws Exception {
        int writers = 3;
        int messages = 300;
        DefaultEventLoop loop = new DefaultEventLoop();
        ExecutorService threads = Executors.newFixedThreadPool(writers);
        RecordingSocketHandler<Void> handler = new RecordingSocketHandler<>();
        try (EmbeddedSocket<Void> embedded = EmbeddedSocket
            .connecting(handler, TlsConnection.PLAIN, 512 * 1024, 1024 * 1024, false, loop)
            .active()) {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                done.add(threads.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    for (int i = 0; i < messages; i++) {
                        byte[] line = (writer + ":" + i + "\n").getBytes(StandardCharsets.US_ASCII);
                        assertThat(embedded.socket.write(line)).isEqualTo(line.length);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> each : done) {
                each.get(10, TimeUnit.SECONDS);
            }
            // the queue's task has run once the loop has run a task queued after the last
            // write
            loop.submit(() -> {
            }).get(10, TimeUnit.SECONDS);

            String sent = loop.submit(() -> readOutbound(embedded)).get(10, TimeUnit.SECONDS);
            Map<Integer, Integer> next = new HashMap<>();
            for (String line : sent.split("\n")) {
                String[] parts = line.split(":");
                int writer = Integer.parseInt(parts[0]);
                int expected = next.getOrDefault(writer, 0);
                assertThat(Integer.parseInt(parts[1])).as("message of writer %d", writer).isEqualTo(expected);
                next.put(writer, expected + 1);
            }
            assertThat(next).hasSize(writers).allSatisfy((writer, count) -> assertThat(count).isEqualTo(messages));
            assertThat(embedded.socket.unsentBytes()).isZero();
        }
        finally {
            threads.shutdownNow();
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
        }
    }

    private static void fillToTheMark(Socket<Void> socket) {
        for (int i = 0; i < 1000 && socket.write(new byte[CHUNK]) == CHUNK; i++) {
            // until a short write
        }
    }

    private static void releaseOutbound(EmbeddedSocket<Void> embedded) {
        readOutbound(embedded);
    }

    private static String readOutbound(EmbeddedSocket<Void> embedded) {
        StringBuilder all = new StringBuilder();
        ByteBuf buffer;
        while ((buffer = embedded.channel.readOutbound()) != null) {
            all.append(buffer.toString(StandardCharsets.US_ASCII));
            buffer.release();
        }
        return all.toString();
    }

}
