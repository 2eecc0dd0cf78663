package dev.socketconnector.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An echo peer on one selector thread (TCP or a unix path): sends back every byte it
 * reads, reads no more while its 64 KiB buffer is full (so backpressure reaches the
 * client), keeps a SHA-256 of what it read per connection and, on the client's FIN, sends
 * what is left, closes and records the connection's {@link Result}. Also a {@code main}
 * for a child process (see {@link #main(String[])}).
 */
public final class EchoServer implements AutoCloseable {

    /**
     * What one connection sent: the byte count and the SHA-256 of the bytes, or the
     * failure.
     */
    public record Result(long bytes, byte[] sha256, String failure) {
    }

    private final ServerSocketChannel server;

    private final Selector selector;

    private final Path unixDir;

    private final Thread thread;

    private final BlockingQueue<Result> results = new LinkedBlockingQueue<>();

    private final AtomicInteger accepted = new AtomicInteger();

    private volatile boolean running = true;

    private final boolean sink;

    private EchoServer(ServerSocketChannel server, Path unixDir, boolean sink) throws IOException {
        this.server = server;
        this.sink = sink;
        this.unixDir = unixDir;
        this.selector = Selector.open();
        server.configureBlocking(false);
        server.register(this.selector, SelectionKey.OP_ACCEPT);
        this.thread = new Thread(this::run, "echo-server");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Starts an echo server on {@code host} and an ephemeral port. */
    public static EchoServer tcp(String host) throws IOException {
        return tcp(host, 0);
    }

    /**
     * Starts an echo server on {@code host} and {@code port} (0 for an ephemeral one).
     */
    public static EchoServer tcp(String host, int port) throws IOException {
        return tcp(host, port, false);
    }

    /**
     * Starts a server on {@code host} and {@code port}; a sink reads and hashes but sends
     * nothing back.
     */
    public static EchoServer tcp(String host, int port, boolean sink) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress(host, port), 512);
        return new EchoServer(server, null, sink);
    }

    /** Starts an echo server on a fresh unix path in a temp dir. */
    public static EchoServer unix() throws IOException {
        Path dir = Files.createTempDirectory("sc-echo");
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(dir.resolve("echo.sock")), 512);
        return new EchoServer(server, dir, false);
    }

    /** Returns the TCP port. */
    public int port() {
        try {
            return ((InetSocketAddress) this.server.getLocalAddress()).getPort();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Returns the unix path. */
    public String path() {
        return this.unixDir.resolve("echo.sock").toString();
    }

    /** Returns how many connections were accepted. */
    public int accepted() {
        return this.accepted.get();
    }

    /** Waits for the next finished connection's result. */
    public Result awaitResult(long seconds) throws InterruptedException {
        Result result = this.results.poll(seconds, TimeUnit.SECONDS);
        if (result == null) {
            throw new AssertionError("no echo connection finished within " + seconds + " s");
        }
        return result;
    }

    /**
     * Returns a future of the next finished connection's result (waits up to two
     * minutes).
     */
    public java.util.concurrent.CompletableFuture<EchoServer.Result> awaitResultLater() {
        return java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return awaitResult(120);
            }
            catch (InterruptedException ex) {
                throw new IllegalStateException(ex);
            }
        });
    }

    private void run() {
        try {
            while (this.running) {
                this.selector.select(200);
                Iterator<SelectionKey> keys = this.selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    if (!key.isValid()) {
                        continue;
                    }
                    if (key.isAcceptable()) {
                        SocketChannel channel = this.server.accept();
                        if (channel != null) {
                            this.accepted.incrementAndGet();
                            channel.configureBlocking(false);
                            if (!(channel.getLocalAddress() instanceof UnixDomainSocketAddress)) {
                                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                            }
                            channel.register(this.selector, SelectionKey.OP_READ, new Connection(channel));
                        }
                    }
                    else {
                        ((Connection) key.attachment()).ready(key);
                    }
                }
            }
        }
        catch (IOException | RuntimeException ex) {
            if (this.running) {
                ex.printStackTrace();
            }
        }
    }

    private final class Connection {

        private final SocketChannel channel;

        private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);

        private final MessageDigest digest = sha256();

        private long bytes;

        private boolean eof;

        Connection(SocketChannel channel) {
            this.channel = channel;
        }

        void ready(SelectionKey key) {
            try {
                if (!this.eof && this.buffer.hasRemaining()) {
                    int start = this.buffer.position();
                    int read = this.channel.read(this.buffer);
                    if (read < 0) {
                        this.eof = true;
                    }
                    else if (read > 0) {
                        this.digest.update(this.buffer.array(), start, read);
                        this.bytes += read;
                    }
                }
                if (EchoServer.this.sink) {
                    this.buffer.clear();
                }
                this.buffer.flip();
                this.channel.write(this.buffer);
                this.buffer.compact();
                if (this.eof && this.buffer.position() == 0) {
                    finish(key, null);
                    return;
                }
                int ops = 0;
                if (!this.eof && this.buffer.hasRemaining()) {
                    ops |= SelectionKey.OP_READ;
                }
                if (this.buffer.position() > 0) {
                    ops |= SelectionKey.OP_WRITE;
                }
                key.interestOps(ops);
            }
            catch (IOException ex) {
                finish(key, ex.toString());
            }
        }

        private void finish(SelectionKey key, String failure) {
            key.cancel();
            try {
                this.channel.close();
            }
            catch (IOException ex) {
                // closing anyway
            }
            EchoServer.this.results.add(new Result(this.bytes, this.digest.digest(), failure));
        }

    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    @Override
    public void close() throws IOException {
        this.running = false;
        this.selector.wakeup();
        try {
            this.thread.join(5000);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        for (SelectionKey key : this.selector.keys()) {
            key.channel().close();
        }
        this.selector.close();
        this.server.close();
        if (this.unixDir != null) {
            Files.deleteIfExists(this.unixDir.resolve("echo.sock"));
            Files.deleteIfExists(this.unixDir);
        }
    }

    /**
     * Runs an echo server in a child process: arguments host, port (0 for any) and
     * optionally {@code sink} (read and hash only); prints {@code LISTENING <port>} once
     * bound, then a line {@code DONE <bytes> <sha256-hex>} per finished connection, and
     * exits when its standard input closes.
     * @param args host, port and optionally {@code sink}
     * @throws Exception if the server cannot start
     */
    public static void main(String[] args) throws Exception {
        boolean sink = args.length > 2 && args[2].equals("sink");
        try (EchoServer server = tcp(args[0], Integer.parseInt(args[1]), sink)) {
            System.out.println("LISTENING " + server.port());
            System.out.flush();
            Thread reporter = new Thread(() -> {
                try {
                    while (true) {
                        Result result = server.results.take();
                        System.out.println("DONE " + result.bytes() + " " + HexFormat.of().formatHex(result.sha256())
                                + ((result.failure() != null) ? " " + result.failure() : ""));
                        System.out.flush();
                    }
                }
                catch (InterruptedException ex) {
                    // exiting
                }
            }, "echo-reporter");
            reporter.setDaemon(true);
            reporter.start();
            while (System.in.read() >= 0) {
                // run until the parent closes our input or kills us
            }
        }
    }

}
