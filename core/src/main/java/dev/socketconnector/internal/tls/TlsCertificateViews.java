package dev.socketconnector.internal.tls;

import dev.socketconnector.PeerCertificate;
import org.jspecify.annotations.Nullable;

/**
 * A connection's {@code getCertificate()} and {@code getPeerCertificate(detailed)}
 * answers, built on first use from the handshake's snapshot and kept. Any thread: a race
 * builds an equal value twice.
 */
final class TlsCertificateViews {

    private volatile @Nullable PeerCertificate peer;

    private volatile @Nullable PeerCertificate peerDetailed;

    private volatile @Nullable PeerCertificate local;

    /**
     * {@return our certificate's view, or null before the handshake or without a client
     * certificate}
     * @param taken the connection's snapshot, or null
     */
    @Nullable PeerCertificate local(@Nullable TlsSnapshot taken) {
        if (taken == null || taken.localChain() == null || taken.localChain().isEmpty()) {
            return null;
        }
        PeerCertificate certificate = this.local;
        if (certificate == null) {
            certificate = TlsPeerCertificates.of(taken.localChain().get(0));
            this.local = certificate;
        }
        return certificate;
    }

    /**
     * {@return the peer's certificate view (with its issuer chain when detailed), or null
     * when none}
     * @param taken the connection's snapshot, or null
     * @param detailed whether to include the issuer chain
     */
    @Nullable PeerCertificate peer(@Nullable TlsSnapshot taken, boolean detailed) {
        if (taken == null || taken.peerChain().isEmpty()) {
            return null;
        }
        if (detailed) {
            PeerCertificate certificate = this.peerDetailed;
            if (certificate == null) {
                certificate = TlsPeerCertificates.detailed(taken.verifiedPath());
                this.peerDetailed = certificate;
            }
            return certificate;
        }
        PeerCertificate certificate = this.peer;
        if (certificate == null) {
            certificate = TlsPeerCertificates.of(taken.peerChain().get(0));
            this.peer = certificate;
        }
        return certificate;
    }

}
