package dev.socketconnector;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * A listener whose accept queue is exactly full, on a chosen loopback address and port:
 * the kernel drops further SYNs (a connect neither succeeds nor is refused), and unlike
 * {@link FullBacklogListener} no filler connect is left pending, so once
 * {@link #acceptAll()} has emptied the queue the next SYN (a retransmission of one that
 * was dropped, about one second after it) is accepted. Counts what it accepted.
 */
public final class SaturatedListener implements AutoCloseable {

    private final ServerSocketChannel listener;

    private final List<SocketChannel> channels = new ArrayList<>();

    private int fillers;

    private SaturatedListener(ServerSocketChannel listener) {
        this.listener = listener;
    }

    /**
     * Opens a listener on {@code host} ({@code 127.0.0.1} or {@code ::1}) and
     * {@code port} (0 for an ephemeral one) with a backlog of 1 and fills its queue.
     */
    public static SaturatedListener open(String host, int port) throws IOException, InterruptedException {
        SaturatedListener saturated = new SaturatedListener(ServerSocketChannel.open());
        try {
            saturated.listener.bind(new InetSocketAddress(host, port), 1);
            InetSocketAddress address = new InetSocketAddress(host, saturated.port());
            for (int i = 0; i < 8; i++) {
                SocketChannel filler = SocketChannel.open();
                filler.configureBlocking(false);
                filler.connect(address);
                long deadline = System.nanoTime() + 300_000_000L;
                boolean connected = false;
                while (!connected && System.nanoTime() < deadline) {
                    connected = filler.finishConnect();
                    if (!connected) {
                        Thread.sleep(5);
                    }
                }
                if (!connected) {
                    // this SYN was dropped: the queue is full. Closing a connect in
                    // SYN_SENT sends nothing, so no retransmission takes a freed slot
                    filler.close();
                    return saturated;
                }
                saturated.channels.add(filler);
                saturated.fillers++;
            }
            throw new IllegalStateException("the accept queue of " + address + " never filled up");
        }
        catch (IOException | InterruptedException | RuntimeException ex) {
            saturated.close();
            throw ex;
        }
    }

    public int port() throws IOException {
        return ((InetSocketAddress) this.listener.getLocalAddress()).getPort();
    }

    /**
     * Accepts whatever is queued now (without blocking), keeps it open until
     * {@link #close()}, and returns how many connections it accepted beyond the fillers
     * so far.
     */
    public int acceptAll() throws IOException {
        this.listener.configureBlocking(false);
        SocketChannel accepted;
        while ((accepted = this.listener.accept()) != null) {
            this.channels.add(accepted);
        }
        // each filler is in channels twice once accepted: its client and server ends
        int serverEnds = this.channels.size() - this.fillers;
        return Math.max(0, serverEnds - this.fillers);
    }

    @Override
    public void close() throws IOException {
        for (SocketChannel channel : this.channels) {
            channel.close();
        }
        this.listener.close();
    }

}
