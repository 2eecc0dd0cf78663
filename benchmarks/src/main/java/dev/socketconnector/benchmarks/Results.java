package dev.socketconnector.benchmarks;

/**
 * Builds the JSON results that both clients report the same way.
 */
final class Results {

    private Results() {
    }

    static Json throughput(long bytes, long startNanos, long endNanos, long cpuNanos) {
        double seconds = (endNanos - startNanos) / 1e9;
        return cpu(Json.bench("throughput")
            .field("bytes", bytes)
            .field("seconds", seconds)
            .field("mib_per_s", bytes / (1024.0 * 1024.0) / seconds), cpuNanos);
    }

    static Json pingpong(RunSpec spec, long startNanos, long endNanos, Latencies latencies, long cpuNanos) {
        long roundtrips = (long) spec.count() * spec.conns();
        double seconds = (endNanos - startNanos) / 1e9;
        return cpu(Json.bench("pingpong")
            .field("roundtrips", roundtrips)
            .field("seconds", seconds)
            .field("rtt_per_s", roundtrips / seconds)
            .field("p50_us", latencies.percentileMicros(50))
            .field("p99_us", latencies.percentileMicros(99)), cpuNanos);
    }

    static Json connect(int count, long startNanos, long endNanos, long cpuNanos) {
        double seconds = (endNanos - startNanos) / 1e9;
        return cpu(Json.bench("connect")
            .field("count", (long) count)
            .field("seconds", seconds)
            .field("per_s", count / seconds), cpuNanos);
    }

    /**
     * Adds {@code cpu_s}: CPU seconds the client process used during the measured
     * interval (all threads).
     */
    private static Json cpu(Json json, long cpuNanos) {
        return (cpuNanos >= 0) ? json.field("cpu_s", cpuNanos / 1e9) : json;
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
