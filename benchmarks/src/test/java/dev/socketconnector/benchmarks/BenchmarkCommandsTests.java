package dev.socketconnector.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Runs every command of the benchmark contract with tiny sizes, for both clients, against
 * in-process servers on loopback and unix sockets, and checks that a lost or corrupted
 * byte fails the run.
 */
@Timeout(60)
class BenchmarkCommandsTests {

    private static final Pattern FIELD = Pattern.compile("\"([a-z_0-9]+)\":(\"[^\"]*\"|[-0-9.]+|true|false)");

    private static Path dir;

    private static BenchmarkServer count;

    private static BenchmarkServer echo;

    private static BenchmarkServer countTls;

    private static BenchmarkServer echoTls;

    private static BenchmarkServer countUnix;

    private static BenchmarkServer echoUnix;

    @BeforeAll
    static void startServers() throws Exception {
        dir = Files.createTempDirectory("bench-tests");
        count = BenchmarkServer.start(BenchmarkServer.Mode.COUNT, "127.0.0.1", 0, null, false, 1);
        echo = BenchmarkServer.start(BenchmarkServer.Mode.ECHO, "127.0.0.1", 0, null, false, 1);
        countTls = BenchmarkServer.start(BenchmarkServer.Mode.COUNT, "127.0.0.1", 0, null, true, 1);
        echoTls = BenchmarkServer.start(BenchmarkServer.Mode.ECHO, "127.0.0.1", 0, null, true, 1);
        countUnix = BenchmarkServer.start(BenchmarkServer.Mode.COUNT, "127.0.0.1", 0,
                dir.resolve("count.sock").toString(), false, 1);
        echoUnix = BenchmarkServer.start(BenchmarkServer.Mode.ECHO, "127.0.0.1", 0, dir.resolve("echo.sock").toString(),
                false, 1);
    }

    @AfterAll
    static void stopServers() throws Exception {
        for (BenchmarkServer server : new BenchmarkServer[] { count, echo, countTls, echoTls, countUnix, echoUnix }) {
            if (server != null) {
                server.close();
            }
        }
        Files.deleteIfExists(dir);
    }

    @ParameterizedTest
    @ValueSource(strings = { "connector", "raw-netty" })
    void throughputWhenServerCountsEveryByteReportsBytesAndRate(String client) {
        Map<String, String> json = run("throughput", "--client", client, "--port", port(count), "--bytes", "3000001",
                "--chunk", "65536");
        assertThat(json).containsEntry("bench", "throughput").containsEntry("bytes", "3000001");
        assertThat(Double.parseDouble(json.get("seconds"))).isPositive();
        assertThat(Double.parseDouble(json.get("mib_per_s"))).isPositive();
        assertSpentReported(json);
    }

    @ParameterizedTest
    @ValueSource(strings = { "connector", "raw-netty" })
    void throughputOverTlsReportsBytes(String client) {
        Map<String, String> json = run("throughput", "--client", client, "--port", port(countTls), "--bytes", "1000000",
                "--chunk", "16k", "--tls", "--insecure");
        assertThat(json).containsEntry("bytes", "1000000");
    }

    @ParameterizedTest
    @ValueSource(strings = { "connector", "raw-netty" })
    void throughputOverUnixSocketReportsBytes(String client) {
        Map<String, String> json = run("throughput", "--client", client, "--unix", dir.resolve("count.sock").toString(),
                "--bytes", "2m", "--chunk", "64k");
        assertThat(json).containsEntry("bytes", String.valueOf(2 * 1024 * 1024));
    }

    @ParameterizedTest
    @ValueSource(strings = { "connector", "raw-netty" })
    void pingpongOnSeveralConnectionsReportsRoundTripsAndLatency(String client) {
        Map<String, String> json = run("pingpong", "--client", client, "--port", port(echo), "--size", "100", "--count",
                "200", "--conns", "3");
        assertThat(json).containsEntry("bench", "pingpong").containsEntry("roundtrips", "600");
        assertThat(Double.parseDouble(json.get("rtt_per_s"))).isPositive();
        double p50 = Double.parseDouble(json.get("p50_us"));
        assertThat(p50).isPositive();
        assertThat(Double.parseDouble(json.get("p99_us"))).isGreaterThanOrEqualTo(p50);
        assertSpentReported(json);
    }

    @ParameterizedTest
    @ValueSource(strings = { "connector", "raw-netty" })
    void pingpongOverTlsAndUnixReportsRoundTrips(String client) {
        assertThat(run("pingpong", "--client", client, "--port", port(echoTls), "--size", "64", "--count", "50",
                "--conns", "2", "--tls", "--insecure"))
            .containsEntry("roundtrips", "100");
        assertThat(run("pingpong", "--client", client, "--unix", dir.resolve("echo.sock").toString(), "--size", "64",
                "--count", "50", "--conns", "2"))
            .containsEntry("roundtrips", "100");
    }

    @ParameterizedTest
    @ValueSource(strings = { "connector", "raw-netty" })
    void connectPlainAndTlsCountsEveryConnection(String client) {
        Map<String, String> json = run("connect", "--client", client, "--port", port(echo), "--count", "60",
                "--concurrency", "8");
        assertThat(json).containsEntry("bench", "connect").containsEntry("count", "60");
        assertThat(Double.parseDouble(json.get("per_s"))).isPositive();
        Map<String, String> tls = run("connect", "--client", client, "--port", port(echoTls), "--count", "10",
                "--concurrency", "4", "--tls", "--insecure");
        assertThat(tls).containsEntry("count", "10").containsEntry("resumed", "0");
        assertSpentReported(json);
        assertSpentReported(tls);
    }

    @Test
    void aReadingWithoutAFigureReportsNoneForIt() {
        CpuClock.Reading start = new CpuClock.Reading(1_000, -1, 5);
        CpuClock.Reading end = new CpuClock.Reading(1_500_001_000, 40, 7);
        assertThat(end.cpuNanosSince(start)).isEqualTo(1_500_000_000L);
        assertThat(end.compileMillisSince(start)).isEqualTo(-1);
        assertThat(end.gcMillisSince(start)).isEqualTo(2);
        assertThat(Results.connect(10, 0, 1_000_000_000L, start, end).toString()).contains("\"cpu_s\":1.500")
            .contains("\"gc_s\":0.002")
            .doesNotContain("jit_s");
    }

    @Test
    void theClockReadsThisJvmsCompilersAndCollectors() {
        CpuClock.Reading start = CpuClock.now();
        System.gc();
        CpuClock.Reading end = CpuClock.now();
        // HotSpot keeps all three; a collection was asked for in between
        assertThat(end.cpuNanosSince(start)).isPositive();
        assertThat(end.compileMillisSince(start)).isNotNegative();
        assertThat(end.gcMillisSince(start)).isNotNegative();
        assertThat(CpuClock.compileMillis()).isPositive();
    }

    @ParameterizedTest
    @ValueSource(strings = { "connector", "raw-netty" })
    void connectOverTlsWithoutInsecureFailsOnTheSelfSignedCertificate(String client) {
        assertThatThrownBy(() -> run("connect", "--client", client, "--port", port(echoTls), "--count", "2",
                "--concurrency", "1", "--tls"))
            .isInstanceOf(BenchmarkFailure.class);
    }

    @ParameterizedTest
    @ValueSource(strings = { "connector", "raw-netty" })
    void idleReportsMemoryPerConnection(String client) {
        String wait = System.setProperty("benchmarks.idle.trimWaitMillis", "0");
        try {
            Map<String, String> json = run("idle", "--client", client, "--port", port(echo), "--conns", "50");
            assertThat(json).containsEntry("bench", "idle")
                .containsEntry("conns", "50")
                .containsKeys("rss_delta_bytes", "heap_delta_bytes", "bytes_per_conn", "heap_per_conn");
            // this JDK (17.0.9 or later, glibc) trims its native heap: the trimmed reads
            // are
            // reported too
            assertThat(json).containsKeys("rss_trimmed_delta_bytes", "bytes_per_conn_trimmed");
            assertThat(Long.parseLong(json.get("bytes_per_conn_trimmed")))
                .isEqualTo(Long.parseLong(json.get("rss_trimmed_delta_bytes")) / 50);
        }
        finally {
            if (wait != null) {
                System.setProperty("benchmarks.idle.trimWaitMillis", wait);
            }
            else {
                System.clearProperty("benchmarks.idle.trimWaitMillis");
            }
        }
    }

    @Test
    void idleRowCarriesTheTrimmedResidentDeltaBesideTheUntrimmedOne() {
        String json = Results
            .idle(10, new MemoryProbe.Resident(100_000, 80_000), new MemoryProbe.Resident(150_000, 100_000), 7_000)
            .toString();
        assertThat(json).contains("\"rss_delta_bytes\":50000", "\"bytes_per_conn\":5000", "\"heap_per_conn\":700",
                "\"rss_trimmed_delta_bytes\":20000", "\"bytes_per_conn_trimmed\":2000");
        String untrimmable = Results
            .idle(10, new MemoryProbe.Resident(100_000, -1), new MemoryProbe.Resident(150_000, -1), 7_000)
            .toString();
        assertThat(untrimmable).contains("\"bytes_per_conn\":5000").doesNotContain("trimmed");
    }

    @Test
    void theNativeHeapTrimWorksOnThisJvm() {
        assertThat(MemoryProbe.trimNativeHeap()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = { "connector", "raw-netty" })
    void repeatRunsTheCommandThatManyTimesInOneProcessAndReportsTheLast(String client) {
        AtomicInteger accepted = new AtomicInteger();
        try (BenchmarkServer counting = BenchmarkServer.start(() -> {
            accepted.incrementAndGet();
            return new FlippingEcho(Long.MAX_VALUE);
        }, "127.0.0.1", 0, null, null, 1)) {
            Map<String, String> json = run("connect", "--client", client, "--port", port(counting), "--count", "20",
                    "--concurrency", "4", "--repeat", "3");
            assertThat(json).containsEntry("count", "20").containsEntry("repeat", "3");
            // three runs of 20 connects, each after its one untimed warm-up connection
            assertAcceptedSoon(accepted, 3 * 21);
            assertThat(run("pingpong", "--client", client, "--port", port(counting), "--size", "64", "--count", "30",
                    "--repeat", "2"))
                .containsEntry("roundtrips", "30")
                .containsEntry("repeat", "2");
            assertAcceptedSoon(accepted, 3 * 21 + 2);
        }
        assertThat(run("throughput", "--client", client, "--port", port(count), "--bytes", "100000", "--chunk", "16k",
                "--repeat", "2"))
            .containsEntry("bytes", "100000")
            .containsEntry("repeat", "2");
        assertThat(run("connect", "--client", client, "--port", port(echo), "--count", "5"))
            .doesNotContainKey("repeat");
    }

    /**
     * The server may accept the last connection just after the client saw it open: waits
     * up to 5 s for the count, then asserts it.
     */
    private static void assertAcceptedSoon(AtomicInteger accepted, int expected) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (accepted.get() < expected && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        assertThat(accepted).hasValue(expected);
    }

    @Test
    void repeatIsRefusedForIdleAndMustBePositive() {
        assertThatThrownBy(() -> run("idle", "--port", port(echo), "--conns", "2", "--repeat", "2"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("--repeat is for throughput, pingpong and connect, not idle");
        assertThatThrownBy(() -> run("connect", "--port", port(echo), "--count", "2", "--repeat", "0"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("--repeat must be positive");
    }

    @ParameterizedTest
    @ValueSource(strings = { "connector", "raw-netty" })
    void pingpongWhenEchoFlipsAByteFails(String client) {
        try (BenchmarkServer flipping = BenchmarkServer.start(() -> new FlippingEcho(1000), "127.0.0.1", 0, null, null,
                1)) {
            assertThatThrownBy(() -> run("pingpong", "--client", client, "--port", port(flipping), "--size", "64",
                    "--count", "100", "--conns", "1", "--timeout", "20"))
                .isInstanceOf(BenchmarkFailure.class)
                .hasMessageContaining("echo mismatch on connection 0, round 15, byte 40");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "connector", "raw-netty" })
    void throughputWhenServerMiscountsFails(String client) {
        try (BenchmarkServer lying = BenchmarkServer.start(() -> new CountingReply(1), "127.0.0.1", 0, null, null, 1)) {
            assertThatThrownBy(() -> run("throughput", "--client", client, "--port", port(lying), "--bytes", "100000",
                    "--timeout", "20"))
                .isInstanceOf(BenchmarkFailure.class)
                .hasMessageContaining("server counted 100001 bytes but 100000 were sent");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "connector", "raw-netty" })
    void throughputWhenServerClosesWithoutCountFailsWithShortRead(String client) {
        try (BenchmarkServer silent = BenchmarkServer.start(() -> new CountingReply(-1), "127.0.0.1", 0, null, null,
                1)) {
            assertThatThrownBy(() -> run("throughput", "--client", client, "--port", port(silent), "--bytes", "100000",
                    "--timeout", "20"))
                .isInstanceOf(BenchmarkFailure.class)
                .hasMessageContaining("short read");
        }
    }

    @Test
    void rawNettyRunsOneEventLoopUnlessThreadsSaysOtherwise() {
        try (RawNettyClient.Client defaults = new RawNettyClient.Client(
                RunSpec.from("connect", BenchOptions.parse(new String[] { "--port", "1" })));
                RawNettyClient.Client three = new RawNettyClient.Client(RunSpec.from("connect",
                        BenchOptions.parse(new String[] { "--port", "1", "--threads", "3" })))) {
            assertThat(((MultiThreadIoEventLoopGroup) defaults.group).executorCount()).isEqualTo(1);
            assertThat(((MultiThreadIoEventLoopGroup) three.group).executorCount()).isEqualTo(3);
        }
    }

    @Test
    void unknownClientIsAUsageError() {
        assertThatThrownBy(() -> run("pingpong", "--client", "bun", "--port", "1"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("--client");
    }

    @ParameterizedTest
    @ValueSource(strings = { "connector nio", "connector epoll", "connector io_uring", "raw-netty nio",
            "raw-netty epoll", "raw-netty io_uring" })
    void everyClientRunsOnEveryTransportOverTcpAndUnixAndSaysWhichOne(String clientAndTransport) {
        String client = clientAndTransport.split(" ")[0];
        String transport = clientAndTransport.split(" ")[1];
        Map<String, String> tcp = run("pingpong", "--client", client, "--transport", transport, "--port", port(echo),
                "--size", "64", "--count", "50", "--conns", "3");
        assertThat(tcp).containsEntry("roundtrips", "150").containsEntry("transport", transport);
        Map<String, String> unix = run("throughput", "--client", client, "--transport", transport, "--unix",
                dir.resolve("count.sock").toString(), "--bytes", "1000001", "--chunk", "65536");
        assertThat(unix).containsEntry("bytes", "1000001").containsEntry("transport", transport);
    }

    @Test
    void anUnknownTransportIsAUsageError() {
        assertThatThrownBy(() -> BenchmarkMain.run("pingpong", "--port", "1", "--transport", "kqueue"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("--transport must be auto, nio, epoll");
    }

    /**
     * The measured interval's CPU, JIT and GC seconds are all reported, none negative.
     */
    private static void assertSpentReported(Map<String, String> json) {
        assertThat(json).containsKeys("cpu_s", "jit_s", "gc_s");
        assertThat(Double.parseDouble(json.get("cpu_s"))).isNotNegative();
        assertThat(Double.parseDouble(json.get("jit_s"))).isNotNegative();
        assertThat(Double.parseDouble(json.get("gc_s"))).isNotNegative();
    }

    private static String port(BenchmarkServer server) {
        return String.valueOf(server.port());
    }

    /**
     * Runs one client command in this JVM and returns the fields of its JSON line; also
     * used by {@link CServerTests}.
     */
    static Map<String, String> run(String... args) {
        String line = BenchmarkMain.run(args);
        assertThat(line).startsWith("{").endsWith("}").doesNotContain("\n");
        Map<String, String> fields = new HashMap<>();
        Matcher matcher = FIELD.matcher(line);
        while (matcher.find()) {
            fields.put(matcher.group(1), matcher.group(2).replace("\"", ""));
        }
        return fields;
    }

    /** Echoes, but flips the byte at one stream offset. */
    static final class FlippingEcho extends ChannelInboundHandlerAdapter {

        private final long flipAt;

        private long offset;

        FlippingEcho(long flipAt) {
            this.flipAt = flipAt;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            int length = buf.readableBytes();
            if (this.offset <= this.flipAt && this.flipAt < this.offset + length) {
                int index = buf.readerIndex() + (int) (this.flipAt - this.offset);
                buf.setByte(index, buf.getByte(index) ^ 0x01);
            }
            this.offset += length;
            ctx.writeAndFlush(buf);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }

    }

    /**
     * Counts like the count server but replies count + delta, or closes without a reply
     * when delta is -1.
     */
    static final class CountingReply extends ChannelInboundHandlerAdapter {

        private final long delta;

        private long count;

        CountingReply(long delta) {
            this.delta = delta;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            this.count += ((ByteBuf) msg).readableBytes();
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent) {
                if (this.delta < 0) {
                    ctx.close();
                }
                else {
                    ctx.writeAndFlush(ctx.alloc().buffer(8).writeLong(this.count + this.delta))
                        .addListener(ChannelFutureListener.CLOSE);
                }
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }

    }

}
