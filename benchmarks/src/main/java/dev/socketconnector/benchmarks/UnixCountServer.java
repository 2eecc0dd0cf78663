package dev.socketconnector.benchmarks;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The {@code count} server on a unix socket, on plain JDK channels with a thread per
 * connection.
 * <p>
 * Netty 4.2's {@code NioDomainSocketChannel} cannot half-close: its read loop only
 * honours {@code ALLOW_HALF_CLOSURE} for a {@code SocketChannelConfig}, so the client's
 * FIN closes the channel before the count can be sent. The JDK's unix
 * {@code SocketChannel} reads to end of stream and still writes.
 */
final class UnixCountServer implements AutoCloseable {

    private final ServerSocketChannel server;

    private final Path path;

    private final Thread acceptor;

    UnixCountServer(String path) throws IOException {
        this.path = Path.of(path);
        Files.deleteIfExists(this.path);
        this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        this.server.bind(UnixDomainSocketAddress.of(this.path), 4096);
        this.acceptor = new Thread(this::accept, "bench-unix-count-acceptor");
        this.acceptor.setDaemon(true);
        this.acceptor.start();
    }

    private void accept() {
        while (this.server.isOpen()) {
            try {
                SocketChannel channel = this.server.accept();
                Thread worker = new Thread(() -> count(channel), "bench-unix-count");
                worker.setDaemon(true);
                worker.start();
            }
            catch (IOException ex) {
                if (this.server.isOpen()) {
                    BenchmarkMain.log("unix count server: accept failed: %s", ex);
                }
            }
        }
    }

    private static void count(SocketChannel channel) {
        try (channel) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(256 * 1024);
            long count = 0;
            int read;
            while ((read = channel.read(buffer)) >= 0) {
                count += read;
                buffer.clear();
            }
            ByteBuffer reply = ByteBuffer.allocate(8).putLong(count).flip();
            while (reply.hasRemaining()) {
                channel.write(reply);
            }
        }
        catch (IOException ex) {
            // the client went away; it reports the failure
        }
    }

    @Override
    public void close() {
        try {
            this.server.close();
            Files.deleteIfExists(this.path);
        }
        catch (IOException ex) {
            // a stale socket file is replaced on the next start
        }
    }

}
