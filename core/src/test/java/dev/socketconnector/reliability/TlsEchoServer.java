package dev.socketconnector.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

import dev.socketconnector.PkiFixture;
import dev.socketconnector.TlsOptions;

/**
 * A TLS echo peer on 127.0.0.1 made with the JDK's {@code SSLServerSocket} and the test
 * PKI's server certificate: one thread per connection reads, hashes (SHA-256) and writes
 * back, then on the client's close_notify/FIN records the connection's
 * {@link EchoServer.Result}.
 */
public final class TlsEchoServer implements AutoCloseable {

    private final SSLServerSocket server;

    private final BlockingQueue<EchoServer.Result> results = new LinkedBlockingQueue<>();

    private final boolean sink;

    private final java.util.concurrent.CountDownLatch gate;

    private TlsEchoServer(SSLServerSocket server, boolean sink, java.util.concurrent.CountDownLatch gate) {
        this.server = server;
        this.sink = sink;
        this.gate = gate;
        Thread acceptor = new Thread(this::accept, "tls-echo-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Starts the server with {@code server.crt}/{@code server.key} of the PKI. */
    public static TlsEchoServer start(PkiFixture pki) throws Exception {
        return start(pki, false, new java.util.concurrent.CountDownLatch(0));
    }

    /**
     * Starts a server that completes the handshake, then reads nothing until {@code gate}
     * opens; a sink only reads and hashes, it sends nothing back.
     */
    public static TlsEchoServer start(PkiFixture pki, boolean sink, java.util.concurrent.CountDownLatch gate)
            throws Exception {
        TlsOptions material = TlsOptions.builder().cert(pki.file("server.crt")).key(pki.file("server.key")).build();
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        char[] password = "echo".toCharArray();
        store.setKeyEntry("server", material.key(), password, material.cert().toArray(new X509Certificate[0]));
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        SSLServerSocket server = (SSLServerSocket) context.getServerSocketFactory().createServerSocket();
        server.bind(new InetSocketAddress("127.0.0.1", 0), 50);
        return new TlsEchoServer(server, sink, gate);
    }

    /** Returns the port. */
    public int port() {
        return this.server.getLocalPort();
    }

    /** Waits for the next finished connection's result. */
    public EchoServer.Result awaitResult(long seconds) throws InterruptedException {
        EchoServer.Result result = this.results.poll(seconds, TimeUnit.SECONDS);
        if (result == null) {
            throw new AssertionError("no TLS echo connection finished within " + seconds + " s");
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

    private void accept() {
        while (!this.server.isClosed()) {
            try {
                SSLSocket socket = (SSLSocket) this.server.accept();
                Thread echo = new Thread(() -> echo(socket), "tls-echo");
                echo.setDaemon(true);
                echo.start();
            }
            catch (IOException ex) {
                // closed
            }
        }
    }

    private void echo(SSLSocket socket) {
        MessageDigest digest = EchoServer.sha256();
        long bytes = 0;
        String failure = null;
        try (socket) {
            socket.startHandshake();
            if (!this.gate.await(60, TimeUnit.SECONDS)) {
                throw new IOException("the test never opened the gate");
            }
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            byte[] buffer = new byte[64 * 1024];
            int read;
            while ((read = in.read(buffer)) >= 0) {
                digest.update(buffer, 0, read);
                bytes += read;
                if (!this.sink) {
                    out.write(buffer, 0, read);
                }
            }
        }
        catch (SocketException ex) {
            failure = ex.toString();
        }
        catch (IOException ex) {
            failure = ex.toString();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            failure = ex.toString();
        }
        this.results.add(new EchoServer.Result(bytes, digest.digest(), failure));
    }

    @Override
    public void close() throws IOException {
        this.server.close();
    }

}
