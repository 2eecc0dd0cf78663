package dev.socketconnector.benchmarks;

/**
 * One implementation of the benchmark commands: the connector's public API, or raw Netty
 * as the baseline. Each method runs the command to completion (bounded by
 * {@link RunSpec#timeout()}), verifies every byte and returns the command's one-line JSON
 * result.
 */
public interface BenchmarkClient {

    /**
     * Sends {@code bytes} in {@code chunk}-byte writes honouring backpressure,
     * half-closes and verifies the server's 8-byte count.
     * @param spec the run
     * @return {@code {"bench":"throughput","bytes":N,"seconds":S,"mib_per_s":X}}
     * @throws BenchmarkFailure on any error, short read or a count that differs
     */
    Json throughput(RunSpec spec);

    /**
     * Runs {@code conns} connections, each sending {@code count} messages of {@code size}
     * bytes one at a time and verifying every echoed byte.
     * @param spec the run
     * @return {@code {"bench":"pingpong","roundtrips":N*K,"seconds":S,"rtt_per_s":X,"p50_us":A,"p99_us":B}}
     * @throws BenchmarkFailure on any error or a byte that differs
     */
    Json pingpong(RunSpec spec);

    /**
     * Opens {@code count} connections, {@code concurrency} in flight, counting each when
     * open and closing it.
     * @param spec the run
     * @return {@code {"bench":"connect","count":N,"seconds":S,"per_s":X}}
     * @throws BenchmarkFailure when a connection fails
     */
    Json connect(RunSpec spec);

    /**
     * Opens {@code conns} connections, keeps them open and reports the memory they cost
     * after a full GC: resident memory as it is and with the native heap trimmed
     * ({@link MemoryProbe#resident()}), and the heap in use.
     * @param spec the run
     * @return {@code {"bench":"idle","conns":N,"rss_delta_bytes":R,"heap_delta_bytes":H,"bytes_per_conn":R/N,
     * "heap_per_conn":H/N,"rss_trimmed_delta_bytes":T,"bytes_per_conn_trimmed":T/N}} (the
     * last two when the JVM can trim its native heap)
     * @throws BenchmarkFailure when a connection fails
     */
    Json idle(RunSpec spec);

}
