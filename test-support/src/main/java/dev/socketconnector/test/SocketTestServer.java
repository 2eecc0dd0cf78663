package dev.socketconnector.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import javax.net.ssl.SSLSocket;

import dev.socketconnector.autoconfigure.SocketEndpointConnectionDetails;
import dev.socketconnector.autoconfigure.SocketEndpointConnectionDetails.Address;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A TCP server on 127.0.0.1 for tests of code that connects with socket-connector: it
 * echoes, or answers each line from a script, optionally over TLS with a generated
 * self-signed certificate, and can drop its connections or restart on the same port on
 * command.
 * <p>
 * As a JUnit 5 extension it starts before the tests and stops after them: in a
 * {@code static} field once per class, in an instance field once per test.
 *
 * <pre>{@code
 * &#64;RegisterExtension
 * static SocketTestServer server = SocketTestServer.echo();
 * }</pre>
 * <p>
 * Each connection is served by its own daemon thread; reads time out after 30 s so no
 * thread outlives a forgotten test by long. Everything is bound to the loopback address
 * only.
 */
public final class SocketTestServer
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback, AutoCloseable {

    private static final int READ_TIMEOUT_MILLIS = 30_000;

    private static final Duration REBIND_TIMEOUT = Duration.ofSeconds(10);

    private static final long REBIND_PAUSE_MILLIS = 50;

    private static final Duration FENCE_TIMEOUT = Duration.ofSeconds(10);

    private final Function<String, @Nullable String> replies;

    private final boolean echo;

    private final @Nullable SelfSignedCertificate certificate;

    private final List<Socket> connections = new CopyOnWriteArrayList<>();

    /** dropConnections()' probes in the accept queue, by their local address. */
    private final Map<SocketAddress, CompletableFuture<Void>> fences = new ConcurrentHashMap<>();

    private final AtomicInteger accepted = new AtomicInteger();

    private volatile @Nullable ServerSocket server;

    private volatile int port;

    private boolean startedForClass;

    private SocketTestServer(boolean echo, Function<String, @Nullable String> replies,
            @Nullable SelfSignedCertificate certificate) {
        this.echo = echo;
        this.replies = replies;
        this.certificate = certificate;
    }

    /**
     * {@return a server that writes back every byte it reads}
     */
    public static SocketTestServer echo() {
        return new SocketTestServer(true, (line) -> null, null);
    }

    /**
     * {@return a server that answers each line it reads (without its line end) with the
     * function's reply (sent as is; null sends nothing)}
     * @param replies the reply to each line
     */
    public static SocketTestServer replying(Function<String, @Nullable String> replies) {
        return new SocketTestServer(false, replies, null);
    }

    /**
     * {@return a server that answers the lines of a script: each line that is a key gets
     * its value}
     * @param script the replies, by request line
     */
    public static SocketTestServer scripted(Map<String, String> script) {
        Map<String, String> copy = Map.copyOf(script);
        return replying(copy::get);
    }

    /**
     * {@return a server that behaves as this one over TLS, presenting a freshly generated
     * self-signed certificate for {@code localhost} and {@code 127.0.0.1} (see
     * {@link #certificatePem()})}
     */
    public SocketTestServer tls() {
        return new SocketTestServer(this.echo, this.replies, SelfSignedCertificate.generate());
    }

    /**
     * Starts the server on an ephemeral port of 127.0.0.1 (or its previous port after
     * {@link #stop()}); does nothing when it is running.
     * @return this server
     */
    public synchronized SocketTestServer start() {
        if (this.server != null) {
            return this;
        }
        try {
            ServerSocket socket = bind();
            this.port = socket.getLocalPort();
            this.server = socket;
            Thread acceptor = new Thread(() -> acceptLoop(socket), "socket-test-server-" + this.port);
            acceptor.setDaemon(true);
            acceptor.start();
            return this;
        }
        catch (IOException ex) {
            throw new IllegalStateException("cannot start the test server on 127.0.0.1:" + this.port, ex);
        }
    }

    /**
     * Binds a listening socket: on an ephemeral port the first time, then on the same
     * port. The same port can be refused for a moment after {@link #stop()} (a socket of
     * the last run still closing, or another process's connection briefly using it as its
     * local port), so that bind is retried for up to {@link #REBIND_TIMEOUT}.
     */
    private ServerSocket bind() throws IOException {
        long deadline = System.nanoTime() + REBIND_TIMEOUT.toNanos();
        while (true) {
            ServerSocket socket = (this.certificate != null)
                    ? this.certificate.serverContext().getServerSocketFactory().createServerSocket()
                    : new ServerSocket();
            try {
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.port));
                return socket;
            }
            catch (BindException ex) {
                closeQuietly(socket);
                if (this.port == 0 || System.nanoTime() - deadline >= 0) {
                    throw ex;
                }
                sleep(REBIND_PAUSE_MILLIS);
            }
            catch (IOException | RuntimeException ex) {
                closeQuietly(socket);
                throw ex;
            }
        }
    }

    /**
     * Stops accepting and closes every connection; {@link #start()} starts again on the
     * same port.
     */
    public synchronized void stop() {
        ServerSocket socket = this.server;
        this.server = null;
        if (socket != null) {
            closeQuietly(socket);
        }
        dropConnections();
    }

    /**
     * Stops and starts again on the same port: clients see their connections close, then
     * can reconnect.
     */
    public void restart() {
        stop();
        start();
    }

    /**
     * Closes every open connection (clients see the peer close) and keeps accepting new
     * ones. A connection whose client has connected before this call is closed too when
     * the server has not taken it from its accept queue yet (a client's connect completes
     * in the kernel first).
     */
    public void dropConnections() {
        awaitAcceptQueue();
        for (Socket connection : this.connections) {
            closeQuietly(connection);
            // not clear(): a connection accepted meanwhile stays, to be dropped next
            this.connections.remove(connection);
        }
    }

    /**
     * Waits until the accept thread has taken every connection queued before now: queues
     * a probe connection of its own behind them (the accept queue is first in, first out)
     * and waits, for at most {@link #FENCE_TIMEOUT}, until the accept thread reaches it.
     * The probe is closed there and never counted.
     */
    private void awaitAcceptQueue() {
        ServerSocket listening = this.server;
        if (listening == null || listening.isClosed()) {
            // stopped: closing the listener reset whatever it had queued
            return;
        }
        CompletableFuture<Void> reached = new CompletableFuture<>();
        try (Socket probe = new Socket()) {
            probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            InetSocketAddress from = (InetSocketAddress) probe.getLocalSocketAddress();
            this.fences.put(from, reached);
            try {
                probe.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.port),
                        (int) FENCE_TIMEOUT.toMillis());
                reached.get(FENCE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
            finally {
                this.fences.remove(from);
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        catch (IOException | ExecutionException | TimeoutException ex) {
            // not reached (the server stopping meanwhile): drop what has been accepted
        }
    }

    /**
     * {@return the host to connect to: always {@code 127.0.0.1}}
     */
    public String host() {
        return "127.0.0.1";
    }

    /**
     * {@return the port the server listens on}
     */
    public int port() {
        if (this.port == 0) {
            throw new IllegalStateException("the test server has not been started");
        }
        return this.port;
    }

    /**
     * {@return whether the server is accepting connections}
     */
    public boolean isRunning() {
        return this.server != null;
    }

    /**
     * {@return the number of connections accepted since the server was created}
     */
    public int acceptedConnections() {
        return this.accepted.get();
    }

    /**
     * {@return the number of connections open now}
     */
    public int openConnections() {
        return (int) this.connections.stream().filter((connection) -> !connection.isClosed()).count();
    }

    /**
     * Waits until the server has accepted at least {@code count} connections since it was
     * created.
     * @param count the number of connections
     * @param timeout the longest wait
     * @throws AssertionError when the timeout passes first
     */
    public void awaitAcceptedConnections(int count, Duration timeout) {
        SocketEndpoints.await(() -> this.accepted.get() >= count, timeout,
                () -> "the test server accepted " + this.accepted.get() + " connections, expected " + count);
    }

    /**
     * {@return the server's certificate as PEM text, for a client's trusted CAs (TLS
     * servers only)}
     */
    public String certificatePem() {
        if (this.certificate == null) {
            throw new IllegalStateException("not a TLS server: use SocketTestServer.echo().tls()");
        }
        return this.certificate.certificatePem();
    }

    /**
     * {@return connection details that point the named endpoint at this server, for a
     * {@link SocketEndpointConnectionDetails} bean in the test's configuration}
     * @param endpoint the endpoint's name
     */
    public SocketEndpointConnectionDetails connectionDetails(String endpoint) {
        return () -> Map.of(endpoint, Address.tcp(host(), port()));
    }

    /**
     * {@return connection details that point the named endpoint at this TLS server,
     * trusting it through the named SSL bundle (define it with
     * {@code spring.ssl.bundle.pem.<bundle>.truststore.certificate} set to
     * {@link #certificatePem()})}
     * @param endpoint the endpoint's name
     * @param sslBundle the SSL bundle's name
     */
    public SocketEndpointConnectionDetails connectionDetails(String endpoint, String sslBundle) {
        return () -> Map.of(endpoint, Address.tcp(host(), port()).withSslBundle(sslBundle));
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        this.startedForClass = true;
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (!this.startedForClass) {
            start();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (!this.startedForClass) {
            stop();
        }
    }

    @Override
    public void close() {
        stop();
    }

    private void acceptLoop(ServerSocket socket) {
        while (!socket.isClosed()) {
            try {
                Socket connection = socket.accept();
                CompletableFuture<Void> fence = this.fences.remove(connection.getRemoteSocketAddress());
                if (fence != null) {
                    // dropConnections()' probe: everything queued before it is taken
                    closeQuietly(connection);
                    fence.complete(null);
                    continue;
                }
                connection.setSoTimeout(READ_TIMEOUT_MILLIS);
                this.connections.add(connection);
                this.accepted.incrementAndGet();
                Thread worker = new Thread(() -> serve(connection), "socket-test-server-connection");
                worker.setDaemon(true);
                worker.start();
            }
            catch (IOException ex) {
                // closed by stop()
            }
        }
    }

    private void serve(Socket connection) {
        try (connection) {
            if (connection instanceof SSLSocket tls) {
                tls.startHandshake();
            }
            InputStream in = connection.getInputStream();
            OutputStream out = connection.getOutputStream();
            if (this.echo) {
                byte[] buffer = new byte[8192];
                int read;
                while ((read = in.read(buffer)) != -1) {
                    out.write(buffer, 0, read);
                    out.flush();
                }
                return;
            }
            List<Byte> line = new ArrayList<>();
            int b;
            while ((b = in.read()) != -1) {
                if (b != '\n') {
                    line.add((byte) b);
                    continue;
                }
                byte[] bytes = new byte[line.size()];
                for (int i = 0; i < bytes.length; i++) {
                    bytes[i] = line.get(i);
                }
                line.clear();
                String request = new String(bytes, StandardCharsets.UTF_8);
                if (request.endsWith("\r")) {
                    request = request.substring(0, request.length() - 1);
                }
                String reply = this.replies.apply(request);
                if (reply != null) {
                    out.write(reply.getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            }
        }
        catch (IOException ex) {
            // the client went away, the connection was dropped, or the server stopped
        }
        finally {
            this.connections.remove(connection);
        }
    }

    private static void sleep(long millis) throws InterruptedIOException {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to bind the test server again");
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        }
        catch (Exception ex) {
            // already closed
        }
    }

}
