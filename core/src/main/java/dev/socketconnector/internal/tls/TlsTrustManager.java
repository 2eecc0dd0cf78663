package dev.socketconnector.internal.tls;

import java.lang.reflect.Method;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

import dev.socketconnector.TlsAuthorizationException;
import org.jspecify.annotations.Nullable;

/**
 * The trust manager of one context: runs {@link TlsVerifier} (with its cache and Node's
 * codes) on the server's chain <b>during</b> the handshake, for both providers (the JDK
 * engine calls it directly, Netty's OpenSSL engine through its verify callback). Each
 * connection registers its engine, so the check uses that connection's name and
 * {@code rejectUnauthorized}: with {@code rejectUnauthorized} true a failure throws, the
 * engine aborts the handshake with a fatal alert, and the server never gets the client's
 * certificate nor any application byte; with false the handshake goes on and the
 * connection reports the failure. A renegotiation calls it again.
 * <p>
 * Runs on the thread that runs the engine's handshake tasks: the channel's event loop
 * (Netty runs delegated tasks there). Thread-safe.
 */
final class TlsTrustManager extends X509ExtendedTrustManager {

    private static final @Nullable Method UNWRAP = unwrapMethod();

    private final Map<SSLEngine, TlsChannelConnection> connections = new ConcurrentHashMap<>();

    /**
     * Registers the connection whose handshake runs on {@code engine} (and on the JDK
     * engine it wraps).
     */
    void register(SSLEngine engine, TlsChannelConnection connection) {
        this.connections.put(engine, connection);
        SSLEngine inner = unwrap(engine);
        if (inner != null && inner != engine) {
            this.connections.put(inner, connection);
        }
    }

    /** Forgets the connection's engines. */
    void unregister(SSLEngine engine) {
        this.connections.remove(engine);
        SSLEngine inner = unwrap(engine);
        if (inner != null) {
            this.connections.remove(inner);
        }
    }

    /** How many engines are registered (tests: none is left once sockets close). */
    int registered() {
        return this.connections.size();
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        TlsChannelConnection connection = this.connections.get(engine);
        if (connection == null) {
            throw new TlsAuthorizationException("UNABLE_TO_VERIFY_LEAF_SIGNATURE",
                    "the TLS handshake ran on an engine no connection registered", null);
        }
        TlsAuthorizationException refused = connection.verifyDuringHandshake(List.of(chain));
        if (refused != null) {
            throw refused;
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        throw new CertificateException("socket-connector verifies TLS peers on SSLEngine only");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("socket-connector verifies TLS peers on SSLEngine only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        throw new CertificateException("socket-connector is a TLS client: it does not verify clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        throw new CertificateException("socket-connector is a TLS client: it does not verify clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("socket-connector is a TLS client: it does not verify clients");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        // no certificate_authorities hint: the client sends none either way
        return new X509Certificate[0];
    }

    /**
     * Netty's JDK engine wrapper (ALPN) hands the JDK's own engine to the trust manager:
     * find it.
     */
    private static @Nullable SSLEngine unwrap(SSLEngine engine) {
        if (UNWRAP == null || !UNWRAP.getDeclaringClass().isInstance(engine)) {
            return null;
        }
        try {
            return (SSLEngine) UNWRAP.invoke(engine);
        }
        catch (ReflectiveOperationException | RuntimeException ex) {
            return null;
        }
    }

    private static @Nullable Method unwrapMethod() {
        try {
            Method method = Class.forName("io.netty.handler.ssl.JdkSslEngine").getMethod("getWrappedEngine");
            method.setAccessible(true);
            return method;
        }
        catch (ReflectiveOperationException | RuntimeException ex) {
            return null;
        }
    }

}
