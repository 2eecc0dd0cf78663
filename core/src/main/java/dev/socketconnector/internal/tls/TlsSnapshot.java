package dev.socketconnector.internal.tls;

import java.security.cert.X509Certificate;
import java.util.List;

import javax.net.ssl.SSLSession;

import dev.socketconnector.CipherNameAndProtocol;
import dev.socketconnector.EphemeralKeyInfo;
import dev.socketconnector.TlsAuthorizationException;
import org.jspecify.annotations.Nullable;

/**
 * What one completed handshake negotiated, taken once on the event loop and then read
 * from any thread.
 *
 * @param version the protocol version ({@code "TLSv1.3"})
 * @param cipher the suite
 * @param alpn the ALPN protocol, {@code ""} when none
 * @param reused whether the session was resumed
 * @param keyExchange the key exchange as read off the wire; {@link #ephemeralKeyInfo()}
 * is derived from it when first asked, not at every handshake
 * @param sharedSigalgs the shared signature algorithms in Node's format
 * @param finished12 both sides' TLS 1.2 Finished, or null when the provider cannot
 * compute them (or TLS 1.3)
 * @param ticket12 the TLS 1.2 session ticket, or null
 * @param verdict the peer's authorization (why it is not authorized, the chain to the
 * trust anchor), reached during the handshake or when first asked
 * @param peerChain the chain the peer sent
 * @param localChain our certificate chain, or null
 * @param clientRandom the client random from the wire
 * @param serverRandom the server random from the wire
 * @param session the engine's session (null only for a failed inspection)
 * @param natives whether BoringSSL natives supplied the master secret and key log
 */
record TlsSnapshot(@Nullable String version, CipherNameAndProtocol cipher, String alpn, boolean reused,
        KeyExchange keyExchange, List<String> sharedSigalgs, TlsSecrets.@Nullable Finished12 finished12,
        byte @Nullable [] ticket12, TlsVerdict verdict, List<X509Certificate> peerChain,
        @Nullable List<X509Certificate> localChain, byte @Nullable [] clientRandom, byte @Nullable [] serverRandom,
        @Nullable SSLSession session, boolean natives) {

    /**
     * {@return whether the version is TLS 1.3}
     */
    boolean tls13() {
        return "TLSv1.3".equals(this.version);
    }

    /**
     * {@return why the peer is not authorized, or null} Verifies now when the verdict was
     * deferred.
     */
    @Nullable TlsAuthorizationException authorizationError() {
        return this.verdict.error();
    }

    /**
     * {@return the chain from the peer's leaf to the trust anchor when one was found,
     * else the chain as sent} Verifies now when the verdict was deferred.
     */
    List<X509Certificate> verifiedPath() {
        return this.verdict.path();
    }

    /**
     * {@return the key exchange in Node's {@code getEphemeralKeyInfo()} form}
     */
    EphemeralKeyInfo ephemeralKeyInfo() {
        return this.keyExchange.info();
    }

    static TlsSnapshot failed(TlsAuthorizationException error) {
        return new TlsSnapshot(null, new CipherNameAndProtocol(null, null, null), "", false, KeyExchange.NONE,
                List.of(), null, null, TlsVerdict.of(new TlsVerifier.Result(error, List.of())), List.of(), null, null,
                null, null, false);
    }

    /**
     * The key exchange facts {@link TlsNames#ephemeralKeyInfo} needs (plain values,
     * captured at the handshake, so the answer is the same while open and after close);
     * the {@link EphemeralKeyInfo} is made on the first call and kept. Thread-safe: a
     * race makes equal values.
     */
    static final class KeyExchange {

        static final KeyExchange NONE = new KeyExchange(false, false, -1, -1, -1);

        private final boolean tls13;

        private final boolean reused;

        private final int keyShareGroup;

        private final int serverKeyExchangeGroup;

        private final int dhBits;

        private volatile @Nullable EphemeralKeyInfo info;

        KeyExchange(boolean tls13, boolean reused, int keyShareGroup, int serverKeyExchangeGroup, int dhBits) {
            this.tls13 = tls13;
            this.reused = reused;
            this.keyShareGroup = keyShareGroup;
            this.serverKeyExchangeGroup = serverKeyExchangeGroup;
            this.dhBits = dhBits;
        }

        static KeyExchange of(TlsHandshakeFacts facts, boolean tls13, boolean reused) {
            return new KeyExchange(tls13, reused, facts.keyShareGroup(), facts.serverKeyExchangeGroup(),
                    facts.dhBits());
        }

        EphemeralKeyInfo info() {
            EphemeralKeyInfo value = this.info;
            if (value == null) {
                value = TlsNames.ephemeralKeyInfo(this.tls13, this.reused, this.keyShareGroup,
                        this.serverKeyExchangeGroup, this.dhBits);
                this.info = value;
            }
            return value;
        }

    }

}
