package dev.socketconnector.autoconfigure;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A JDK TCP server on 127.0.0.1 for tests, on a chosen port so that a test can stop it
 * and start it again on the same port. Accepted connections are handed to the test, which
 * uses them with bounded waits.
 */
final class LoopbackServer implements AutoCloseable {

    private final ServerSocketChannel server;

    private final BlockingQueue<SocketChannel> accepted = new LinkedBlockingQueue<>();

    private final List<SocketChannel> peers = new CopyOnWriteArrayList<>();

    private LoopbackServer(int port) throws IOException {
        this.server = ServerSocketChannel.open();
        this.server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        this.server.bind(new InetSocketAddress("127.0.0.1", port));
        Thread acceptor = new Thread(this::acceptLoop, "loopback-server-" + port());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Starts a server on an ephemeral port. */
    static LoopbackServer start() throws IOException {
        return new LoopbackServer(0);
    }

    /** Starts a server on {@code port}. */
    static LoopbackServer start(int port) throws IOException {
        return new LoopbackServer(port);
    }

    /** Returns a port that was free a moment ago (nothing listens on it). */
    static int freePort() throws IOException {
        try (ServerSocketChannel probe = ServerSocketChannel.open()) {
            probe.bind(new InetSocketAddress("127.0.0.1", 0));
            return ((InetSocketAddress) probe.getLocalAddress()).getPort();
        }
    }

    private void acceptLoop() {
        try {
            while (this.server.isOpen()) {
                SocketChannel channel = this.server.accept();
                this.peers.add(channel);
                this.accepted.add(channel);
            }
        }
        catch (IOException ex) {
            // closed
        }
    }

    int port() {
        try {
            return ((InetSocketAddress) this.server.getLocalAddress()).getPort();
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** Returns how many connections were accepted so far. */
    int acceptedCount() {
        return this.peers.size();
    }

    /** Waits up to 10 s for the next accepted connection. */
    SocketChannel accept() throws InterruptedException {
        SocketChannel peer = this.accepted.poll(10, TimeUnit.SECONDS);
        if (peer == null) {
            throw new AssertionError("no connection accepted within 10 s");
        }
        return peer;
    }

    /**
     * Reads from {@code peer} until end of stream on another thread: the returned future
     * completes with the bytes read when the client's FIN arrives, and fails with the
     * IOException of a reset.
     */
    static CompletableFuture<byte[]> readToEnd(SocketChannel peer) {
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try {
                java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
                ByteBuffer buffer = ByteBuffer.allocate(8192);
                while (peer.read(buffer) >= 0) {
                    out.write(buffer.array(), 0, buffer.position());
                    buffer.clear();
                }
                out.write(buffer.array(), 0, buffer.position());
                result.complete(out.toByteArray());
            }
            catch (IOException ex) {
                result.completeExceptionally(ex);
            }
        }, "loopback-reader");
        reader.setDaemon(true);
        reader.start();
        return result;
    }

    /** Stops listening and closes every accepted connection. */
    @Override
    public void close() throws IOException {
        this.server.close();
        for (SocketChannel peer : this.peers) {
            peer.close();
        }
    }

}
