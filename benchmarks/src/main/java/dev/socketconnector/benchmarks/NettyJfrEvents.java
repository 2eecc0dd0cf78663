package dev.socketconnector.benchmarks;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Takes a one-time JVM cost out of every client's measured window, for both Java clients
 * alike, before any command runs.
 * <p>
 * Netty 4.2's buffer allocators commit JFR events ({@code AllocateChunkEvent},
 * {@code AllocateBufferEvent}, {@code FreeBufferEvent}). The first of them used in a JVM
 * registers with JDK Flight Recorder, and registering the first event class makes JFR
 * load its metadata and generate an event handler: about 100 ms, once per JVM, even when
 * nothing records. Where it lands depended on the client: raw Netty's first pooled
 * allocation is its first read, on its event loop, inside the measured window (a
 * throughput run's count reply, a ping-pong run's first echo); the connector's first
 * {@code connect()} registers its own connect event first, on the caller's thread, before
 * the window. Raw Netty's throughput read 18 % faster with Netty's JFR events off, the
 * connector's the same, so the plain rows compared a JVM's start-up once more than the
 * clients. Allocating and releasing one buffer here registers Netty's events on the main
 * thread, before either client starts.
 */
final class NettyJfrEvents {

    private NettyJfrEvents() {
    }

    /**
     * Allocates and releases one buffer of the default allocator, which registers Netty's
     * allocator events with JFR (once per JVM; later calls cost one allocation; nothing
     * registers when Netty's JFR events are off, {@code -Dio.netty.jfr.enabled=false}).
     */
    static void registerNow() {
        ByteBuf probe = ByteBufAllocator.DEFAULT.directBuffer(1);
        probe.release();
    }

}
