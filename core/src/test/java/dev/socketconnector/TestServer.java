package dev.socketconnector;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A blocking peer for connector tests: a JDK server socket on 127.0.0.1, ::1 or a unix
 * path in a temp dir, whose accepted connections are handed to the test as {@link Peer}s.
 * Closed by the test (try-with-resources).
 */
public final class TestServer implements AutoCloseable {

    private final ServerSocketChannel server;

    private final Path unixDir;

    private final BlockingQueue<Peer> accepted = new LinkedBlockingQueue<>();

    private final List<Peer> peers = new CopyOnWriteArrayList<>();

    private final Thread acceptor;

    private TestServer(ServerSocketChannel server, Path unixDir) {
        this.server = server;
        this.unixDir = unixDir;
        this.acceptor = new Thread(this::acceptLoop, "test-server-acceptor");
        this.acceptor.setDaemon(true);
        this.acceptor.start();
    }

    /** Starts a TCP server on 127.0.0.1 and an ephemeral port. */
    public static TestServer tcp() throws IOException {
        return tcp("127.0.0.1", 50);
    }

    /**
     * Starts a TCP server on {@code host} and an ephemeral port with the given backlog.
     */
    public static TestServer tcp(String host, int backlog) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress(host, 0), backlog);
        return new TestServer(server, null);
    }

    /**
     * Starts a TCP server on 127.0.0.1 and {@code port} with SO_REUSEADDR, so that a test
     * can stop a server and start it again on the same port.
     */
    public static TestServer tcpOnPort(int port) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open();
        server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        server.bind(new InetSocketAddress("127.0.0.1", port), 50);
        return new TestServer(server, null);
    }

    /** Returns a port on 127.0.0.1 that was free a moment ago (nothing listens on it). */
    public static int freePort() throws IOException {
        try (ServerSocketChannel probe = ServerSocketChannel.open()) {
            probe.bind(new InetSocketAddress("127.0.0.1", 0));
            return ((InetSocketAddress) probe.getLocalAddress()).getPort();
        }
    }

    /** Starts a unix-domain server on a fresh path in a temp dir. */
    public static TestServer unix() throws IOException {
        Path dir = Files.createTempDirectory("sc-test");
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(dir.resolve("s.sock")));
        return new TestServer(server, dir);
    }

    private void acceptLoop() {
        try {
            while (this.server.isOpen()) {
                SocketChannel channel = this.server.accept();
                Peer peer = new Peer(channel);
                this.peers.add(peer);
                if (!this.server.isOpen()) {
                    // close() ran between the accept and the add: it may not have seen
                    // this
                    // peer, so close it here
                    peer.close();
                }
                this.accepted.add(peer);
            }
        }
        catch (IOException ex) {
            // closed
        }
    }

    public int port() {
        try {
            return ((InetSocketAddress) this.server.getLocalAddress()).getPort();
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    public String path() {
        return this.unixDir.resolve("s.sock").toString();
    }

    /** Returns how many connections were accepted so far. */
    public int acceptedCount() {
        return this.peers.size();
    }

    /** Waits up to 10 s for the next accepted connection. */
    public Peer accept() throws InterruptedException {
        Peer peer = this.accepted.poll(10, TimeUnit.SECONDS);
        if (peer == null) {
            throw new AssertionError("no connection accepted within 10 s");
        }
        return peer;
    }

    /**
     * Returns the next accepted connection if one arrives within {@code wait}, else null.
     */
    public Peer pollAccept(Duration wait) throws InterruptedException {
        return this.accepted.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() throws IOException {
        this.server.close();
        for (Peer peer : this.peers) {
            peer.close();
        }
        if (this.unixDir != null) {
            Files.deleteIfExists(this.unixDir.resolve("s.sock"));
            Files.deleteIfExists(this.unixDir);
        }
    }

    /** One accepted connection, used with blocking calls from the test thread. */
    public static final class Peer implements AutoCloseable {

        private final SocketChannel channel;

        Peer(SocketChannel channel) {
            this.channel = channel;
        }

        public SocketChannel channel() {
            return this.channel;
        }

        public void write(byte[] data) throws IOException {
            ByteBuffer buffer = ByteBuffer.wrap(data);
            while (buffer.hasRemaining()) {
                this.channel.write(buffer);
            }
        }

        public void write(String text) throws IOException {
            write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        /** Reads exactly {@code count} bytes, or fails. */
        public byte[] readExactly(int count) throws IOException {
            ByteBuffer buffer = ByteBuffer.allocate(count);
            while (buffer.hasRemaining()) {
                if (this.channel.read(buffer) < 0) {
                    throw new AssertionError("end of stream after " + buffer.position() + " of " + count + " bytes");
                }
            }
            return buffer.array();
        }

        /** Reads until end of stream; a reset is thrown as an IOException. */
        public byte[] readToEnd() throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            while (this.channel.read(buffer) >= 0) {
                out.write(buffer.array(), 0, buffer.position());
                buffer.clear();
            }
            out.write(buffer.array(), 0, buffer.position());
            return out.toByteArray();
        }

        /** Reads until end of stream on another thread; the future fails on a reset. */
        public java.util.concurrent.CompletableFuture<byte[]> readToEndAsync() {
            return java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return readToEnd();
                }
                catch (IOException ex) {
                    throw new java.io.UncheckedIOException(ex);
                }
            });
        }

        /** Half-closes: sends FIN, keeps reading possible. */
        public void shutdownOutput() throws IOException {
            this.channel.shutdownOutput();
        }

        /** Resets the connection: SO_LINGER 0, then close (TCP only). */
        public void reset() throws IOException {
            this.channel.setOption(StandardSocketOptions.SO_LINGER, 0);
            this.channel.close();
        }

        @Override
        public void close() throws IOException {
            this.channel.close();
        }

    }

}
