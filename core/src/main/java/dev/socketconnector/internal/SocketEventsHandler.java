package dev.socketconnector.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLException;

import dev.socketconnector.Socket;
import dev.socketconnector.SocketConnectException;
import dev.socketconnector.SocketHandler;
import dev.socketconnector.SocketObserver;
import dev.socketconnector.SocketTransportException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;
import org.jspecify.annotations.Nullable;

/**
 * Turns one channel's Netty events into {@link SocketHandler} calls in Bun's order, and
 * runs the socket's loop-side control: the connect outcome, flushing at the end of each
 * event-loop task, drain, end, shutdown, terminate and the timeout deadline. One instance
 * per channel; every field is confined to the channel's event loop, and no lock is held
 * while user code runs.
 *
 * @param <D> the type of the socket's data
 */
final class SocketEventsHandler<D> extends ChannelInboundHandlerAdapter {

    private static final InternalLogger logger = InternalLoggerFactory.getInstance(SocketEventsHandler.class);

    // the callbacks dispatch() runs: constants, so dispatching allocates nothing
    static final Callback OPEN = (handler, socket, none) -> handler.open(socket);

    static final Callback HANDSHAKE_OK = (handler, socket, error) -> handler.handshake(socket, true, (Throwable) error);

    static final Callback HANDSHAKE_FAILED = (handler, socket, error) -> handler.handshake(socket, false,
            (Throwable) error);

    private static final Callback DATA = (handler, socket, data) -> handler.data(socket,
            (byte[]) Objects.requireNonNull(data));

    private static final Callback END = (handler, socket, none) -> handler.end(socket);

    private static final Callback DRAIN = (handler, socket, none) -> handler.drain(socket);

    private static final Callback TIMEOUT = (handler, socket, none) -> handler.timeout(socket);

    private static final Callback CLOSE = (handler, socket, error) -> handler.close(socket, (Throwable) error);

    private final NettySocket<D> socket;

    private @Nullable ChannelHandlerContext ctx;

    /** The connect: deadline, failure, handshake outcome, open, the future. */
    private final ConnectAttempt<D> attempt;

    private @Nullable Throwable closeError;

    private boolean endFired;

    private boolean outputShutdownRequested;

    /** The peer's FIN or close_notify has come (or shutdown(true)): the input is done. */
    private boolean inputEnded;

    private boolean endRequested;

    private @Nullable ScheduledFuture<?> endDeadline;

    private boolean closeFired;

    private boolean activeSeen;

    /**
     * We closed the channel ourselves (end, terminate, timeout, error, failure), rather
     * than the peer.
     */
    private boolean localClose;

    /**
     * The peer's FIN came before any local end or close: for the close reason
     * ({@link CloseReasons}).
     */
    private boolean peerEndedFirst;

    /**
     * The {@code timeout(seconds)} deadline passed: for the close reason
     * ({@link CloseReasons}).
     */
    private boolean timeoutFired;

    /**
     * A TLS error after the handshake (bad record, alert) closed the socket: for the
     * close reason.
     */
    private boolean tlsFailed;

    private int dispatchDepth;

    private boolean inReadBatch;

    private @Nullable ScheduledFuture<?> timeout;

    SocketEventsHandler(NettySocket<D> socket) {
        this.socket = socket;
        this.attempt = new ConnectAttempt<>(socket, this);
    }

    // ---- connecting ----

    /** Starts the connect deadline; called on the loop once the channel is registered. */
    void connecting(CompletableFuture<Socket<D>> future, long startNanos, long timeoutNanos) {
        this.attempt.start(future, startNanos, timeoutNanos);
    }

    boolean connectDone() {
        return this.attempt.done();
    }

    /** The TCP or unix connect failed (or DNS did). Loop. */
    void connectFailed(Throwable cause) {
        this.attempt.failed(cause);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.socket.outbound.context(ctx);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        if (this.activeSeen) {
            // a connect that completes inside registration is reported twice by Netty
            // (connect and register0)
            return;
        }
        this.activeSeen = true;
        this.socket.cacheAddresses();
        if (this.attempt.active()) {
            ctx.fireChannelActive();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof SslHandshakeCompletionEvent handshake) {
            this.attempt.handshakeCompleted(ctx, handshake);
        }
        else if (event instanceof ChannelInputShutdownEvent) {
            peerEnded();
        }
        else if (event instanceof SslCloseCompletionEvent close) {
            if (close.isSuccess()) {
                // the peer's close_notify ends the stream as its FIN does, whichever
                // comes first (Node's rule)
                peerEnded();
            }
        }
        else {
            ReferenceCountUtil.release(event);
        }
    }

    // ---- reading ----

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf buffer)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (!this.attempt.opened() || this.socket.state() != NettySocket.OPEN) {
            // not delivered: before open, or a reply after our own end()/terminate()
            buffer.release();
            return;
        }
        int length = buffer.readableBytes();
        byte[] data = new byte[length];
        buffer.readBytes(data);
        buffer.release();
        this.socket.bytesRead += length;
        this.inReadBatch = true;
        dispatch(DATA, data);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        this.inReadBatch = false;
        afterDispatch();
        ctx.fireChannelReadComplete();
    }

    /**
     * The peer's FIN or (TLS) close_notify, whichever comes first; the second is ignored.
     * Loop.
     */
    private void peerEnded() {
        if (!this.attempt.opened()) {
            // a FIN before the TLS handshake has finished: the handshake fails
            // (ECONNRESET, as Node)
            closeChannel();
            return;
        }
        if (this.inputEnded) {
            return;
        }
        this.inputEnded = true;
        this.peerEndedFirst = !this.endRequested && !this.localClose;
        if (this.outputShutdownRequested || this.socket.outputClosed() || this.socket.state() != NettySocket.OPEN) {
            // Bun: after our own shutdown() the peer's FIN closes the socket without end;
            // both directions
            // are shut (or ours is being shut): close once what was accepted is flushed
            closeAfterFlush();
            return;
        }
        if (this.socket.tls.outboundClosed()) {
            // the engine closed both directions on the peer's close_notify (OpenSSL):
            // nothing more can be
            // sent, so write returns -1 from here on (also inside end) and the socket
            // closes after end
            this.socket.closeOutput();
            fireEnd();
            this.socket.advance(NettySocket.CLOSING);
            closeAfterFlush();
            return;
        }
        fireEnd();
        if (!this.socket.options.allowHalfOpen()) {
            this.socket.advance(NettySocket.CLOSING);
            closeAfterFlush();
        }
        // allowHalfOpen: stays open and writable; shutdown() or end() then closes it
    }

    private void fireEnd() {
        if (this.endFired) {
            return;
        }
        this.endFired = true;
        dispatch(END, null);
        afterDispatch();
    }

    // ---- writing: the write path is OutboundBuffer's; it asks here whether a callback
    // is running ----

    /**
     * Whether one of this socket's callbacks (or a read batch) is running: writes flush
     * when it ends. Loop.
     */
    boolean inCallback() {
        return this.dispatchDepth != 0 || this.inReadBatch;
    }

    /** Whether the socket has opened (open has fired). Loop. */
    boolean opened() {
        return this.attempt.opened();
    }

    /** Flushes what the callbacks wrote once the outermost one has returned. Loop. */
    void afterDispatch() {
        if (inCallback()) {
            return;
        }
        this.socket.outbound.callbacksDone();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            this.socket.outbound.checkDrain();
        }
        ctx.fireChannelWritabilityChanged();
    }

    /**
     * Calls the handler's drain; {@link OutboundBuffer#checkDrain()} decides when. Loop.
     */
    void fireDrain() {
        dispatch(DRAIN, null);
        afterDispatch();
    }

    // ---- ending and closing ----

    /**
     * Closes a socket whose end() or close-after-flush has not finished in time: the peer
     * has stopped reading. Terminates it with ETIMEDOUT as close's error, saying how much
     * was never sent. Loop.
     */
    private void armEndDeadline() {
        if (this.endDeadline != null || this.closeFired) {
            return;
        }
        Duration timeout = this.socket.connector.endTimeout();
        this.endDeadline = this.socket.loop.schedule(() -> {
            this.endDeadline = null;
            if (this.closeFired || this.socket.connector.isClosed()) {
                // a closing connector terminates its stragglers itself at its shutdown
                // timeout, with a WARN
                return;
            }
            long unsent = this.socket.outbound.unsentBytes();
            if (this.closeError == null) {
                this.closeError = new SocketTransportException("ETIMEDOUT", "write",
                        new IOException("the peer stopped reading: the socket did not finish closing within " + timeout
                                + " of end(), with about " + unsent + " bytes not sent"));
            }
            terminate();
        }, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * end(): FIN after everything accepted is flushed (close_notify first on TLS), then
     * close. Loop.
     */
    void endOutput() {
        assert this.socket.loop.inEventLoop();
        if (this.endRequested) {
            return;
        }
        this.endRequested = true;
        armEndDeadline();
        this.socket.outbound.afterAccepted(this::finishEnd);
    }

    private void finishEnd() {
        Runnable finAndClose = () -> {
            if (this.socket.channel instanceof DuplexChannel duplex && duplex.isActive()) {
                this.localClose = true;
                // FIN first: a bare close() with unread input would send only a reset
                duplex.shutdownOutput().addListener((ChannelFuture done) -> done.channel().close());
            }
            else {
                closeChannel();
            }
        };
        if (!this.socket.isTls() && !this.socket.outbound.flushPending() && this.socket.nettyPendingBytes() == 0) {
            // nothing left to send: no empty write to wait for
            finAndClose.run();
            return;
        }
        closeOutboundThen(finAndClose);
    }

    /**
     * shutdown(): FIN after pending writes; stays readable, unless the peer's FIN (or
     * close_notify) has already come: a socket with both directions shut closes. Loop.
     */
    void shutdownOutput() {
        assert this.socket.loop.inEventLoop();
        if (this.outputShutdownRequested) {
            return;
        }
        this.outputShutdownRequested = true;
        this.socket.outbound.afterAccepted(() -> closeOutboundThen(() -> {
            if (this.socket.channel instanceof DuplexChannel duplex && duplex.isActive()) {
                duplex.shutdownOutput().addListener((ChannelFuture done) -> {
                    if (this.inputEnded) {
                        this.localClose = true;
                        done.channel().close();
                    }
                });
            }
        }));
    }

    private void closeOutboundThen(Runnable action) {
        ChannelHandlerContext context = this.ctx;
        if (context == null || !this.socket.channel.isActive()) {
            closeChannel();
            return;
        }
        if (this.socket.isTls()) {
            this.socket.outbound.flushBefore(context);
            this.socket.tls.closeOutbound(context).addListener((future) -> action.run());
        }
        else {
            this.socket.outbound.flushAll(context).addListener((ChannelFuture done) -> action.run());
        }
    }

    /**
     * shutdown(true): a local EOF: end, then close (as Bun), in a task of its own. Loop.
     */
    void shutdownInput() {
        assert this.socket.loop.inEventLoop();
        if (this.closeFired || !this.attempt.opened()) {
            // called inside handshake: the socket never opens, so neither end nor close
            // fires for it
            return;
        }
        this.inputEnded = true;
        if (this.socket.channel instanceof DuplexChannel duplex && duplex.isActive()) {
            duplex.shutdownInput();
        }
        fireEnd();
        closeAfterFlush();
    }

    /**
     * Closes once every accepted byte has been flushed (close_notify first on TLS). Loop.
     */
    private void closeAfterFlush() {
        armEndDeadline();
        this.socket.outbound.afterAccepted(this::closeAfterFlushNow);
    }

    private void closeAfterFlushNow() {
        ChannelHandlerContext context = this.ctx;
        if (context != null && this.socket.channel.isActive()) {
            this.localClose = true;
            this.socket.outbound.flushAll(context).addListener((ChannelFuture done) -> done.channel().close());
        }
        else {
            closeChannel();
        }
    }

    /** terminate(): RST and close now, discarding pending writes. Loop. */
    void terminate() {
        assert this.socket.loop.inEventLoop();
        this.socket.outbound.cancelAfterAccepted();
        this.socket.discardQueue();
        if (!this.socket.unix && this.socket.channel.isOpen()) {
            try {
                this.socket.channel.config().setOption(ChannelOption.SO_LINGER, 0);
            }
            catch (RuntimeException ex) {
                logger.debug("SO_LINGER 0 not applied to {}", this.socket, ex);
            }
        }
        closeChannel();
    }

    /**
     * Closes the channel ourselves (close then fires from channelInactive or
     * channelUnregistered). Loop.
     */
    void closeChannel() {
        this.localClose = true;
        this.socket.channel.close();
    }

    /**
     * Returns the error close reported (read once the socket's closeFuture has
     * completed), or null.
     */
    @Nullable Throwable closeError() {
        return this.closeError;
    }

    /**
     * Sets close's error unless one is set already; the connector's shutdown uses it
     * before terminate. Loop.
     */
    void closeErrorIfNone(Throwable error) {
        assert this.socket.loop.inEventLoop();
        if (this.closeError == null) {
            this.closeError = error;
        }
    }

    void closeWithError(Throwable error) {
        if (this.closeError == null) {
            this.closeError = error;
        }
        closeChannel();
    }

    // ---- timeout ----

    void armTimeout(int seconds) {
        assert this.socket.loop.inEventLoop();
        if (this.timeout != null) {
            this.timeout.cancel(false);
            this.timeout = null;
        }
        if (seconds > 0 && this.socket.state() != NettySocket.CLOSED) {
            this.timeout = this.socket.loop.schedule(this::timeoutPassed, seconds, TimeUnit.SECONDS);
        }
    }

    private void timeoutPassed() {
        this.timeout = null;
        if (this.socket.state() == NettySocket.CLOSED || !this.attempt.opened()) {
            return;
        }
        this.timeoutFired = true;
        dispatch(TIMEOUT, null);
        afterDispatch();
        if (this.socket.state() != NettySocket.CLOSED) {
            this.socket.closeOutput();
            this.socket.advance(NettySocket.CLOSING);
            closeChannel();
        }
    }

    // ---- failures ----

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!this.attempt.opened()) {
            // before open the connect outcome (handshake event, close, timeout) reports
            // the failure
            logger.debug("Exception before open on {}", this.socket, cause);
            closeChannel();
            return;
        }
        if (this.socket.state() == NettySocket.CLOSED) {
            return;
        }
        // the socket is closing before error runs: a write there returns -1 (nothing
        // accepted is dropped)
        this.socket.closeOutput();
        this.socket.advance(NettySocket.CLOSING);
        if (isTlsFailure(cause)) {
            this.tlsFailed = true;
            Throwable error = this.socket.tls.handshakeFailed(cause);
            fireError(error);
            closeChannel();
        }
        else if (cause instanceof IOException) {
            SocketTransportException error = ErrorCodes.transportFailure(cause, "read");
            if (error != null && this.closeError == null) {
                this.closeError = error;
            }
            closeChannel();
        }
        else {
            fireError(cause);
            closeChannel();
        }
    }

    private static boolean isTlsFailure(Throwable cause) {
        return cause instanceof SSLException
                || (cause instanceof DecoderException && cause.getCause() instanceof SSLException);
    }

    /**
     * Runs one user callback: writes made inside it are flushed when the outermost
     * callback returns (by {@link #afterDispatch()}), and what it throws goes to the
     * handler's error callback, once.
     * @return what the callback threw, or null
     */
    @SuppressWarnings("unchecked")
    @Nullable Throwable dispatch(Callback callback, @Nullable Object argument) {
        // one cast for all callbacks: the handler and the socket share D
        SocketHandler<Object> handler = (SocketHandler<Object>) this.socket.handler;
        Socket<Object> socket = (Socket<Object>) (Socket<?>) this.socket;
        Throwable failure = null;
        this.dispatchDepth++;
        try {
            callback.call(handler, socket, argument);
        }
        catch (Throwable thrown) {
            failure = thrown;
        }
        finally {
            this.dispatchDepth--;
        }
        if (failure != null) {
            fireError(failure);
        }
        return failure;
    }

    /**
     * One {@link SocketHandler} callback with its argument; the constants below are the
     * ones dispatched.
     */
    @FunctionalInterface
    interface Callback {

        void call(SocketHandler<Object> handler, Socket<Object> socket, @Nullable Object argument) throws Exception;

    }

    /**
     * Hands an exception to the handler's error callback; an exception from error itself
     * is logged.
     */
    private void fireError(Throwable error) {
        this.dispatchDepth++;
        try {
            this.socket.handler.error(this.socket, error);
        }
        catch (Throwable thrown) {
            thrown.addSuppressed(error);
            logger.warn("The error handler of {} threw", this.socket, thrown);
        }
        finally {
            this.dispatchDepth--;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        closed();
        ctx.fireChannelInactive();
    }

    @Override
    public void channelUnregistered(ChannelHandlerContext ctx) throws Exception {
        // a channel that never became active (failed connect) is unregistered without
        // channelInactive
        closed();
        ctx.fireChannelUnregistered();
    }

    private void closed() {
        if (this.closeFired) {
            return;
        }
        this.closeFired = true;
        NettySocket<D> socket = this.socket;
        if (socket.unix && this.attempt.done() && this.attempt.opened() && !this.localClose && !this.endFired
                && !this.outputShutdownRequested && this.closeError == null && socket.state() == NettySocket.OPEN) {
            // NIO domain channels close on the peer's FIN without
            // ChannelInputShutdownEvent: the FIN is still
            // reported as end before close (allowHalfOpen cannot keep such a socket open)
            fireEnd();
        }
        socket.advance(NettySocket.CLOSED);
        socket.closeOutput();
        this.socket.outbound.cancelAfterAccepted();
        if (this.timeout != null) {
            this.timeout.cancel(false);
            this.timeout = null;
        }
        if (this.endDeadline != null) {
            this.endDeadline.cancel(false);
            this.endDeadline = null;
        }
        socket.discardQueue();
        try {
            socket.tls.dispose();
        }
        catch (RuntimeException ex) {
            logger.debug("TLS dispose failed for {}", socket, ex);
        }
        socket.connector.unregister(socket);
        socket.releaseJvm();
        if (!this.attempt.done()) {
            // closed during the connect (peer reset during the TLS handshake, connector
            // shutdown)
            if (this.attempt.visible() || (socket.isTls() && this.attempt.handshakeStarted())) {
                this.closeFired = false;
                handshakeFailedOnClose();
                return;
            }
            this.attempt.failed(new SocketConnectException("ECONNABORTED", "connect", socket.options.target(),
                    socket.connector.isClosed() ? NettySocketConnector.closedDuringConnect() : null));
            socket.closeFuture.complete(null);
            return;
        }
        if (this.attempt.visible()) {
            dispatch(CLOSE, this.closeError);
        }
        if (this.attempt.opened()) {
            observer().closed(socket, socket.endpoint, CloseReasons.of(socket.connector.isClosed(), this.tlsFailed,
                    this.peerEndedFirst, this.localClose || this.endRequested, this.timeoutFired, this.closeError));
        }
        socket.closeFuture.complete(null);
        this.attempt.closed();
    }

    private void handshakeFailedOnClose() {
        SocketConnectException error = new SocketConnectException("ECONNRESET", "connect", this.socket.options.target(),
                null);
        this.attempt.handshakeFailed(this.socket.tls.handshakeFailed(error));
        closed();
    }

    private SocketObserver observer() {
        return this.socket.connector.observer();
    }

}
