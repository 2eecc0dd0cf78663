package dev.socketconnector.benchmarks.jmh;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * The floor of line framing on the read side, without a socket: one read's worth of lines
 * (the 64 KiB chunk {@link FramingBenchmark}'s source sends: {@code size} bytes and
 * {@code '\n'} each) in a pooled direct buffer, as the event loop hands it over, and the
 * bare minimum the contract asks per read. All variants read the same bytes, so ratios of
 * scores are ratios of throughput.
 * <ul>
 * <li>{@code raw}: one {@code byte[]} of the whole read and one callback (raw
 * {@code data});</li>
 * <li>{@code linesIndexOf}: what the lines decoder does: each line found with
 * {@code ByteBuf.indexOf} (Netty's eight-bytes-a-step scan) and copied out into its own
 * exactly sized {@code byte[]}, one callback per line;</li>
 * <li>{@code linesCopySwar}: the read copied once into a reused {@code byte[]}, scanned
 * eight bytes at a time there, each line {@code Arrays.copyOfRange} of the copy (the
 * "scan the bytes we copy anyway" lever);</li>
 * <li>{@code linesKnownEnds}: the line ends given (no scan): only the per-line
 * {@code byte[]}, copy and callback;</li>
 * <li>{@code scanIndexOf}: only the scan.</li>
 * </ul>
 * The callback is a {@code Blackhole}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = { "-Xms512m", "-Xmx512m" })
public class FramingFloorBenchmark {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private static final long ONES = 0x0101010101010101L;

    private static final long HIGHS = 0x8080808080808080L;

    /** One read of lines. */
    @State(Scope.Thread)
    public static class Read {

        @Param({ "64", "4096" })
        int size;

        ByteBuf buffer;

        byte[] scratch = new byte[64 * 1024];

        int[] ends;

        @Setup(Level.Trial)
        public void setUp() {
            byte[] content = FramingBenchmark.lines(this.size);
            this.buffer = PooledByteBufAllocator.DEFAULT.directBuffer(content.length);
            this.buffer.writeBytes(content);
            this.ends = new int[content.length / (this.size + 1)];
            for (int i = 0; i < this.ends.length; i++) {
                this.ends[i] = i * (this.size + 1) + this.size;
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            this.buffer.release();
        }

    }

    /** Raw data: the whole read in one array, one callback. */
    @Benchmark
    public void raw(Read read, Blackhole data) {
        ByteBuf in = read.buffer;
        byte[] bytes = new byte[in.readableBytes()];
        in.getBytes(in.readerIndex(), bytes);
        data.consume(bytes);
    }

    /** Lines found with ByteBuf.indexOf and copied out of the direct buffer. */
    @Benchmark
    public void linesIndexOf(Read read, Blackhole data) {
        ByteBuf in = read.buffer;
        int from = in.readerIndex();
        int end = in.writerIndex();
        while (from < end) {
            int found = in.indexOf(from, end, (byte) '\n');
            if (found < 0) {
                break;
            }
            byte[] frame = new byte[found - from];
            in.getBytes(from, frame);
            data.consume(frame);
            from = found + 1;
        }
    }

    /**
     * The read copied once, scanned eight bytes at a time, lines copied from the copy.
     */
    @Benchmark
    public void linesCopySwar(Read read, Blackhole data) {
        ByteBuf in = read.buffer;
        int end = in.readableBytes();
        byte[] bytes = read.scratch;
        in.getBytes(in.readerIndex(), bytes, 0, end);
        int from = 0;
        while (from < end) {
            int found = indexOf(bytes, from, end);
            if (found < 0) {
                break;
            }
            data.consume(Arrays.copyOfRange(bytes, from, found));
            from = found + 1;
        }
    }

    /** Scan only, ByteBuf.indexOf. */
    @Benchmark
    public void scanIndexOf(Read read, Blackhole data) {
        ByteBuf in = read.buffer;
        int from = in.readerIndex();
        int end = in.writerIndex();
        int count = 0;
        while (from < end) {
            int found = in.indexOf(from, end, (byte) '\n');
            if (found < 0) {
                break;
            }
            count++;
            from = found + 1;
        }
        data.consume(count);
    }

    /** Lines at known ends: per-line array, copy and callback only. */
    @Benchmark
    public void linesKnownEnds(Read read, Blackhole data) {
        ByteBuf in = read.buffer;
        int from = in.readerIndex();
        for (int found : read.ends) {
            byte[] frame = new byte[found - from];
            in.getBytes(from, frame);
            data.consume(frame);
            from = found + 1;
        }
    }

    /** The first '\n' in {@code bytes[from, end)}, or -1 (SWAR, eight bytes a step). */
    static int indexOf(byte[] bytes, int from, int end) {
        int i = from;
        long pattern = ONES * '\n';
        for (; i + 8 <= end; i += 8) {
            long word = (long) LONGS.get(bytes, i) ^ pattern;
            long found = (word - ONES) & ~word & HIGHS;
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        for (; i < end; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

}
