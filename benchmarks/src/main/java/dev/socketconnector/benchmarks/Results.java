package dev.socketconnector.benchmarks;

import org.jspecify.annotations.Nullable;

/**
 * Builds the JSON results that both clients report the same way.
 */
final class Results {

    private Results() {
    }

    static Json throughput(long bytes, long startNanos, long endNanos, CpuClock.@Nullable Reading cpuStart,
            CpuClock.@Nullable Reading cpuEnd) {
        double seconds = (endNanos - startNanos) / 1e9;
        return cpu(Json.bench("throughput")
            .field("bytes", bytes)
            .field("seconds", seconds)
            .field("mib_per_s", bytes / (1024.0 * 1024.0) / seconds), cpuStart, cpuEnd);
    }

    static Json pingpong(RunSpec spec, long startNanos, long endNanos, Latencies latencies, CpuClock.Reading cpuStart,
            CpuClock.Reading cpuEnd) {
        long roundtrips = (long) spec.count() * spec.conns();
        double seconds = (endNanos - startNanos) / 1e9;
        return cpu(Json.bench("pingpong")
            .field("roundtrips", roundtrips)
            .field("seconds", seconds)
            .field("rtt_per_s", roundtrips / seconds)
            .field("p50_us", latencies.percentileMicros(50))
            .field("p99_us", latencies.percentileMicros(99)), cpuStart, cpuEnd);
    }

    static Json connect(int count, long startNanos, long endNanos, CpuClock.Reading cpuStart, CpuClock.Reading cpuEnd) {
        double seconds = (endNanos - startNanos) / 1e9;
        return cpu(Json.bench("connect")
            .field("count", (long) count)
            .field("seconds", seconds)
            .field("per_s", count / seconds), cpuStart, cpuEnd);
    }

    /**
     * Adds what the client process spent during the measured interval, each where the JVM
     * tells: {@code cpu_s}, CPU seconds (all threads); {@code jit_s}, seconds of JIT
     * compilation (the sum of the compilations' elapsed times, so it can exceed the CPU
     * the compiler threads got); {@code gc_s}, seconds of garbage collection.
     */
    private static Json cpu(Json json, CpuClock.@Nullable Reading start, CpuClock.@Nullable Reading end) {
        if (start == null || end == null) {
            return json;
        }
        long cpuNanos = end.cpuNanosSince(start);
        if (cpuNanos >= 0) {
            json.field("cpu_s", cpuNanos / 1e9);
        }
        long compileMillis = end.compileMillisSince(start);
        if (compileMillis >= 0) {
            json.field("jit_s", compileMillis / 1e3);
        }
        long gcMillis = end.gcMillisSince(start);
        if (gcMillis >= 0) {
            json.field("gc_s", gcMillis / 1e3);
        }
        return json;
    }

    static Json idle(int conns, long rssDelta, long heapDelta) {
        return Json.bench("idle")
            .field("conns", (long) conns)
            .field("rss_delta_bytes", rssDelta)
            .field("heap_delta_bytes", heapDelta)
            .field("bytes_per_conn", rssDelta / conns)
            .field("heap_per_conn", heapDelta / conns);
    }

    /**
     * The idle row from the probe's reads before and after opening the connections: the
     * fields of {@link #idle(int, long, long)} from the untrimmed reads, then
     * {@code rss_trimmed_delta_bytes} and {@code bytes_per_conn_trimmed} from the trimmed
     * ones when the JVM could trim at both points.
     */
    static Json idle(int conns, MemoryProbe.Resident before, MemoryProbe.Resident after, long heapDelta) {
        Json json = idle(conns, after.untrimmed() - before.untrimmed(), heapDelta);
        if (before.trimmed() >= 0 && after.trimmed() >= 0) {
            long trimmedDelta = after.trimmed() - before.trimmed();
            json.field("rss_trimmed_delta_bytes", trimmedDelta).field("bytes_per_conn_trimmed", trimmedDelta / conns);
        }
        return json;
    }

}
