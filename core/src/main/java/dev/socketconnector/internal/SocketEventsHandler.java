package dev.socketconnector.internal;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

import javax.net.ssl.SSLException;

import dev.socketconnector.FrameException;
import dev.socketconnector.Socket;
import dev.socketconnector.SocketConnectOptions;
import dev.socketconnector.SocketHandler;
import dev.socketconnector.SocketTransportException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;
import org.jspecify.annotations.Nullable;

/**
 * Turns one channel's Netty events into {@link SocketHandler} calls in Bun's order, and
 * runs the socket's loop-side control: the connect outcome, flushing at the end of each
 * event-loop task and drain; ending and closing are {@link SocketClosing}'s. One instance
 * per channel; every field is confined to the channel's event loop, and no lock is held
 * while user code runs.
 *
 * @param <D> the type of the socket's data
 */
final class SocketEventsHandler<D> extends ChannelInboundHandlerAdapter {

    private static final InternalLogger logger = InternalLoggerFactory.getInstance(SocketEventsHandler.class);

    // the callbacks dispatch() runs: constants, so dispatching allocates nothing
    static final Callback OPEN = (handler, socket, none) -> handler.open(socket);

    // with rejectUnauthorized false the verdict may not be reached yet (null here): a
    // handler that takes it asks the socket, which verifies then; the default callback
    // ignores it, so the verification waits for a question
    static final Callback HANDSHAKE_OK = (handler, socket, error) -> handler.handshake(socket, true,
            (error != null || !HandlerMethods.overridesHandshake(handler)) ? (Throwable) error
                    : socket.getAuthorizationError());

    static final Callback HANDSHAKE_FAILED = (handler, socket, error) -> handler.handshake(socket, false,
            (Throwable) error);

    private static final Callback DATA = (handler, socket, data) -> handler.data(socket,
            (byte[]) Objects.requireNonNull(data));

    private static final Callback DRAIN = (handler, socket, none) -> handler.drain(socket);

    /**
     * {@link NettySocket#bytesRead}: only the loop writes it, with a release store (no
     * fence per frame, which would be a third of the loop's time on short lines); other
     * threads read it with a volatile read.
     */
    private static final VarHandle BYTES_READ;

    static {
        try {
            BYTES_READ = MethodHandles.lookup().findVarHandle(NettySocket.class, "bytesRead", long.class);
        }
        catch (ReflectiveOperationException ex) {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final NettySocket<D> socket;

    private @Nullable ChannelHandlerContext ctx;

    /**
     * The connect (deadline, failure, handshake outcome, open, the future) until the
     * socket has opened and its future has completed; then null: an open socket keeps no
     * connect-time state (issue 14, idle memory).
     */
    private @Nullable ConnectAttempt<D> attempt;

    /**
     * Ending and closing (end, shutdown, terminate, the deadlines, close), made by the
     * first of them ({@link #closing()}): an idle open socket has none.
     */
    private @Nullable SocketClosing<D> closing;

    /**
     * The read-idle timeout and heartbeat of this socket, or null; started when it opens.
     */
    @Nullable IdleHandler idle;

    private boolean activeSeen;

    private int dispatchDepth;

    private boolean inReadBatch;

    /** The {@code frames} handler, with a framing; else null. */
    private FrameDecoders.@Nullable FrameDecoder frameDecoder;

    SocketEventsHandler(NettySocket<D> socket, SocketConnectOptions<D> options) {
        this.socket = socket;
        this.attempt = new ConnectAttempt<>(socket, this, options);
    }

    /**
     * The socket's ending and closing, made on first use. Loop (or any thread once the
     * loop has stopped).
     */
    SocketClosing<D> closing() {
        SocketClosing<D> closing = this.closing;
        if (closing == null) {
            closing = new SocketClosing<>(this.socket, this);
            this.closing = closing;
        }
        return closing;
    }

    /**
     * The connect while it runs, or null once the socket has opened (and its future has
     * completed). Loop.
     */
    @Nullable ConnectAttempt<D> attempt() {
        return this.attempt;
    }

    /**
     * The socket has opened and its connect future has completed: the attempt is dropped.
     * Loop.
     */
    void connectSucceeded() {
        this.attempt = null;
    }

    /** Sets the TCP connect's race; caller's thread, before registration. */
    void race(AddressRace<D> race) {
        Objects.requireNonNull(this.attempt, "attempt").race(race);
    }

    /** The TCP connect's race while no address has won it, or null. Loop. */
    @Nullable AddressRace<D> race() {
        ConnectAttempt<D> attempt = this.attempt;
        return (attempt != null) ? attempt.race() : null;
    }

    /**
     * Whether a user callback has seen the socket (handshake or open): close will fire.
     * Loop.
     */
    boolean connectVisible() {
        ConnectAttempt<D> attempt = this.attempt;
        return attempt == null || attempt.visible();
    }

    /**
     * The error close reported, or null: read once the socket's closeFuture has completed
     * (any thread).
     */
    @Nullable Throwable closeError() {
        SocketClosing<D> closing = this.closing;
        return (closing != null) ? closing.closeError() : null;
    }

    /**
     * Whether the closing state has been made (by an end, shutdown, terminate, close, the
     * peer's FIN or a timeout). Loop.
     */
    boolean closingStarted() {
        return this.closing != null;
    }

    /** Whether the input is done (see {@link SocketClosing#inputEnded()}). Loop. */
    boolean inputEnded() {
        SocketClosing<D> closing = this.closing;
        return closing != null && closing.inputEnded();
    }

    /**
     * Whether end() lingers for the peer's FIN (see {@link SocketClosing#lingering()}).
     * Loop.
     */
    boolean lingering() {
        SocketClosing<D> closing = this.closing;
        return closing != null && closing.lingering();
    }

    /** Set by {@code initPipeline} with the socket's frame decoder. Loop. */
    void frameDecoder(FrameDecoders.FrameDecoder decoder) {
        this.frameDecoder = decoder;
        // frames is right before events in the pipeline (initPipeline)
        decoder.deliverTo(this);
    }

    /**
     * Before {@code end}: a stream that ended inside a frame calls error with
     * {@code ERR_PARTIAL_FRAME}. Loop.
     */
    void reportPartialFrame() {
        FrameDecoders.FrameDecoder decoder = this.frameDecoder;
        if (decoder != null && decoder.partialFrame()) {
            fireError(FrameDecoders.partial());
        }
    }

    /** The handler's context once added to the pipeline, or null. Loop. */
    @Nullable ChannelHandlerContext context() {
        return this.ctx;
    }

    // ---- connecting ----

    /** Starts the connect deadline; called on the loop once the channel is registered. */
    void connecting(CompletableFuture<Socket<D>> future, long startNanos, long timeoutNanos) {
        ConnectAttempt<D> attempt = this.attempt;
        if (attempt != null) {
            attempt.start(future, startNanos, timeoutNanos);
        }
    }

    /** The socket is opening: the idle timers (if any) start. Loop. */
    void startIdleTimers() {
        IdleHandler handler = this.idle;
        if (handler != null) {
            handler.start();
        }
    }

    boolean connectDone() {
        ConnectAttempt<D> attempt = this.attempt;
        return attempt == null || attempt.done();
    }

    /** The TCP or unix connect failed (or DNS did). Loop. */
    void connectFailed(Throwable cause) {
        ConnectAttempt<D> attempt = this.attempt;
        if (attempt != null) {
            attempt.failed(cause);
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
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
        ConnectAttempt<D> attempt = this.attempt;
        if (attempt != null && attempt.active()) {
            ctx.fireChannelActive();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof SslHandshakeCompletionEvent handshake) {
            ConnectAttempt<D> attempt = this.attempt;
            if (attempt != null) {
                attempt.handshakeCompleted(ctx, handshake);
            }
        }
        else if (event instanceof ChannelInputShutdownEvent) {
            closing().peerEnded();
        }
        else if (event instanceof SslCloseCompletionEvent close) {
            if (close.isSuccess()) {
                // the peer's close_notify ends the stream as its FIN does, whichever
                // comes first (Node's rule); after our own shutdown() the FIN decides
                closing().peerClosedTls();
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
            if (msg instanceof byte[] frame) {
                // a frame the delimiter decoder has already copied out
                frameRead(frame);
            }
            else {
                ReferenceCountUtil.release(msg);
            }
            return;
        }
        if (!opened() || this.socket.state() != NettySocket.OPEN) {
            // not delivered: before open, or a reply after our own end()/terminate()
            buffer.release();
            return;
        }
        int length = buffer.readableBytes();
        byte[] data = new byte[length];
        buffer.readBytes(data);
        buffer.release();
        countRead(length);
        this.inReadBatch = true;
        PendingRequests requests = this.socket.requests;
        if (requests != null && isReply(requests, data)) {
            return;
        }
        dispatch(DATA, data);
    }

    /**
     * Delivers a frame that arrived as its own array: from the delimiter decoder directly
     * (one call per frame, no pipeline hop), or as a {@code byte[]} message. Loop.
     */
    void frameRead(byte[] frame) {
        if (!opened() || this.socket.state() != NettySocket.OPEN) {
            return;
        }
        countRead(frame.length);
        this.inReadBatch = true;
        PendingRequests requests = this.socket.requests;
        if (requests != null && isReply(requests, frame)) {
            return;
        }
        dispatch(DATA, frame);
    }

    /** Adds to {@code bytesRead()} (see {@link #BYTES_READ}). Loop. */
    private void countRead(int length) {
        BYTES_READ.setRelease(this.socket, this.socket.bytesRead + length);
    }

    /**
     * Whether a frame completed a pending request (then it does not reach data); what the
     * user's correlation id function threw goes to error, and the frame to data. Loop.
     */
    private boolean isReply(PendingRequests requests, byte[] frame) {
        try {
            return requests.reply(frame);
        }
        catch (RuntimeException ex) {
            fireError(ex);
            return false;
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        this.inReadBatch = false;
        afterDispatch();
        ctx.fireChannelReadComplete();
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
        ConnectAttempt<D> attempt = this.attempt;
        return attempt == null || attempt.opened();
    }

    /** Flushes what the callbacks wrote once the outermost one has returned. Loop. */
    void afterDispatch() {
        if (inCallback()) {
            return;
        }
        OutboundBuffer outbound = this.socket.outboundIfMade();
        if (outbound != null) {
            // with none, nothing was written: nothing to flush, no drain due
            outbound.callbacksDone();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        OutboundBuffer outbound = this.socket.outboundIfMade();
        if (outbound != null && ctx.channel().isWritable()) {
            outbound.checkDrain();
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

    // ---- failures ----

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!opened()) {
            // before open the connect outcome (handshake event, close, timeout) reports
            // the failure
            logger.debug("Exception before open on {}", this.socket, cause);
            closing().closeChannel();
            return;
        }
        if (this.socket.state() == NettySocket.CLOSED) {
            return;
        }
        if (this.frameDecoder != null) {
            FrameException frameError = FrameDecoders.frameError(cause);
            if (frameError != null) {
                frameFailed(frameError);
                return;
            }
        }
        // the socket is closing before error runs: a write there returns -1 (nothing
        // accepted is dropped)
        this.socket.closeOutput();
        this.socket.advance(NettySocket.CLOSING);
        if (isTlsFailure(cause)) {
            closing().tlsFailed();
            Throwable error = this.socket.tls.handshakeFailed(cause);
            fireError(error);
            closing().closeChannel();
        }
        else if (cause instanceof IOException) {
            SocketTransportException error = ErrorCodes.transportFailure(cause, "read");
            if (error != null) {
                closing().closeWithError(error);
            }
            else {
                closing().closeChannel();
            }
        }
        else {
            fireError(cause);
            closing().closeChannel();
        }
    }

    /**
     * Bad framing from the peer: error, then close with it as close's error. Only the
     * first is reported; what the decoder raises after it (while the socket closes) is
     * dropped. Loop.
     */
    private void frameFailed(FrameException error) {
        if (this.socket.state() != NettySocket.OPEN) {
            logger.debug("Frame error on {} while it closes", this.socket, error);
            return;
        }
        this.socket.closeOutput();
        this.socket.advance(NettySocket.CLOSING);
        fireError(error);
        closing().closeWithError(error);
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
        closing().closed();
        ctx.fireChannelInactive();
    }

    @Override
    public void channelUnregistered(ChannelHandlerContext ctx) throws Exception {
        // a channel that never became active (failed connect) is unregistered without
        // channelInactive
        closing().closed();
        ctx.fireChannelUnregistered();
    }

}
