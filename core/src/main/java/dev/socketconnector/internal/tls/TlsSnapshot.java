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
 * @param ephemeralKeyInfo the key exchange
 * @param sharedSigalgs the shared signature algorithms in Node's format
 * @param finished12 both sides' TLS 1.2 Finished, or null when the provider cannot
 * compute them (or TLS 1.3)
 * @param ticket12 the TLS 1.2 session ticket, or null
 * @param authorizationError why the peer is not authorized, or null
 * @param verifiedPath the chain from the peer's leaf to the trust anchor (or as sent)
 * @param peerChain the chain the peer sent
 * @param localChain our certificate chain, or null
 * @param clientRandom the client random from the wire
 * @param serverRandom the server random from the wire
 * @param session the engine's session (null only for a failed inspection)
 * @param natives whether BoringSSL natives supplied the master secret and key log
 */
record TlsSnapshot(@Nullable String version, CipherNameAndProtocol cipher, String alpn, boolean reused,
        EphemeralKeyInfo ephemeralKeyInfo, List<String> sharedSigalgs, TlsSecrets.@Nullable Finished12 finished12,
        byte @Nullable [] ticket12, @Nullable TlsAuthorizationException authorizationError,
        List<X509Certificate> verifiedPath, List<X509Certificate> peerChain, @Nullable List<X509Certificate> localChain,
        byte @Nullable [] clientRandom, byte @Nullable [] serverRandom, @Nullable SSLSession session, boolean natives) {

    /**
     * {@return whether the version is TLS 1.3}
     */
    boolean tls13() {
        return "TLSv1.3".equals(this.version);
    }

    static TlsSnapshot failed(TlsAuthorizationException error) {
        return new TlsSnapshot(null, new CipherNameAndProtocol(null, null, null), "", false, EphemeralKeyInfo.NONE,
                List.of(), null, null, error, List.of(), List.of(), null, null, null, null, false);
    }
}
