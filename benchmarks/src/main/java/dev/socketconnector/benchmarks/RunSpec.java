package dev.socketconnector.benchmarks;

import java.time.Duration;

import dev.socketconnector.Transport;

/**
 * What one client command runs: where to connect, with or without TLS, and the sizes of
 * every command (each command reads the fields it needs).
 *
 * @param target where to connect
 * @param tls whether to use TLS
 * @param insecure whether to skip certificate verification
 * @param bytes throughput: bytes to send
 * @param chunk throughput: bytes per write
 * @param size pingpong: message size
 * @param count pingpong: round trips per connection; connect: connections to open
 * @param conns pingpong and idle: connections
 * @param concurrency connect: connections in flight at once
 * @param threads event-loop threads, 0 for the client's default
 * @param timeout the bound on the whole run
 * @param transport the Netty transport both clients use
 * ({@code --transport auto|nio|epoll|io_uring}, default auto: epoll, then io_uring, then
 * NIO, in the connector's order)
 */
public record RunSpec(BenchOptions.Target target, boolean tls, boolean insecure, long bytes, int chunk, int size,
        int count, int conns, int concurrency, int threads, Duration timeout, Transport transport) {

    /**
     * Reads a spec from parsed options, with the defaults documented in
     * {@code BenchmarkMain}'s usage.
     * @param command the command, which decides whether {@code --unix} is allowed and
     * which count applies
     * @param options the options
     * @return the spec
     */
    public static RunSpec from(String command, BenchOptions options) {
        boolean unixAllowed = "throughput".equals(command) || "pingpong".equals(command);
        boolean tls = options.flag("tls");
        int defaultCount = 10_000;
        int defaultConns = "idle".equals(command) ? 1_000 : 1;
        return new RunSpec(options.target(unixAllowed), tls, options.flag("insecure"), options.size("bytes", 1L << 30),
                options.intSize("chunk", 64 * 1024), options.intSize("size", 64),
                options.intSize("count", defaultCount), options.intSize("conns", defaultConns),
                options.intSize("concurrency", 50), (int) sizeOrZero(options, "threads"),
                Duration.ofSeconds(options.size("timeout", 600)),
                resolve(transport(options.string("transport", "auto"))));
    }

    /**
     * Resolves AUTO the way the connector does (epoll, then io_uring, then NIO), so both
     * clients run on the same, reported transport.
     * @param transport the requested transport
     * @return a concrete transport
     */
    static Transport resolve(Transport transport) {
        if (transport != Transport.AUTO) {
            return transport;
        }
        if (io.netty.channel.epoll.Epoll.isAvailable()) {
            return Transport.EPOLL;
        }
        return io.netty.channel.uring.IoUring.isAvailable() ? Transport.IO_URING : Transport.NIO;
    }

    /**
     * Parses {@code --transport}.
     * @param name auto, nio, epoll or io_uring (io-uring too)
     * @return the transport
     * @throws IllegalArgumentException naming the allowed values
     */
    static Transport transport(String name) {
        String upper = name.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_');
        for (Transport transport : Transport.values()) {
            if (transport.name().equals(upper)) {
                return transport;
            }
        }
        throw new IllegalArgumentException(
                "option --transport must be auto, nio, epoll or io_uring (was '" + name + "')");
    }

    private static long sizeOrZero(BenchOptions options, String name) {
        return options.optional(name) == null ? 0 : options.size(name, 0);
    }
}
