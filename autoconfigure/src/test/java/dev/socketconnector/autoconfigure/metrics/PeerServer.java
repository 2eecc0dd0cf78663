package dev.socketconnector.autoconfigure.metrics;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * A blocking JDK server on 127.0.0.1 for the observability tests, plain or TLS,
 * optionally on a chosen port so a test can stop it and start it again there. Every wait
 * is bounded (10 s).
 */
public final class PeerServer implements AutoCloseable {

    private static final int TIMEOUT_MILLIS = 10_000;

    private final ServerSocket server;

    private final BlockingQueue<Peer> accepted = new LinkedBlockingQueue<>();

    private final List<Peer> peers = new CopyOnWriteArrayList<>();

    private PeerServer(ServerSocket server, int port) throws IOException {
        this.server = server;
        this.server.setReuseAddress(true);
        this.server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        Thread acceptor = new Thread(this::acceptLoop, "peer-server-" + port());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Starts a plain server on an ephemeral port. */
    public static PeerServer start() throws IOException {
        return new PeerServer(new ServerSocket(), 0);
    }

    /** Starts a plain server on {@code port}. */
    public static PeerServer start(int port) throws IOException {
        return new PeerServer(new ServerSocket(), port);
    }

    /**
     * Starts a TLS server on an ephemeral port; the handshake runs on the first read or
     * write.
     */
    public static PeerServer startTls(SSLContext context) throws IOException {
        SSLServerSocket server = (SSLServerSocket) context.getServerSocketFactory().createServerSocket();
        return new PeerServer(server, 0);
    }

    private void acceptLoop() {
        while (!this.server.isClosed()) {
            try {
                Socket socket = this.server.accept();
                socket.setSoTimeout(TIMEOUT_MILLIS);
                Peer peer = new Peer(socket);
                this.peers.add(peer);
                this.accepted.add(peer);
                if (socket instanceof SSLSocket tls) {
                    // the JDK handshakes lazily; a client waiting for the server's hello
                    // must not wait for a read
                    Thread handshake = new Thread(() -> {
                        try {
                            tls.startHandshake();
                        }
                        catch (IOException ex) {
                            // the client rejected the certificate or went away
                        }
                    }, "peer-server-handshake");
                    handshake.setDaemon(true);
                    handshake.start();
                }
            }
            catch (IOException ex) {
                // closed
            }
        }
    }

    /** Returns the port the server listens on. */
    public int port() {
        return this.server.getLocalPort();
    }

    /** Waits up to 10 s for the next accepted connection. */
    public Peer accept() throws InterruptedException {
        Peer peer = this.accepted.poll(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        if (peer == null) {
            throw new AssertionError("no connection accepted within 10 s");
        }
        return peer;
    }

    /** Stops listening and closes every accepted connection. */
    @Override
    public void close() throws IOException {
        this.server.close();
        for (Peer peer : this.peers) {
            peer.close();
        }
    }

    /** One accepted connection. */
    public static final class Peer implements AutoCloseable {

        private final Socket socket;

        Peer(Socket socket) {
            this.socket = socket;
        }

        /** Writes bytes. */
        public void write(byte[] bytes) throws IOException {
            this.socket.getOutputStream().write(bytes);
            this.socket.getOutputStream().flush();
        }

        /** Writes text as UTF-8. */
        public void write(String text) throws IOException {
            write(text.getBytes(StandardCharsets.UTF_8));
        }

        /** Reads exactly {@code length} bytes, waiting up to 10 s for each read. */
        public byte[] readExactly(int length) throws IOException {
            byte[] bytes = this.socket.getInputStream().readNBytes(length);
            if (bytes.length != length) {
                throw new AssertionError("expected " + length + " bytes, got " + bytes.length + " and end of stream");
            }
            return bytes;
        }

        /**
         * Waits up to 10 s for the client to close and says how: {@code "end"} for a FIN
         * (end of stream), {@code "reset"} for a reset. Unread bytes are skipped; a
         * timeout fails.
         */
        public String awaitClose() throws IOException {
            InputStream in = this.socket.getInputStream();
            byte[] buffer = new byte[4096];
            try {
                while (in.read(buffer) >= 0) {
                    // skip
                }
                return "end";
            }
            catch (SocketTimeoutException ex) {
                throw new AssertionError("the client did not close within 10 s");
            }
            catch (SocketException ex) {
                return "reset";
            }
        }

        /**
         * Reads until the client closes, waiting up to 10 s for each read, and returns
         * how many bytes came.
         */
        public long readToEnd() throws IOException {
            InputStream in = this.socket.getInputStream();
            byte[] buffer = new byte[64 * 1024];
            long total = 0;
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                total += read;
            }
            return total;
        }

        /** Closes the connection. */
        @Override
        public void close() {
            try {
                this.socket.close();
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }

    }

}
