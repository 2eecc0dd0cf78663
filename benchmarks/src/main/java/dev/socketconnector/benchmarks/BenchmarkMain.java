package dev.socketconnector.benchmarks;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Locale;

/**
 * Runs one command of the benchmark jar: a client command of BENCHMARKS.md, the benchmark
 * server, or JMH.
 * <p>
 * A client command prints exactly one JSON line to stdout; logs and errors go to stderr,
 * and a failed run exits with status 1 after a one-line error.
 */
public final class BenchmarkMain {

    static final String USAGE = String.join("\n",
            "usage: java -jar socket-connector-benchmarks.jar <command> [options]", "",
            "client commands (add --client raw-netty for the plain-Netty baseline; default --client connector):",
            "  throughput --host H --port P --bytes N --chunk C [--tls] [--insecure]   (or --unix PATH)",
            "  pingpong   --host H --port P --size S --count N --conns K [--tls] [--insecure]   (or --unix PATH)",
            "  connect    --host H --port P --count N --concurrency K [--tls] [--insecure]",
            "  idle       --host H --port P --conns N",
            "  common: --threads T (event-loop threads, default the client's), --timeout SECONDS (default 600),",
            "          --transport auto|nio|epoll|io_uring (default auto: epoll, then io_uring, then NIO);",
            "          --repeat N (throughput, pingpong, connect: run N times in this process and report the last,",
            "          the earlier ones warming it up; default 1);",
            "          sizes accept k/m/g suffixes (powers of 1024)", "",
            "server --mode count|echo [--host 127.0.0.1] [--port 0] [--unix PATH] [--tls] [--threads T]",
            "  prints one JSON line with the port it listens on, then serves until killed", "",
            "jmh [JMH options]   runs the JMH benchmarks (e.g. jmh -f 1 -wi 3 -i 5 WritePath)");

    private BenchmarkMain() {
    }

    /**
     * Runs the command named by the first argument and exits: status 0 after printing the
     * result, 1 with a one-line error on stderr when the run failed, 2 on a usage error.
     * @param args the command and its options
     */
    public static void main(String[] args) {
        int status;
        try {
            if (args.length == 0 || "--help".equals(args[0]) || "help".equals(args[0])) {
                System.err.println(USAGE);
                status = args.length == 0 ? 2 : 0;
            }
            else if ("server".equals(args[0])) {
                BenchmarkServer.runUntilKilled(BenchOptions.parse(Arrays.copyOfRange(args, 1, args.length)),
                        System.out);
                status = 0;
            }
            else if ("jmh".equals(args[0])) {
                org.openjdk.jmh.Main.main(Arrays.copyOfRange(args, 1, args.length));
                status = 0;
            }
            else {
                System.out.println(run(args));
                status = 0;
            }
        }
        catch (IllegalArgumentException ex) {
            System.err.println("error: " + oneLine(ex));
            System.err.println("run with --help for usage");
            status = 2;
        }
        catch (BenchmarkFailure ex) {
            if (Boolean.getBoolean("benchmarks.stackTraces")) {
                ex.printStackTrace();
            }
            System.err.println("error: " + oneLine(ex));
            status = 1;
        }
        catch (Exception ex) {
            ex.printStackTrace();
            System.err.println("error: " + oneLine(ex));
            status = 1;
        }
        System.out.flush();
        System.err.flush();
        System.exit(status);
    }

    /**
     * Runs one client command and returns its JSON line; used by {@link #main} and by
     * tests.
     * @param args the command and its options
     * @return the one-line JSON result
     * @throws BenchmarkFailure when the run failed
     * @throws IllegalArgumentException on an unknown command or option value
     */
    public static String run(String... args) {
        String command = args[0];
        BenchOptions options = BenchOptions.parse(Arrays.copyOfRange(args, 1, args.length));
        NettyJfrEvents.registerNow();
        BenchmarkClient client = client(options.string("client", "connector"));
        RunSpec spec = RunSpec.from(command, options);
        int repeat = options.intSize("repeat", 1);
        if (repeat > 1 && "idle".equals(command)) {
            throw new IllegalArgumentException("option --repeat is for throughput, pingpong and connect, not idle "
                    + "(which measures what N connections add to a process)");
        }
        log("%s %s with %s client against %s%s%s", command, describe(command, spec),
                options.string("client", "connector"), spec.target(), spec.tls() ? " (TLS)" : "",
                (repeat > 1) ? ", " + repeat + " times (the last is reported)" : "");
        // the steady state: the earlier runs warm this JVM up (its JIT and the shared
        // buffer pools; each run builds its own client), the last is measured
        for (int run = 1; run < repeat; run++) {
            log("run %d of %d (warm-up): %s", run, repeat, runOnce(client, command, spec));
        }
        Json result = runOnce(client, command, spec);
        if (repeat > 1) {
            result.field("repeat", repeat);
        }
        return result.toString();
    }

    private static Json runOnce(BenchmarkClient client, String command, RunSpec spec) {
        Json result = switch (command) {
            case "throughput" -> client.throughput(spec);
            case "pingpong" -> client.pingpong(spec);
            case "connect" -> client.connect(spec);
            case "idle" -> client.idle(spec);
            default -> throw new IllegalArgumentException(
                    "unknown command '" + command + "' (throughput, pingpong, connect, idle, server, jmh)");
        };
        result.field("transport", spec.transport().name().toLowerCase(Locale.ROOT));
        if (spec.tls()) {
            // both clients use BoringSSL when netty-tcnative loads (the connector's
            // TlsProvider.AUTO), JDK otherwise
            result.field("tls_provider", io.netty.handler.ssl.OpenSsl.isAvailable() ? "openssl" : "jdk");
            TlsSeen.addTo(result);
        }
        return result;
    }

    private static BenchmarkClient client(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "connector" -> new ConnectorClient();
            case "raw-netty", "netty" -> new RawNettyClient();
            default -> throw new IllegalArgumentException(
                    "option --client must be connector or raw-netty (was '" + name + "')");
        };
    }

    private static String describe(String command, RunSpec spec) {
        return switch (command) {
            case "throughput" -> spec.bytes() + " bytes in " + spec.chunk() + "-byte writes";
            case "pingpong" -> spec.count() + " x " + spec.size() + " B on " + spec.conns() + " connection(s)";
            case "connect" -> spec.count() + " connections, " + spec.concurrency() + " in flight";
            case "idle" -> spec.conns() + " connections";
            default -> "";
        };
    }

    /**
     * Logs a progress line to stderr.
     * @param format the format
     * @param args its arguments
     */
    static void log(String format, Object... args) {
        PrintStream err = System.err;
        err.println("[bench] " + String.format(Locale.ROOT, format, args));
    }

    static String oneLine(Throwable ex) {
        StringBuilder text = new StringBuilder(String.valueOf(ex.getMessage() != null ? ex.getMessage() : ex));
        Throwable cause = ex.getCause();
        while (cause != null && cause != ex) {
            text.append(": ").append(cause.getMessage() != null ? cause.getMessage() : cause.toString());
            ex = cause;
            cause = cause.getCause();
        }
        return text.toString().replace('\n', ' ').replace('\r', ' ');
    }

}
