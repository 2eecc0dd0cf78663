package dev.socketconnector;

import java.lang.management.ManagementFactory;
import java.lang.reflect.Field;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.channel.EventLoop;

/**
 * Run in a child JVM without Netty's leak detector (whose per-buffer records would
 * dominate the figure): stalls one socket's event loop, writes 1-byte chunks from this
 * thread until write returns 0, and prints {@code writes=N held=BYTES} where held is heap
 * after a full GC plus the default allocator's direct memory, measured before and after
 * the writes. Argument: the high-water mark. Exits non-zero on any failure.
 */
public final class StallHoldProbeMain {

    private StallHoldProbeMain() {
    }

    public static void main(String[] args) throws Exception {
        int high = Integer.parseInt(args[0]);
        try (SocketConnector connector = SocketConnector.builder().writeBufferWaterMark(high / 2, high).build();
                TestServer server = TestServer.tcp()) {
            RecordingSocketHandler<Void> handler = new RecordingSocketHandler<>();
            Socket<Void> socket = connector
                .connect(TcpSocketConnectOptions.<Void>builder()
                    .hostname("127.0.0.1")
                    .port(server.port())
                    .socket(handler)
                    .build())
                .get(10, TimeUnit.SECONDS);
            TestServer.Peer peer = server.accept();
            // warm up: classes, the queue and this thread's allocator state exist before
            // the measurement
            byte[] warm = { 1 };
            for (int i = 0; i < 2000; i++) {
                while (socket.write(warm) != 1) {
                    Thread.onSpinWait();
                }
            }
            peer.readExactly(2000);
            Field loopField = socket.getClass().getDeclaredField("loop");
            loopField.setAccessible(true);
            EventLoop loop = (EventLoop) loopField.get(socket);
            CountDownLatch stalled = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            // the stall: blocks this socket's loop (this probe's own) for at most 20 s
            loop.execute(() -> {
                stalled.countDown();
                try {
                    release.await(20, TimeUnit.SECONDS);
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            });
            long writes = 0;
            long before;
            long after;
            long directBefore;
            long directAfter;
            try {
                if (!stalled.await(5, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the loop did not stall");
                }
                directBefore = direct();
                before = held();
                byte[] one = { 7 };
                while (writes < 4_000_000) {
                    int n = socket.write(one);
                    if (n == 0) {
                        break;
                    }
                    if (n != 1) {
                        throw new IllegalStateException("write returned " + n);
                    }
                    writes++;
                }
                after = held();
                directAfter = direct();
            }
            finally {
                release.countDown();
            }
            // everything accepted still arrives
            if (peer.readExactly((int) writes).length != writes) {
                throw new IllegalStateException("short read");
            }
            socket.end();
            handler.awaitClose();
            System.out
                .println("writes=" + writes + " held=" + (after - before) + " (direct " + (directAfter - directBefore)
                        + ", allocator " + ByteBufAllocator.DEFAULT.getClass().getSimpleName() + ")");
        }
    }

    /**
     * Heap in use after a full GC (the least of three), plus the default allocator's
     * direct memory.
     */
    private static long held() throws InterruptedException {
        long heap = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(20);
            heap = Math.min(heap, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return heap + direct();
    }

    private static long direct() {
        return (ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider provider)
                ? provider.metric().usedDirectMemory() : 0;
    }

}
