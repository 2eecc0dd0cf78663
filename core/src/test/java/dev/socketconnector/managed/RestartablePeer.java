package dev.socketconnector.managed;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP peer on 127.0.0.1 that can stop and start again on the same port: it either
 * closes each connection at once ({@code closeAtOnce}) or holds it, recording what it
 * receives. Accept times (System.nanoTime) are kept.
 */
final class RestartablePeer implements AutoCloseable {

    private final int port;

    private volatile boolean closeAtOnce;

    private volatile ServerSocket server;

    private final List<Socket> held = new CopyOnWriteArrayList<>();

    final List<Long> accepts = new CopyOnWriteArrayList<>();

    final List<ByteArrayOutputStream> received = new CopyOnWriteArrayList<>();

    private RestartablePeer(int port, boolean closeAtOnce) {
        this.port = port;
        this.closeAtOnce = closeAtOnce;
    }

    /** Starts a peer on a free port. */
    static RestartablePeer start(boolean closeAtOnce) throws IOException {
        RestartablePeer peer = new RestartablePeer(0, closeAtOnce);
        peer.listen(0);
        return new RestartablePeer(peer.port(), closeAtOnce).adopt(peer);
    }

    /**
     * Returns a stopped peer for a port nothing listens on (yet): connects are refused.
     */
    static RestartablePeer stopped(boolean closeAtOnce) throws IOException {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        return new RestartablePeer(port, closeAtOnce);
    }

    private RestartablePeer adopt(RestartablePeer started) {
        this.server = started.server;
        startAccepting(this.server);
        return this;
    }

    int port() {
        return (this.server != null) ? this.server.getLocalPort() : this.port;
    }

    void closeAtOnce(boolean closeAtOnce) {
        this.closeAtOnce = closeAtOnce;
    }

    private void listen(int on) throws IOException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
        while (true) {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            try {
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), on), 200);
                this.server = socket;
                return;
            }
            catch (java.net.BindException ex) {
                // a connection the peer just closed may hold the port for a moment
                socket.close();
                if (System.nanoTime() > deadline) {
                    throw ex;
                }
                try {
                    Thread.sleep(10);
                }
                catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw ex;
                }
            }
        }
    }

    /** Listens again on the same port. */
    synchronized void startListening() throws IOException {
        listen(this.port);
        startAccepting(this.server);
    }

    /** Stops listening and closes every held connection (the clients see a FIN). */
    synchronized void stop() throws IOException {
        ServerSocket current = this.server;
        if (current != null) {
            current.close();
        }
        for (Socket socket : this.held) {
            socket.close();
            // not clear(): a connection accepted meanwhile stays held, to be dropped next
            this.held.remove(socket);
        }
    }

    /** Drops every held connection and listens again at once. */
    void restart() throws IOException {
        stop();
        startListening();
    }

    /** Drops every held connection, keeps listening. */
    void dropAll() throws IOException {
        for (Socket socket : this.held) {
            socket.close();
            // not clear(): a connection accepted meanwhile stays held, to be dropped next
            this.held.remove(socket);
        }
    }

    int heldCount() {
        return this.held.size();
    }

    private void startAccepting(ServerSocket server) {
        Thread thread = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    this.accepts.add(System.nanoTime());
                    if (this.closeAtOnce) {
                        socket.close();
                        continue;
                    }
                    this.held.add(socket);
                    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                    this.received.add(bytes);
                    Thread reader = new Thread(() -> read(socket, bytes), "peer-reader");
                    reader.setDaemon(true);
                    reader.start();
                }
                catch (SocketException ex) {
                    return;
                }
                catch (IOException ex) {
                    return;
                }
            }
        }, "peer-accept");
        thread.setDaemon(true);
        thread.start();
    }

    private static void read(Socket socket, ByteArrayOutputStream into) {
        byte[] buffer = new byte[4096];
        try (InputStream in = socket.getInputStream()) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                synchronized (into) {
                    into.write(buffer, 0, n);
                }
            }
        }
        catch (IOException ex) {
            // closed by stop()
        }
    }

    @Override
    public void close() throws IOException {
        stop();
    }

}
