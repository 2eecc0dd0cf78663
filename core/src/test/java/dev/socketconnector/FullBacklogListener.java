package dev.socketconnector;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * A listener on 127.0.0.1 that never accepts, with its accept queue filled: the kernel
 * drops further SYNs, so a connect to it neither succeeds nor is refused (it times out).
 * {@link #acceptAll()} wakes it up.
 */
public final class FullBacklogListener implements AutoCloseable {

    private final ServerSocketChannel listener;

    private final List<SocketChannel> channels = new ArrayList<>();

    private FullBacklogListener(ServerSocketChannel listener) {
        this.listener = listener;
    }

    /** Opens the listener with a backlog of 1 and fills its queue. */
    public static FullBacklogListener open() throws IOException, InterruptedException {
        FullBacklogListener full = new FullBacklogListener(ServerSocketChannel.open());
        try {
            full.listener.bind(new InetSocketAddress("127.0.0.1", 0), 1);
            for (int i = 0; i < 8; i++) {
                SocketChannel filler = SocketChannel.open();
                full.channels.add(filler);
                filler.configureBlocking(false);
                filler.connect(new InetSocketAddress("127.0.0.1", full.port()));
            }
            Thread.sleep(200);
            return full;
        }
        catch (IOException | InterruptedException | RuntimeException ex) {
            full.close();
            throw ex;
        }
    }

    public int port() throws IOException {
        return ((InetSocketAddress) this.listener.getLocalAddress()).getPort();
    }

    /**
     * Accepts whatever is queued now (without blocking) and keeps it open until
     * {@link #close()}.
     */
    public void acceptAll() throws IOException {
        this.listener.configureBlocking(false);
        SocketChannel accepted;
        while ((accepted = this.listener.accept()) != null) {
            this.channels.add(accepted);
        }
    }

    @Override
    public void close() throws IOException {
        for (SocketChannel channel : this.channels) {
            channel.close();
        }
        this.listener.close();
    }

}
