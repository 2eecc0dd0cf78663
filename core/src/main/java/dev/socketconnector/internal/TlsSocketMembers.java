package dev.socketconnector.internal;

import java.security.cert.X509Certificate;
import java.util.List;

import dev.socketconnector.CipherNameAndProtocol;
import dev.socketconnector.EphemeralKeyInfo;
import dev.socketconnector.PeerCertificate;
import dev.socketconnector.Socket;
import dev.socketconnector.internal.tls.TlsConnection;
import org.jspecify.annotations.Nullable;

/**
 * The TLS members of {@link Socket}, each answered by the socket's {@link TlsConnection}:
 * the connection's own on a TLS socket, {@link TlsConnection#PLAIN} on a plain one (null,
 * false, no-op, as Bun answers for a plain socket). Getters are safe from any thread.
 *
 * @param <D> the type of the socket's data
 */
abstract class TlsSocketMembers<D> implements Socket<D> {

    /** Never null: {@link TlsConnection#PLAIN} on a plain socket. */
    final TlsConnection tls;

    TlsSocketMembers(TlsConnection tls) {
        this.tls = tls;
    }

    /** Whether this socket runs TLS. */
    final boolean isTls() {
        return this.tls != TlsConnection.PLAIN;
    }

    @Override
    public @Nullable String alpnProtocol() {
        return this.tls.alpnProtocol();
    }

    @Override
    public boolean authorized() {
        return this.tls.authorized();
    }

    @Override
    public @Nullable Throwable getAuthorizationError() {
        return this.tls.getAuthorizationError();
    }

    @Override
    public @Nullable PeerCertificate getCertificate() {
        return this.tls.getCertificate();
    }

    @Override
    public @Nullable PeerCertificate getPeerCertificate() {
        return getPeerCertificate(false);
    }

    @Override
    public @Nullable PeerCertificate getPeerCertificate(boolean detailed) {
        return this.tls.getPeerCertificate(detailed);
    }

    @Override
    public @Nullable X509Certificate getPeerX509Certificate() {
        return this.tls.getPeerX509Certificate();
    }

    @Override
    public @Nullable X509Certificate getX509Certificate() {
        return this.tls.getX509Certificate();
    }

    @Override
    public @Nullable CipherNameAndProtocol getCipher() {
        return this.tls.getCipher();
    }

    @Override
    public @Nullable EphemeralKeyInfo getEphemeralKeyInfo() {
        return this.tls.getEphemeralKeyInfo();
    }

    @Override
    public @Nullable List<String> getSharedSigalgs() {
        return this.tls.getSharedSigalgs();
    }

    @Override
    public byte @Nullable [] getTLSFinishedMessage() {
        return this.tls.getTLSFinishedMessage();
    }

    @Override
    public byte @Nullable [] getTLSPeerFinishedMessage() {
        return this.tls.getTLSPeerFinishedMessage();
    }

    @Override
    public byte @Nullable [] getTLSTicket() {
        return this.tls.getTLSTicket();
    }

    @Override
    public @Nullable String getTLSVersion() {
        return this.tls.getTLSVersion();
    }

    @Override
    public boolean isSessionReused() {
        return this.tls.isSessionReused();
    }

    @Override
    public byte @Nullable [] exportKeyingMaterial(int length, String label, byte @Nullable [] context) {
        return this.tls.exportKeyingMaterial(length, label, context);
    }

    @Override
    public void disableRenegotiation() {
        this.tls.disableRenegotiation();
    }

    @Override
    public boolean setMaxSendFragment(int size) {
        return this.tls.setMaxSendFragment(size);
    }

}
