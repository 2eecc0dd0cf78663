package dev.socketconnector.sample;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;

/**
 * The demo TLS echo server: listens on 127.0.0.1 and writes back every byte it receives,
 * so the sample runs without an external service. Its certificate comes from the SSL
 * bundle {@code demo-echo-server} (a demo certificate shipped in {@code demo-tls/}).
 * <p>
 * Plain JDK sockets, one thread per connection: this is a test peer, not part of the
 * library. The port is bound when the object is created (so the endpoint's port is known
 * before the context starts); connections are accepted from {@link #start()}, which runs
 * before the starter connects its endpoints, and closed in {@link #stop()}, after the
 * starter has closed its sockets.
 */
final class DemoEchoServer implements SmartLifecycle, AutoCloseable {

    /**
     * Starts before and stops after the starter's lifecycle
     * ({@code DEFAULT_PHASE - 4096}).
     */
    static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 8192;

    private static final Log logger = LogFactory.getLog(DemoEchoServer.class);

    private final ServerSocket serverSocket;

    private final Supplier<SSLContext> sslContext;

    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();

    private final AtomicInteger connectionCount = new AtomicInteger();

    private volatile @Nullable Thread acceptor;

    private volatile boolean running;

    /**
     * Binds the server.
     * @param port the port on 127.0.0.1, 0 for any free port
     * @param sslContext the server's TLS context, resolved at {@link #start()}
     */
    DemoEchoServer(int port, Supplier<SSLContext> sslContext) {
        this.sslContext = sslContext;
        try {
            this.serverSocket = new ServerSocket();
            this.serverSocket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        }
        catch (IOException ex) {
            throw new UncheckedIOException("sample.echo-server.port: cannot listen on 127.0.0.1:" + port, ex);
        }
    }

    /** Returns the bound port. */
    int port() {
        return this.serverSocket.getLocalPort();
    }

    @Override
    public void start() {
        SSLContext context = this.sslContext.get();
        Thread thread = new Thread(() -> accept(context), "demo-echo-server");
        thread.setDaemon(true);
        this.running = true;
        this.acceptor = thread;
        thread.start();
        logger.info("Demo TLS echo server listening on 127.0.0.1:" + port());
    }

    private void accept(SSLContext context) {
        while (!this.serverSocket.isClosed()) {
            try {
                Socket raw = this.serverSocket.accept();
                SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(raw, null, true);
                this.connections.add(tls);
                Thread echo = new Thread(() -> echo(tls), "demo-echo-" + this.connectionCount.incrementAndGet());
                echo.setDaemon(true);
                echo.start();
            }
            catch (IOException ex) {
                if (!this.serverSocket.isClosed()) {
                    logger.warn("Demo echo server: accept failed", ex);
                }
            }
        }
    }

    private void echo(SSLSocket socket) {
        byte[] buffer = new byte[8192];
        try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) != -1) {
                out.write(buffer, 0, n);
                out.flush();
            }
        }
        catch (SocketException ex) {
            // closed by stop() or reset by the peer: nothing to echo any more
        }
        catch (IOException ex) {
            logger.debug("Demo echo server: connection ended: " + ex);
        }
        finally {
            this.connections.remove(socket);
        }
    }

    @Override
    public void stop() {
        close();
    }

    @Override
    public boolean isRunning() {
        return this.running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    /** Stops accepting and closes every connection; idempotent. */
    @Override
    public void close() {
        this.running = false;
        try {
            this.serverSocket.close();
        }
        catch (IOException ex) {
            logger.debug("Demo echo server: close failed: " + ex);
        }
        for (Socket connection : this.connections) {
            try {
                connection.close();
            }
            catch (IOException ex) {
                logger.debug("Demo echo server: close failed: " + ex);
            }
        }
        Thread thread = this.acceptor;
        if (thread != null) {
            try {
                thread.join(1000);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
    }

}
