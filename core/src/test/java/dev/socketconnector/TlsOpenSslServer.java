package dev.socketconnector;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * An {@code openssl s_server} on 127.0.0.1 (or a unix path), the independent TLS peer of
 * the tests. It is started with the PKI's files, its output is collected line by line,
 * and it is killed by {@link #close()}.
 */
public final class TlsOpenSslServer implements AutoCloseable {

    private final Process process;

    private final int port;

    private final List<String> lines = new CopyOnWriteArrayList<>();

    private TlsOpenSslServer(Process process, int port) {
        this.process = process;
        this.port = port;
        Thread reader = new Thread(this::read, "s_server-output");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts {@code s_server} on a free loopback port.
     * @param pki the PKI (working directory)
     * @param args the arguments after {@code -accept}, such as
     * {@code -cert server.crt -key server.key}
     * @return the running server
     */
    public static TlsOpenSslServer start(PkiFixture pki, String... args) {
        int port = freePort();
        List<String> command = new ArrayList<>(List.of("openssl", "s_server", "-accept", "127.0.0.1:" + port));
        command.addAll(Arrays.asList(args));
        TlsOpenSslServer server = launch(pki, command, port);
        server.awaitAccepting();
        return server;
    }

    /**
     * Relays a unix-domain socket at {@code path} to this server's TCP port
     * ({@code s_server -unix} of OpenSSL 3.0 fails to start), so the TLS peer is still
     * {@code s_server}. Serves one connection.
     * @param path the socket path to create
     * @return the relay, to close after the test
     * @throws IOException if the path cannot be bound
     */
    public AutoCloseable relayFromUnix(Path path) throws IOException {
        ServerSocketChannel unix = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        unix.bind(UnixDomainSocketAddress.of(path));
        Thread acceptor = new Thread(() -> {
            try (SocketChannel client = unix.accept();
                    SocketChannel tcp = SocketChannel.open(new InetSocketAddress("127.0.0.1", this.port))) {
                Thread back = new Thread(() -> copy(tcp, client), "relay-back");
                back.setDaemon(true);
                back.start();
                copy(client, tcp);
                back.join(5000);
            }
            catch (IOException | InterruptedException ex) {
                // closed
            }
        }, "relay");
        acceptor.setDaemon(true);
        acceptor.start();
        return () -> {
            unix.close();
            Files.deleteIfExists(path);
        };
    }

    private static void copy(SocketChannel from, SocketChannel to) {
        ByteBuffer buffer = ByteBuffer.allocate(16384);
        try {
            while (from.read(buffer) >= 0) {
                buffer.flip();
                while (buffer.hasRemaining()) {
                    to.write(buffer);
                }
                buffer.clear();
            }
            to.shutdownOutput();
        }
        catch (IOException ex) {
            // one side closed
        }
    }

    private static TlsOpenSslServer launch(PkiFixture pki, List<String> command, int port) {
        try {
            Process process = new ProcessBuilder(command).directory(pki.dir().toFile())
                .redirectErrorStream(true)
                .start();
            // stdin stays open: s_server would stop at its end of input.
            return new TlsOpenSslServer(process, port);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Returns a port that was free a moment ago on 127.0.0.1. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private void awaitAccepting() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (this.lines.stream().noneMatch((line) -> line.startsWith("ACCEPT"))) {
            if (System.nanoTime() > deadline || !this.process.isAlive()) {
                close();
                throw new IllegalStateException("s_server did not start on port " + this.port + ": " + this.lines);
            }
            sleep(20);
        }
    }

    private void read() {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(this.process.getInputStream(), StandardCharsets.ISO_8859_1))) {
            String line;
            while ((line = reader.readLine()) != null) {
                this.lines.add(line);
            }
        }
        catch (IOException ex) {
            // the process ended
        }
    }

    /** Returns the port. */
    public int port() {
        return this.port;
    }

    /** Returns every output line so far. */
    public List<String> lines() {
        return List.copyOf(this.lines);
    }

    /**
     * Waits for the {@code n}-th (1-based) output line that starts with {@code prefix}
     * (after trimming) and returns the rest of it, trimmed.
     * @param prefix the line's start
     * @param n which occurrence
     * @return the rest of the line
     */
    public String awaitLine(String prefix, int n) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            int seen = 0;
            for (String line : this.lines) {
                String trimmed = line.trim();
                if (trimmed.startsWith(prefix) && ++seen == n) {
                    return trimmed.substring(prefix.length()).trim();
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "s_server printed no line " + n + " starting with '" + prefix + "': " + this.lines);
            }
            sleep(10);
        }
    }

    /**
     * Waits for the first output line that starts with {@code prefix} and returns the
     * rest of it.
     */
    public String awaitLine(String prefix) {
        return awaitLine(prefix, 1);
    }

    /**
     * Returns the bytes of the hex dump that {@code -msg} prints below the {@code n}-th
     * line containing {@code header}.
     * @param header text of the message line, such as
     * {@code "<<< TLS 1.2, Handshake [length 0010], Finished"}
     * @param n which occurrence (1-based)
     * @param count how many bytes to read
     * @return the bytes
     */
    public byte[] dumpAfter(String header, int n, int count) {
        awaitLine(header, n);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (true) {
            List<String> all = lines();
            int seen = 0;
            for (int i = 0; i < all.size(); i++) {
                if (all.get(i).trim().startsWith(header) && ++seen == n) {
                    StringBuilder hex = new StringBuilder();
                    for (int j = i + 1; j < all.size() && all.get(j).startsWith("    "); j++) {
                        hex.append(all.get(j).trim().replace(" ", ""));
                    }
                    if (hex.length() >= count * 2) {
                        return java.util.HexFormat.of().parseHex(hex.substring(0, count * 2));
                    }
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + count + "-byte dump after " + header + ": " + all);
            }
            sleep(10);
        }
    }

    /** Types a line on s_server's standard input (s_server sends it to the client). */
    public void send(String line) {
        try {
            this.process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.US_ASCII));
            this.process.getOutputStream().flush();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Returns how many output lines contain the text. */
    public long count(String text) {
        return this.lines.stream().filter((line) -> line.contains(text)).count();
    }

    /** Returns whether some output line contains the text. */
    public boolean printed(String text) {
        return this.lines.stream().anyMatch((line) -> line.contains(text));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    @Override
    public void close() {
        this.process.destroy();
        try {
            if (!this.process.waitFor(5, TimeUnit.SECONDS)) {
                this.process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Checks the port accepts TCP connections (used by tests that start other servers).
     */
    static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        }
        catch (IOException ex) {
            return false;
        }
    }

}
