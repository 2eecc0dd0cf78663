package dev.socketconnector.reliability;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@link EchoServer#main} in a child JVM (optionally behind a command prefix such as
 * {@code ip netns exec <ns>}), so a test can kill the peer with SIGKILL or run it in
 * another network namespace. Its output lines are collected; {@link #close()} kills it.
 */
public final class ChildEcho implements AutoCloseable {

    private final Process process;

    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    private final List<String> seen = new CopyOnWriteArrayList<>();

    private final int port;

    private ChildEcho(Process process) throws InterruptedException {
        this.process = process;
        Thread reader = new Thread(this::read, "child-echo-output");
        reader.setDaemon(true);
        reader.start();
        String listening = awaitLine("LISTENING ", 30);
        this.port = Integer.parseInt(listening.trim());
    }

    /**
     * Starts the child.
     * @param prefix a command prefix (empty for none)
     * @param host the address to bind
     * @param sink whether it only reads (and hashes) instead of echoing
     * @return the running child, listening
     */
    public static ChildEcho start(List<String> prefix, String host, boolean sink) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classes = Path.of(EchoServer.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .toString();
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(java, "-Xmx64m", "-XX:TieredStopAtLevel=1", "-cp", classes, EchoServer.class.getName(),
                host, "0"));
        if (sink) {
            command.add("sink");
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            return new ChildEcho(process);
        }
        catch (RuntimeException | Error ex) {
            process.destroyForcibly();
            throw ex;
        }
    }

    private void read() {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(this.process.getInputStream(), StandardCharsets.US_ASCII))) {
            String line;
            while ((line = reader.readLine()) != null) {
                this.seen.add(line);
                this.lines.add(line);
            }
        }
        catch (IOException ex) {
            // the child ended
        }
    }

    /** Returns the port the child listens on. */
    public int port() {
        return this.port;
    }

    /** Returns the process. */
    public Process process() {
        return this.process;
    }

    /**
     * Waits for the next output line starting with {@code prefix} and returns the rest of
     * it.
     */
    public String awaitLine(String prefix, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            long left = deadline - System.nanoTime();
            String line = (left > 0) ? this.lines.poll(left, TimeUnit.NANOSECONDS) : null;
            if (line == null) {
                throw new AssertionError("echo child printed no '" + prefix + "' line within " + seconds + " s (alive: "
                        + this.process.isAlive() + "); output: " + this.seen);
            }
            if (line.startsWith(prefix)) {
                return line.substring(prefix.length());
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        this.process.destroyForcibly();
        this.process.waitFor(10, TimeUnit.SECONDS);
    }

}
