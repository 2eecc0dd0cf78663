package dev.socketconnector.internal.tls;

import java.security.cert.X509Certificate;
import java.util.List;

import dev.socketconnector.TlsAuthorizationException;
import org.jspecify.annotations.Nullable;

/**
 * A connection's authorization verdict: reached during the handshake, or deferred until
 * first asked. A connection with {@code rejectUnauthorized} false whose handshake
 * callback does not take the error has nothing that needs the verdict during the
 * handshake, so its chain is verified when {@code authorized()},
 * {@code getAuthorizationError()} or {@code getPeerCertificate(true)} first asks, as of
 * the instant the handshake saw the chain: the same answer the handshake would have
 * given, open or closed (the chain and the verifier are plain Java objects). Any thread:
 * the first ask verifies, once.
 */
final class TlsVerdict {

    private final @Nullable TlsVerifier verifier;

    private final List<X509Certificate> chain;

    private final @Nullable String name;

    private final long atMillis;

    private volatile TlsVerifier.@Nullable Result result;

    private TlsVerdict(@Nullable TlsVerifier verifier, List<X509Certificate> chain, @Nullable String name,
            long atMillis, TlsVerifier.@Nullable Result result) {
        this.verifier = verifier;
        this.chain = chain;
        this.name = name;
        this.atMillis = atMillis;
        this.result = result;
    }

    /**
     * {@return a verdict already reached}
     */
    static TlsVerdict of(TlsVerifier.Result result) {
        return new TlsVerdict(null, List.of(), null, 0, result);
    }

    /**
     * {@return a verdict reached when first asked}
     * @param verifier the context's verifier
     * @param chain the chain the peer sent, leaf first
     * @param name the name to check the leaf against
     * @param atMillis the instant the handshake saw the chain, in epoch milliseconds
     */
    static TlsVerdict deferred(TlsVerifier verifier, List<X509Certificate> chain, @Nullable String name,
            long atMillis) {
        return new TlsVerdict(verifier, List.copyOf(chain), name, atMillis, null);
    }

    /**
     * Whether the chain was verified (tests: a deferred verdict waits for a question).
     */
    boolean reached() {
        return this.result != null;
    }

    /**
     * {@return the verdict, reached now if deferred}
     */
    TlsVerifier.Result result() {
        TlsVerifier.Result reached = this.result;
        if (reached == null) {
            synchronized (this) {
                reached = this.result;
                if (reached == null) {
                    TlsVerifier deferredTo = this.verifier;
                    if (deferredTo == null) {
                        throw new IllegalStateException("a verdict is either reached or has a verifier");
                    }
                    reached = deferredTo.verify(this.chain, this.name, this.atMillis);
                    this.result = reached;
                }
            }
        }
        return reached;
    }

    /**
     * {@return why the peer is not authorized, or null}
     */
    @Nullable TlsAuthorizationException error() {
        return result().error();
    }

    /**
     * {@return the chain from the peer's leaf to the trust anchor (or as sent)}
     */
    List<X509Certificate> path() {
        return result().path();
    }

}
