package dev.socketconnector.internal;

import java.security.cert.X509Certificate;
import java.util.List;

import dev.socketconnector.CipherNameAndProtocol;
import dev.socketconnector.EphemeralKeyInfo;
import dev.socketconnector.PeerCertificate;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.util.concurrent.Future;
import org.jspecify.annotations.Nullable;

/**
 * One connection's TLS: the handlers it adds to the pipeline, the handshake outcome, and every TLS member of
 * {@code Socket}. Created by {@link TlsConnections} for each connect; methods marked "loop" run on the
 * channel's event loop, getters may be called from any thread.
 */
interface TlsConnection {

    /**
     * Adds the TLS handlers ({@link PipelineNames#TLS} and anything that must sit before it) at the head of the
     * pipeline, before {@link PipelineNames#EVENTS}. Loop.
     * @param pipeline the new channel's pipeline
     */
    void addTo(ChannelPipeline pipeline);

    /**
     * Called when the SslHandler reports a completed handshake: verifies the peer (chain and host name) and
     * records the outcome. Never throws. Loop.
     * @param ctx the events handler's context
     * @return the authorization error (a {@code TlsAuthorizationException}), or null when authorized
     */
    @Nullable
    Throwable handshakeCompleted(ChannelHandlerContext ctx);

    /**
     * Maps a failed handshake's cause to the error handed to {@code handshake(false, err)} and the connect
     * future: a {@code TlsAuthorizationException} with Node's code ({@code EPROTO} for protocol failures).
     * Loop.
     * @param cause the SslHandler's failure
     * @return the error
     */
    Throwable handshakeFailed(Throwable cause);

    /** Returns whether an unauthorized peer must be refused. */
    boolean rejectUnauthorized();

    /**
     * Sends close_notify, so the session stays resumable; the FIN follows when the returned future is done.
     * Loop.
     * @param ctx the events handler's context
     * @return a future done once close_notify is written (or failed)
     */
    Future<?> closeOutbound(ChannelHandlerContext ctx);

    /**
     * Whether the engine can no longer send application data: after the peer's close_notify, Netty's OpenSSL
     * engine closes both directions (the JDK's keeps its output open). Loop.
     * @return true if writes can no longer be sent
     */
    boolean outboundClosed();

    /** Wipes secrets kept for the exporter; called once when the channel closes. Loop. */
    void dispose();

    @Nullable
    String alpnProtocol();

    boolean authorized();

    @Nullable
    Throwable getAuthorizationError();

    @Nullable
    PeerCertificate getCertificate();

    @Nullable
    PeerCertificate getPeerCertificate(boolean detailed);

    @Nullable
    X509Certificate getPeerX509Certificate();

    @Nullable
    X509Certificate getX509Certificate();

    @Nullable
    CipherNameAndProtocol getCipher();

    @Nullable
    EphemeralKeyInfo getEphemeralKeyInfo();

    @Nullable
    List<String> getSharedSigalgs();

    byte @Nullable [] getTLSFinishedMessage();

    byte @Nullable [] getTLSPeerFinishedMessage();

    byte @Nullable [] getTLSTicket();

    @Nullable
    String getTLSVersion();

    boolean isSessionReused();

    byte @Nullable [] exportKeyingMaterial(int length, String label, byte @Nullable [] context);

    void disableRenegotiation();

    boolean setMaxSendFragment(int size);
}
