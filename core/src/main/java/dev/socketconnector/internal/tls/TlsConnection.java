package dev.socketconnector.internal.tls;

import java.security.cert.X509Certificate;
import java.util.List;

import dev.socketconnector.CipherNameAndProtocol;
import dev.socketconnector.EphemeralKeyInfo;
import dev.socketconnector.PeerCertificate;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ImmediateEventExecutor;
import org.jspecify.annotations.Nullable;

/**
 * One connection's TLS: the handlers it adds to the pipeline, the handshake outcome, and
 * every TLS member of {@code Socket}. Created by {@link TlsConnections} for each connect;
 * methods marked "loop" run on the channel's event loop, getters may be called from any
 * thread.
 */
public interface TlsConnection {

    /**
     * A plain socket's answers: no handlers, nothing to verify or close, and what Bun
     * returns for a plain socket from each TLS member (null, false; the setters do
     * nothing). Lets the socket code treat every socket alike.
     */
    TlsConnection PLAIN = new TlsConnection() {

        @Override
        public Handlers handlers(Channel channel) {
            throw new UnsupportedOperationException("a plain connection has no TLS handlers");
        }

        @Override
        public @Nullable Throwable handshakeCompleted(ChannelHandlerContext ctx) {
            return null;
        }

        @Override
        public Throwable handshakeFailed(Throwable cause) {
            return cause;
        }

        @Override
        public boolean rejectUnauthorized() {
            return false;
        }

        @Override
        public Future<?> closeOutbound(ChannelHandlerContext ctx) {
            return ImmediateEventExecutor.INSTANCE.newSucceededFuture(null);
        }

        @Override
        public boolean outboundClosed() {
            return false;
        }

        @Override
        public void dispose() {
        }

        @Override
        public @Nullable String alpnProtocol() {
            return null;
        }

        @Override
        public boolean authorized() {
            return false;
        }

        @Override
        public @Nullable Throwable getAuthorizationError() {
            return null;
        }

        @Override
        public @Nullable PeerCertificate getCertificate() {
            return null;
        }

        @Override
        public @Nullable PeerCertificate getPeerCertificate(boolean detailed) {
            return null;
        }

        @Override
        public @Nullable X509Certificate getPeerX509Certificate() {
            return null;
        }

        @Override
        public @Nullable X509Certificate getX509Certificate() {
            return null;
        }

        @Override
        public @Nullable CipherNameAndProtocol getCipher() {
            return null;
        }

        @Override
        public @Nullable EphemeralKeyInfo getEphemeralKeyInfo() {
            return null;
        }

        @Override
        public @Nullable List<String> getSharedSigalgs() {
            return null;
        }

        @Override
        public byte @Nullable [] getTLSFinishedMessage() {
            return null;
        }

        @Override
        public byte @Nullable [] getTLSPeerFinishedMessage() {
            return null;
        }

        @Override
        public byte @Nullable [] getTLSTicket() {
            return null;
        }

        @Override
        public @Nullable String getTLSVersion() {
            return null;
        }

        @Override
        public boolean isSessionReused() {
            return false;
        }

        @Override
        public byte @Nullable [] exportKeyingMaterial(int length, String label, byte @Nullable [] context) {
            return null;
        }

        @Override
        public void disableRenegotiation() {
        }

        @Override
        public boolean setMaxSendFragment(int size) {
            return false;
        }

        @Override
        public String toString() {
            return "TlsConnection.PLAIN";
        }

    };

    /**
     * Creates this connection's handlers for a new channel, in pipeline order (head
     * first): the record sniffer, then the {@code SslHandler}. The connector adds them
     * under its names, before the events handler. Called once, before the channel is
     * registered.
     * @param channel the new channel
     * @return the handlers, head first
     */
    Handlers handlers(Channel channel);

    /**
     * A connection's handlers, in pipeline order.
     *
     * @param sniffer reads the TLS records before the {@code SslHandler} does (handshake
     * introspection)
     * @param ssl the {@code SslHandler}
     */
    record Handlers(ChannelHandler sniffer, ChannelHandler ssl) {
    }

    /**
     * Called when the SslHandler reports a completed handshake: records the outcome and
     * the peer's verdict (chain and host name), reached during the handshake when
     * {@link #rejectUnauthorized()}, else deferred until {@link #authorized()} or
     * {@link #getAuthorizationError()} first asks (so the handshake callback must ask
     * {@code getAuthorizationError()} when it takes the error). Never throws. Loop.
     * @param ctx the events handler's context
     * @return the authorization error (a {@code TlsAuthorizationException}), or null when
     * authorized or when the verdict is deferred
     */
    @Nullable Throwable handshakeCompleted(ChannelHandlerContext ctx);

    /**
     * Maps a failed handshake's cause to the error handed to
     * {@code handshake(false, err)} and the connect future: a
     * {@code TlsAuthorizationException} with Node's code ({@code EPROTO} for protocol
     * failures). Loop.
     * @param cause the SslHandler's failure
     * @return the error
     */
    Throwable handshakeFailed(Throwable cause);

    /** Returns whether an unauthorized peer must be refused. */
    boolean rejectUnauthorized();

    /**
     * Sends close_notify, so the session stays resumable; the FIN follows when the
     * returned future is done. Loop.
     * @param ctx the events handler's context
     * @return a future done once close_notify is written (or failed)
     */
    Future<?> closeOutbound(ChannelHandlerContext ctx);

    /**
     * Whether the engine can no longer send application data: after the peer's
     * close_notify, Netty's OpenSSL engine closes both directions (the JDK's keeps its
     * output open). Loop.
     * @return true if writes can no longer be sent
     */
    boolean outboundClosed();

    /** Wipes secrets kept for the exporter; called once when the channel closes. Loop. */
    void dispose();

    @Nullable String alpnProtocol();

    boolean authorized();

    @Nullable Throwable getAuthorizationError();

    @Nullable PeerCertificate getCertificate();

    @Nullable PeerCertificate getPeerCertificate(boolean detailed);

    @Nullable X509Certificate getPeerX509Certificate();

    @Nullable X509Certificate getX509Certificate();

    @Nullable CipherNameAndProtocol getCipher();

    @Nullable EphemeralKeyInfo getEphemeralKeyInfo();

    @Nullable List<String> getSharedSigalgs();

    byte @Nullable [] getTLSFinishedMessage();

    byte @Nullable [] getTLSPeerFinishedMessage();

    byte @Nullable [] getTLSTicket();

    @Nullable String getTLSVersion();

    boolean isSessionReused();

    byte @Nullable [] exportKeyingMaterial(int length, String label, byte @Nullable [] context);

    void disableRenegotiation();

    boolean setMaxSendFragment(int size);

}
