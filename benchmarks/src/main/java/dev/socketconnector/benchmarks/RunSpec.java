package dev.socketconnector.benchmarks;

import java.time.Duration;

/**
 * What one client command runs: where to connect, with or without TLS, and the sizes of every command (each
 * command reads the fields it needs).
 * @param target where to connect
 * @param tls whether to use TLS
 * @param insecure whether to skip certificate verification
 * @param bytes throughput: bytes to send
 * @param chunk throughput: bytes per write
 * @param size pingpong: message size
 * @param count pingpong: round trips per connection; connect: connections to open
 * @param conns pingpong and idle: connections
 * @param concurrency connect: connections in flight at once
 * @param threads event-loop threads, 0 for Netty's default
 * @param timeout the bound on the whole run
 */
public record RunSpec(BenchOptions.Target target, boolean tls, boolean insecure, long bytes, int chunk, int size,
        int count, int conns, int concurrency, int threads, Duration timeout) {

    /**
     * Reads a spec from parsed options, with the defaults documented in {@code BenchmarkMain}'s usage.
     * @param command the command, which decides whether {@code --unix} is allowed and which count applies
     * @param options the options
     * @return the spec
     */
    public static RunSpec from(String command, BenchOptions options) {
        boolean unixAllowed = "throughput".equals(command) || "pingpong".equals(command);
        boolean tls = options.flag("tls");
        int defaultCount = 10_000;
        int defaultConns = "idle".equals(command) ? 1_000 : 1;
        return new RunSpec(options.target(unixAllowed), tls, options.flag("insecure"),
                options.size("bytes", 1L << 30), options.intSize("chunk", 64 * 1024),
                options.intSize("size", 64), options.intSize("count", defaultCount),
                options.intSize("conns", defaultConns), options.intSize("concurrency", 50),
                (int) sizeOrZero(options, "threads"), Duration.ofSeconds(options.size("timeout", 600)));
    }

    private static long sizeOrZero(BenchOptions options, String name) {
        return options.string(name, null) == null ? 0 : options.size(name, 0);
    }
}
