package dev.socketconnector.internal.tls;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

import dev.socketconnector.CipherNameAndProtocol;
import dev.socketconnector.EphemeralKeyInfo;
import dev.socketconnector.PeerCertificate;
import dev.socketconnector.TlsAuthorizationException;
import dev.socketconnector.TlsProvider;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.CipherSuiteConverter;
import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.handler.ssl.SslHandler;
import io.netty.internal.tcnative.SSL;
import io.netty.util.concurrent.Future;
import org.jspecify.annotations.Nullable;

/**
 * One connection's TLS: hands out the sniffer and the {@code SslHandler}, verifies the
 * peer during the handshake (through the context's {@link TlsTrustManager}), takes a
 * snapshot of what the handshake negotiated and implements every TLS member of
 * {@code Socket} on it. Loop methods run on the channel's event loop; getters read the
 * published snapshot from any thread.
 */
final class TlsChannelConnection implements TlsConnection {

    private final TlsConnections.Context context;

    private final @Nullable String host;

    private final int port;

    private final String checkName;

    private final @Nullable String sniName;

    private final boolean rejectUnauthorized;

    private final ByteBufAllocator alloc;

    private final TlsSniffer sniffer = new TlsSniffer();

    private final TlsSecrets secrets = new TlsSecrets();

    private final Tls13ServerRecords serverRecords = new Tls13ServerRecords(this.sniffer, this.secrets);

    private @Nullable SslHandler handler;

    private @Nullable Channel channel;

    private long sslPointer;

    private volatile @Nullable TlsSnapshot snapshot;

    private final TlsCertificateViews certificates = new TlsCertificateViews();

    /**
     * TLS 1.3 with the key log: the shared sigalgs are read from the encrypted
     * CertificateRequest when first asked ({@link #sharedSigalgs13}), not at the
     * handshake. Written before the snapshot is published.
     */
    private boolean sigalgsDeferred;

    /** The deferred shared sigalgs once read; guarded by {@link #serverRecords}. */
    private @Nullable List<String> sharedSigalgs13;

    private volatile boolean disposed;

    /**
     * How many handshakes (the first and each renegotiation) had the server's chain
     * verified.
     */
    private volatile int verifications;

    /**
     * The verdict reached during the (last) handshake by the trust manager, or null when
     * none ran (resumed, or deferred: {@code rejectUnauthorized} false).
     */
    private volatile TlsVerifier.@Nullable Result verification;

    /**
     * When the trust manager last saw the server's chain without verifying it
     * ({@code rejectUnauthorized} false), in epoch milliseconds; 0 when it did not. A
     * deferred verdict is reached as of that instant.
     */
    private volatile long chainSeenAtMillis;

    /** This connection's verdict once the handshake completed (tests). */
    private volatile @Nullable TlsVerdict verdict;

    TlsChannelConnection(TlsConnections.Context context, @Nullable String host, int port, @Nullable String serverName,
            boolean rejectUnauthorized, ByteBufAllocator alloc) {
        this.context = context;
        this.host = host;
        this.port = port;
        this.checkName = (serverName != null) ? serverName : (host != null) ? host : "localhost";
        this.sniName = TlsHostnames.isIpLiteral(this.checkName) ? null : this.checkName;
        this.rejectUnauthorized = rejectUnauthorized;
        this.alloc = alloc;
        this.sniffer.keepRecords(context.keyLog());
    }

    /**
     * How many handshakes verified the server's chain (tests: a renegotiation verifies
     * again).
     */
    int verifications() {
        return this.verifications;
    }

    /** This connection's secrets (tests: zeroed on close). */
    TlsSecrets secrets() {
        return this.secrets;
    }

    /** This connection's TLS 1.3 server records (tests: read lazily). */
    Tls13ServerRecords serverRecords() {
        return this.serverRecords;
    }

    /** This connection's sniffer (tests: what it keeps). */
    TlsSniffer sniffer() {
        return this.sniffer;
    }

    TlsProvider provider() {
        return this.context.provider();
    }

    @Override
    public Handlers handlers(Channel channel) {
        SslHandler sslHandler = (this.host != null)
                ? this.context.sslContext().newHandler(this.alloc, this.host, this.port)
                : this.context.sslContext().newHandler(this.alloc);
        sslHandler.setHandshakeTimeoutMillis(0);
        SSLEngine engine = sslHandler.engine();
        if (this.sniName != null) {
            try {
                SSLParameters parameters = engine.getSSLParameters();
                parameters.setServerNames(List.of(new SNIHostName(this.sniName)));
                engine.setSSLParameters(parameters);
            }
            catch (IllegalArgumentException ex) {
                // not a valid SNI host name (e.g. with an underscore): Node sends none
                // either
            }
        }
        if (this.context.keyLog() && engine instanceof ReferenceCountedOpenSslEngine openSsl) {
            synchronized (openSsl) {
                this.sslPointer = openSsl.sslPointer();
            }
            TlsKeyLog.register(this.sslPointer, this.secrets);
        }
        this.context.trustManager().register(engine, this);
        this.handler = sslHandler;
        this.channel = channel;
        this.sniffer.onServerRecord(this::serverRecordKept);
        return new Handlers(this.sniffer, sslHandler);
    }

    /**
     * Verifies the server's chain during the handshake (called by {@link TlsTrustManager}
     * on the thread running the engine's handshake tasks, the event loop) and keeps the
     * verdict. With {@code rejectUnauthorized} false nothing here needs the verdict: only
     * the instant is noted, and the chain is verified as of it when the handshake
     * completes with a callback that takes the error, or when a member first asks.
     * @param chain the chain the server sent, leaf first
     * @return the error that must abort the handshake ({@code rejectUnauthorized} true),
     * or null to go on
     */
    @Nullable TlsAuthorizationException verifyDuringHandshake(List<X509Certificate> chain) {
        this.verifications++;
        if (!this.rejectUnauthorized) {
            this.verification = null;
            this.chainSeenAtMillis = System.currentTimeMillis();
            return null;
        }
        TlsVerifier.Result result = this.context.verifier().verify(chain, this.checkName);
        this.verification = result;
        return result.error();
    }

    /** This connection's verifier (tests: whether it has loaded its trust anchors). */
    TlsVerifier verifier() {
        return this.context.verifier();
    }

    /** This connection's verdict, or null before the handshake completed (tests). */
    @Nullable TlsVerdict verdict() {
        return this.verdict;
    }

    @Override
    public @Nullable Throwable handshakeCompleted(ChannelHandlerContext ctx) {
        try {
            return completed();
        }
        catch (RuntimeException | LinkageError ex) {
            TlsAuthorizationException error = new TlsAuthorizationException("EPROTO",
                    "TLS handshake could not be inspected: " + ex, ex);
            if (this.snapshot == null) {
                this.snapshot = TlsSnapshot.failed(error);
            }
            return error;
        }
    }

    private @Nullable Throwable completed() {
        SslHandler sslHandler = this.handler;
        if (sslHandler == null) {
            throw new IllegalStateException("handlers(channel) was not called");
        }
        SSLEngine engine = sslHandler.engine();
        SSLSession session = engine.getSession();
        String version = session.getProtocol();
        String suite = session.getCipherSuite();
        boolean tls13 = "TLSv1.3".equals(version);
        List<X509Certificate> peer = new ArrayList<>();
        try {
            for (Certificate certificate : session.getPeerCertificates()) {
                if (certificate instanceof X509Certificate x509) {
                    peer.add(x509);
                }
            }
        }
        catch (SSLPeerUnverifiedException ex) {
            // no certificate: verification reports it
        }
        TlsVerifier.Result verification = this.verification;
        TlsVerdict verdict;
        if (verification != null && verification.sent().equals(peer)) {
            verdict = TlsVerdict.of(verification);
        }
        else if (this.rejectUnauthorized) {
            // a resumed session: no certificate check ran in this handshake; the chain
            // the session carries is checked here (a cache hit when the first connection
            // verified it)
            verdict = TlsVerdict.of(this.context.verifier().verify(peer, this.checkName));
        }
        else {
            // nothing refuses this peer: verified when first asked, as of the handshake
            long seenAt = this.chainSeenAtMillis;
            verdict = TlsVerdict.deferred(this.context.verifier(), peer, this.checkName,
                    (seenAt != 0) ? seenAt : System.currentTimeMillis());
        }
        List<X509Certificate> local = this.context.localChain();
        if (local == null && session.getLocalCertificates() != null) {
            local = new ArrayList<>();
            for (Certificate certificate : session.getLocalCertificates()) {
                if (certificate instanceof X509Certificate x509) {
                    local.add(x509);
                }
            }
        }
        String openSslName = null;
        Boolean reused = null;
        TlsSecrets.Finished12 finished12 = null;
        boolean natives = false;
        if (engine instanceof ReferenceCountedOpenSslEngine openSsl) {
            synchronized (openSsl) {
                long ssl = openSsl.sslPointer();
                if (ssl != 0) {
                    natives = true;
                    openSslName = SSL.getCipherForSSL(ssl);
                    reused = SSL.isSessionReused(ssl);
                    if (!tls13) {
                        byte[] master = SSL.getMasterKey(ssl);
                        if (master != null) {
                            try {
                                finished12 = TlsSecrets.finished12(suite, master, this.sniffer.transcript);
                            }
                            finally {
                                // the secrets own (and zero on close) this copy, even
                                // when the Finished failed
                                this.secrets.put(TlsSecrets.MASTER, master);
                            }
                        }
                    }
                }
            }
        }
        if (openSslName == null) {
            openSslName = CipherSuiteConverter.toOpenSsl(suite, false);
        }
        // TLS 1.3 with the key log: the CertificateRequest is encrypted; its sigalgs are
        // read when getSharedSigalgs() first asks (Tls13ServerRecords)
        boolean deferSigalgs = tls13 && this.context.keyLog();
        TlsHandshakeFacts facts = this.sniffer.facts.facts();
        if (reused == null) {
            reused = facts.resumed();
        }
        List<String> sigalgs = deferSigalgs ? List.of()
                : TlsNames.sharedSigalgs(facts.clientSigalgs(), facts.certificateRequestSigalgs());
        if (tls13 && !this.context.keyLog() && local != null && session instanceof ExtendedSSLSession extended) {
            sigalgs = TlsNames.jdkSigalgs(extended.getPeerSupportedSignatureAlgorithms());
        }
        // the EphemeralKeyInfo (a name lookup, a format for an unknown group) is made
        // when first asked
        TlsSnapshot.KeyExchange keyInfo = TlsSnapshot.KeyExchange.of(facts, tls13, reused);
        TlsSnapshot taken = new TlsSnapshot(version,
                new CipherNameAndProtocol((openSslName != null) ? openSslName : suite, suite,
                        TlsNames.cipherVersion(suite)),
                (sslHandler.applicationProtocol() != null) ? sslHandler.applicationProtocol() : "", reused, keyInfo,
                sigalgs, finished12, tls13 ? null : facts.ticket12(), verdict, List.copyOf(peer),
                (local != null) ? List.copyOf(local) : null, facts.clientRandom(), facts.serverRandom(), session,
                natives);
        this.sigalgsDeferred = deferSigalgs;
        this.verdict = verdict;
        this.snapshot = taken;
        // TLS 1.2 keeps a header-only reader for disableRenegotiation(), so both
        // providers refuse the same way.
        this.sniffer.handshakeDone(true);
        return verdict.reached() ? verdict.error() : null;
    }

    /**
     * A TLS 1.3 server record was kept after the handshake. Past
     * {@link Tls13ServerRecords#LAZY_BYTES} the kept records are decrypted now (to find
     * the ticket, then dropped); at {@link Tls13ServerRecords#LAZY_RECORDS} no more are
     * kept, and those kept wait for a getter. Loop.
     */
    private void serverRecordKept() {
        if (this.serverRecords.tooManyBytes()) {
            decryptServerRecords();
        }
        else if (this.serverRecords.recordsFull()) {
            this.sniffer.keepNoMore();
        }
    }

    /**
     * Decrypts the kept TLS 1.3 server records for a member that needs them, on the
     * caller's thread; nothing once the socket has closed (they were wiped).
     */
    private void readServerRecords(TlsSnapshot taken) {
        if (!this.disposed && !this.serverRecords.finished()) {
            this.serverRecords.decrypt(taken.cipher().standardName(), true);
        }
    }

    /** Decrypts kept TLS 1.3 server records with the key log secrets (loop only). */
    private void decryptServerRecords() {
        TlsSnapshot taken = this.snapshot;
        SSLEngine engine = (this.handler != null) ? this.handler.engine() : null;
        String suiteName = (taken != null) ? taken.cipher().standardName()
                : (engine != null) ? engine.getSession().getCipherSuite() : null;
        this.serverRecords.decrypt(suiteName, taken != null);
    }

    @Override
    public Throwable handshakeFailed(Throwable cause) {
        return TlsHandshakeErrors.of(cause, this.verification, this.rejectUnauthorized);
    }

    @Override
    public boolean rejectUnauthorized() {
        return this.rejectUnauthorized;
    }

    @Override
    public boolean outboundClosed() {
        SslHandler sslHandler = this.handler;
        if (sslHandler == null) {
            return true;
        }
        javax.net.ssl.SSLEngine engine = sslHandler.engine();
        // the OpenSSL engine answers close_notify at once and closes its output;
        // isOutboundDone() may still be
        // false while that answer sits unflushed in its buffer
        return engine.isOutboundDone()
                || (engine instanceof io.netty.handler.ssl.ReferenceCountedOpenSslEngine && engine.isInboundDone());
    }

    @Override
    public Future<?> closeOutbound(ChannelHandlerContext ctx) {
        SslHandler sslHandler = this.handler;
        if (sslHandler == null || ctx.pipeline().get(SslHandler.class) == null) {
            return ctx.newSucceededFuture();
        }
        return sslHandler.closeOutbound(ctx.newPromise());
    }

    @Override
    public void dispose() {
        this.disposed = true;
        SslHandler sslHandler = this.handler;
        if (sslHandler != null) {
            this.context.trustManager().unregister(sslHandler.engine());
        }
        if (this.sslPointer != 0) {
            TlsKeyLog.unregister(this.sslPointer, this.secrets);
        }
        // after a getter's thread has finished decrypting, if one is
        synchronized (this.serverRecords) {
            this.secrets.wipe();
            this.sniffer.wipeRecords();
            this.serverRecords.wipe();
        }
    }

    // ---- members ----

    @Override
    public @Nullable String alpnProtocol() {
        TlsSnapshot taken = this.snapshot;
        return (taken != null) ? taken.alpn() : null;
    }

    @Override
    public boolean authorized() {
        TlsSnapshot taken = this.snapshot;
        return taken != null && taken.session() != null && taken.authorizationError() == null;
    }

    @Override
    public @Nullable Throwable getAuthorizationError() {
        TlsSnapshot taken = this.snapshot;
        return (taken != null) ? taken.authorizationError() : null;
    }

    @Override
    public @Nullable PeerCertificate getCertificate() {
        return this.certificates.local(this.snapshot);
    }

    @Override
    public @Nullable PeerCertificate getPeerCertificate(boolean detailed) {
        return this.certificates.peer(this.snapshot, detailed);
    }

    @Override
    public @Nullable X509Certificate getPeerX509Certificate() {
        TlsSnapshot taken = this.snapshot;
        return (taken == null || taken.peerChain().isEmpty()) ? null : taken.peerChain().get(0);
    }

    @Override
    public @Nullable X509Certificate getX509Certificate() {
        TlsSnapshot taken = this.snapshot;
        return (taken == null || taken.localChain() == null || taken.localChain().isEmpty()) ? null
                : taken.localChain().get(0);
    }

    @Override
    public @Nullable CipherNameAndProtocol getCipher() {
        TlsSnapshot taken = this.snapshot;
        return (taken != null) ? taken.cipher() : null;
    }

    @Override
    public @Nullable EphemeralKeyInfo getEphemeralKeyInfo() {
        TlsSnapshot taken = this.snapshot;
        return (taken != null) ? taken.ephemeralKeyInfo() : null;
    }

    @Override
    public @Nullable List<String> getSharedSigalgs() {
        TlsSnapshot taken = this.snapshot;
        if (taken == null || !this.sigalgsDeferred) {
            return (taken != null) ? taken.sharedSigalgs() : null;
        }
        synchronized (this.serverRecords) {
            if (this.sharedSigalgs13 == null) {
                readServerRecords(taken);
                if (!this.disposed || this.serverRecords.handshakeRead()) {
                    TlsHandshakeFacts facts = this.sniffer.facts.facts();
                    this.sharedSigalgs13 = TlsNames.sharedSigalgs(facts.clientSigalgs(),
                            facts.certificateRequestSigalgs());
                }
            }
            // null after close when never asked while open: the records were wiped
            return this.sharedSigalgs13;
        }
    }

    @Override
    public byte @Nullable [] getTLSFinishedMessage() {
        return finished(true);
    }

    @Override
    public byte @Nullable [] getTLSPeerFinishedMessage() {
        return finished(false);
    }

    private byte @Nullable [] finished(boolean own) {
        TlsSnapshot taken = this.snapshot;
        if (taken == null || taken.tls13()) {
            return null;
        }
        TlsSecrets.Finished12 finished12 = taken.finished12();
        byte[] value = (finished12 == null) ? null : own ? finished12.client() : finished12.server();
        if (value == null) {
            throw unsupported(own ? "getTLSFinishedMessage()" : "getTLSPeerFinishedMessage()",
                    "the JDK does not expose the TLS 1.2 master secret");
        }
        return value.clone();
    }

    @Override
    public byte @Nullable [] getTLSTicket() {
        TlsSnapshot taken = this.snapshot;
        if (taken == null) {
            return null;
        }
        if (!taken.tls13()) {
            return (taken.ticket12() != null) ? taken.ticket12().clone() : null;
        }
        if (!this.context.keyLog()) {
            throw unsupported("getTLSTicket()", "TLS 1.3 tickets are encrypted and the JDK has no key log");
        }
        byte[] ticket = this.serverRecords.ticket();
        if (ticket == null) {
            readServerRecords(taken);
            ticket = this.serverRecords.ticket();
        }
        return (ticket != null) ? ticket.clone() : null;
    }

    @Override
    public @Nullable String getTLSVersion() {
        TlsSnapshot taken = this.snapshot;
        return (taken != null) ? taken.version() : null;
    }

    @Override
    public boolean isSessionReused() {
        TlsSnapshot taken = this.snapshot;
        return taken != null && taken.reused();
    }

    @Override
    public byte @Nullable [] exportKeyingMaterial(int length, String label, byte @Nullable [] context) {
        return TlsExporter.export(this.snapshot, this.disposed, this.secrets, this.context.provider(), length, label,
                context);
    }

    private UnsupportedOperationException unsupported(String member, String why) {
        return TlsExporter.unsupported(this.context.provider(), member, why);
    }

    @Override
    public void disableRenegotiation() {
        runOnLoop(() -> {
            SslHandler sslHandler = this.handler;
            if (sslHandler != null && sslHandler.engine() instanceof ReferenceCountedOpenSslEngine openSsl) {
                synchronized (openSsl) {
                    long ssl = openSsl.sslPointer();
                    if (ssl != 0) {
                        try {
                            SSL.setRenegotiateMode(ssl, SSL.SSL_RENEGOTIATE_NEVER);
                        }
                        catch (Exception ex) {
                            this.sniffer.refuseRenegotiation();
                        }
                    }
                }
            }
            this.sniffer.refuseRenegotiation();
        });
    }

    @Override
    public boolean setMaxSendFragment(int size) {
        SslHandler sslHandler = this.handler;
        if (sslHandler == null || size < 512 || size > 16384) {
            return false;
        }
        runOnLoop(() -> sslHandler.setWrapDataSize(size));
        return true;
    }

    private void runOnLoop(Runnable task) {
        Channel ch = this.channel;
        if (ch == null || ch.eventLoop().inEventLoop()) {
            task.run();
        }
        else {
            ch.eventLoop().execute(task);
        }
    }

}
