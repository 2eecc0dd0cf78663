package dev.socketconnector.benchmarks.jmh;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.socketconnector.Framing;
import dev.socketconnector.Socket;
import dev.socketconnector.SocketConnector;
import dev.socketconnector.SocketHandler;
import dev.socketconnector.TcpSocketConnectOptions;
import dev.socketconnector.benchmarks.BenchmarkServer;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Line framing next to raw bytes, in one run. Reading: a loopback source streams lines of
 * {@code size} bytes (plus {@code '\n'}) as fast as the client reads; each invocation
 * waits until 1 MiB more of the stream has been consumed by the {@code data} callback
 * (raw: every read; lines: every whole line, its {@code '\n'} counted), so the score is
 * MiB/s of the stream. Writing: {@code Socket.write} of one {@code size}-byte payload (a
 * line with {@code lines}) from a user thread to a loopback sink, waiting for
 * {@code drain} when not accepted; the score is writes per second.
 * <p>
 * {@code read} also reports {@code loopCpuNanos}: the event loop's CPU time per second
 * (its thread's CPU clock, read before and after each invocation); divided by the score
 * it is the loop's CPU per MiB, which a loaded machine disturbs far less than the
 * wall-clock score (the loopback source and the waiting thread share the cores).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = { "-Xms512m", "-Xmx512m" })
public class FramingBenchmark {

    private static final long MIB = 1024 * 1024;

    /** Waits until 1 MiB more of the line stream has reached {@code data}. */
    @Benchmark
    public long read(Reader reader, LoopCpu cpu) {
        long cpuBefore = reader.loopCpuNanos();
        long target = reader.bytes.get() + MIB;
        Loopback.awaitCondition(() -> reader.bytes.get() >= target, "data");
        cpu.loopCpuNanos += reader.loopCpuNanos() - cpuBefore;
        return reader.callbacks.get();
    }

    /** The reader's event-loop CPU time, reported per second of the run. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class LoopCpu {

        /** Event-loop CPU nanoseconds spent during the invocations. */
        public long loopCpuNanos;

    }

    /** Writes one payload (one line with {@code lines}), waiting for drain if needed. */
    @Benchmark
    public int write(Writer writer) {
        Socket<Void> socket = writer.socket;
        byte[] payload = writer.payload;
        int offset = 0;
        while (offset < payload.length) {
            long drainsBefore = writer.drains.get();
            int accepted = socket.write(payload, offset, payload.length - offset);
            if (accepted < 0) {
                throw new IllegalStateException("socket closed");
            }
            offset += accepted;
            if (offset < payload.length) {
                Loopback.awaitCondition(() -> writer.drains.get() != drainsBefore, "drain");
            }
        }
        return offset;
    }

    /** The socket's framing by name. */
    static Framing framing(String name) {
        return "lines".equals(name) ? Framing.lines(64 * 1024) : Framing.none();
    }

    /** A connector socket reading lines from its own source. */
    @State(Scope.Benchmark)
    public static class Reader {

        @Param({ "none", "lines" })
        String framing = "none";

        @Param({ "64", "4096" })
        int size;

        /**
         * What reached {@code data}, counted by the event loop alone with release stores
         * ({@code lazySet}): a volatile store is a full fence, and one per callback would
         * charge the consumer's fence to line framing, which calls {@code data} once per
         * line where raw calls it once per read.
         */
        final AtomicLong bytes = new AtomicLong();

        final AtomicLong callbacks = new AtomicLong();

        /** The event loop's thread id, set by the first {@code data} call. */
        volatile long loopThread;

        private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

        /** The event loop thread's CPU time so far, 0 before the first read. */
        long loopCpuNanos() {
            long thread = this.loopThread;
            return (thread == 0) ? 0 : this.threads.getThreadCpuTime(thread);
        }

        private BenchmarkServer source;

        private SocketConnector connector;

        private Socket<Void> socket;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            this.source = BenchmarkServer.start(() -> new Loopback.Source(lines(this.size)), "127.0.0.1", 0, null, null,
                    1);
            this.connector = SocketConnector.builder().eventLoopThreads(1).build();
            int lineEnd = "lines".equals(this.framing) ? 1 : 0;
            this.socket = this.connector.connect(TcpSocketConnectOptions.<Void>builder()
                .hostname("127.0.0.1")
                .port(this.source.port())
                .framing(framing(this.framing))
                .socket(new SocketHandler<Void>() {
                    @Override
                    public void data(Socket<Void> socket, byte[] data) {
                        if (Reader.this.loopThread == 0) {
                            Reader.this.loopThread = Thread.currentThread().getId();
                        }
                        // one writer (the event loop): read, add, release-store
                        Reader.this.bytes.lazySet(Reader.this.bytes.get() + data.length + lineEnd);
                        Reader.this.callbacks.lazySet(Reader.this.callbacks.get() + 1);
                    }
                })
                .build()).get(10, TimeUnit.SECONDS);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            this.socket.terminate();
            this.connector.close();
            this.source.close();
        }

    }

    /** A connector socket writing to a loopback sink. */
    @State(Scope.Benchmark)
    public static class Writer {

        @Param({ "none", "lines" })
        String framing = "none";

        @Param({ "64", "4096" })
        int size;

        final AtomicLong drains = new AtomicLong();

        byte[] payload;

        private BenchmarkServer sink;

        private SocketConnector connector;

        Socket<Void> socket;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            this.payload = new byte[this.size];
            Arrays.fill(this.payload, (byte) 'x');
            this.sink = BenchmarkServer.start(Loopback.Sink::new, "127.0.0.1", 0, null, null, 1);
            this.connector = SocketConnector.builder().eventLoopThreads(1).build();
            this.socket = this.connector.connect(TcpSocketConnectOptions.<Void>builder()
                .hostname("127.0.0.1")
                .port(this.sink.port())
                .framing(framing(this.framing))
                .socket(new SocketHandler<Void>() {
                    @Override
                    public void drain(Socket<Void> socket) {
                        Writer.this.drains.incrementAndGet();
                    }
                })
                .build()).get(10, TimeUnit.SECONDS);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            this.connector.close();
            this.sink.close();
        }

    }

    /**
     * 64 KiB of whole lines ({@code size} bytes of {@code 'x'} then {@code '\n'}), the
     * content the loopback source sends, forever.
     */
    static byte[] lines(int size) {
        int lines = Math.max(1, 64 * 1024 / (size + 1));
        byte[] chunk = new byte[lines * (size + 1)];
        Arrays.fill(chunk, (byte) 'x');
        for (int i = size; i < chunk.length; i += size + 1) {
            chunk[i] = '\n';
        }
        return chunk;
    }

}
