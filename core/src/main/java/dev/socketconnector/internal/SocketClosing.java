package dev.socketconnector.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import dev.socketconnector.SocketConnectException;
import dev.socketconnector.SocketObserver;
import dev.socketconnector.SocketTransportException;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.concurrent.ScheduledFuture;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;
import org.jspecify.annotations.Nullable;

/**
 * One socket's ending and closing, for its {@link SocketEventsHandler}: the peer's FIN or
 * close_notify, {@code end}, {@code shutdown} (both halves), {@code terminate}, the end
 * deadline, the {@code timeout(seconds)} deadline, close's error and reason, and
 * {@link #closed()}, which fires close once. Every field is confined to the channel's
 * event loop; callbacks run through the handler's {@code dispatch}.
 *
 * @param <D> the type of the socket's data
 */
final class SocketClosing<D> {

    // the handler's logger: these messages keep the category they have always had
    private static final InternalLogger logger = InternalLoggerFactory.getInstance(SocketEventsHandler.class);

    private static final SocketEventsHandler.Callback END = (handler, socket, none) -> handler.end(socket);

    private static final SocketEventsHandler.Callback TIMEOUT = (handler, socket, none) -> handler.timeout(socket);

    private static final SocketEventsHandler.Callback CLOSE = (handler, socket, error) -> handler.close(socket,
            (Throwable) error);

    /**
     * How long end() waits after its FIN for the peer's FIN before it closes anyway: a
     * peer that answers our FIN with its own (what servers do) gets a graceful close well
     * within it; one that never closes costs a second in CLOSING, not the end timeout.
     */
    static final Duration END_LINGER = Duration.ofSeconds(1);

    private final NettySocket<D> socket;

    private final SocketEventsHandler<D> events;

    private @Nullable Throwable closeError;

    private boolean endFired;

    private boolean outputShutdownRequested;

    /** The peer's FIN or close_notify has come (or shutdown(true)): the input is done. */
    private boolean inputEnded;

    private boolean endRequested;

    /** end()'s FIN and close are queued in a task of their own (no end deadline). */
    private boolean finQueued;

    private @Nullable ScheduledFuture<?> endDeadline;

    /** After end()'s FIN: the bound on waiting for the peer's FIN. */
    private @Nullable ScheduledFuture<?> lingerDeadline;

    /** end()'s FIN is out: waiting for the peer's FIN to close. */
    private boolean lingering;

    private boolean closeFired;

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

    private @Nullable ScheduledFuture<?> timeout;

    SocketClosing(NettySocket<D> socket, SocketEventsHandler<D> events) {
        this.socket = socket;
        this.events = events;
    }

    /**
     * The peer's FIN or (TLS) close_notify, whichever comes first; the second is ignored.
     * Loop.
     */
    void peerEnded() {
        if (!this.events.opened()) {
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
            // both directions are shut (or ours is being shut): close once what was
            // accepted is flushed
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
        if (!this.socket.allowHalfOpen) {
            this.socket.advance(NettySocket.CLOSING);
            closeAfterFlush();
        }
        // allowHalfOpen: stays open and writable; shutdown() or end() then closes it
    }

    /**
     * The peer's close_notify. Before our own shutdown() it ends the stream as a FIN
     * does; after it, the FIN that follows closes the socket (as without TLS), so the
     * records the peer sent with its close_notify are read first. Loop.
     */
    void peerClosedTls() {
        if (this.outputShutdownRequested) {
            return;
        }
        peerEnded();
    }

    private void fireEnd() {
        if (this.endFired) {
            return;
        }
        this.endFired = true;
        this.events.reportPartialFrame();
        this.events.dispatch(END, null);
        this.events.afterDispatch();
    }

    /**
     * Closes a socket whose end() or close-after-flush has not finished in time: the peer
     * has stopped reading. Terminates it with ETIMEDOUT as close's error, saying how much
     * was never sent. Loop.
     */
    private void armEndDeadline() {
        if (this.endDeadline != null || this.closeFired || this.lingering) {
            // lingering: everything is sent, and the linger has its own bound
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
            long unsent = this.socket.unsentBytes();
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
        this.socket.outbound().afterAccepted(this::finishEnd);
        if (this.socket.channel.isOpen() && !this.finQueued) {
            // still flushing (or waiting for writers on other threads): bound the wait.
            // With nothing to send, the FIN and the close went out just now and there is
            // nothing to bound (no timer per end())
            armEndDeadline();
        }
    }

    private void finishEnd() {
        if (!this.socket.isTls() && !this.socket.outbound().flushPending() && this.socket.nettyPendingBytes() == 0) {
            // nothing left to send: no empty write to wait for
            queueFinAndClose();
            return;
        }
        closeOutboundThen(this::queueFinAndClose);
    }

    /**
     * The FIN then close of end(), once everything accepted is flushed. Inside a callback
     * (end() in open, data or handshake) they go out in a task of their own right after
     * it rather than from the callback's deep stack: Netty fills in an exception's stack
     * trace at every shutdownOutput, and at a close inside channelActive (while the
     * connect's promise is still held) one more, each costing in proportion to the stack.
     * The end deadline is not armed for it. Loop.
     */
    private void queueFinAndClose() {
        if (this.events.inCallback()) {
            this.finQueued = true;
            try {
                this.socket.loop.execute(this::finAndClose);
                return;
            }
            catch (RejectedExecutionException ex) {
                // the loop is shutting down: close now
            }
        }
        finAndClose();
    }

    private void finAndClose() {
        if (this.socket.channel instanceof DuplexChannel duplex && duplex.isActive()) {
            this.localClose = true;
            // FIN first: a bare close() with unread input would send only a reset
            duplex.shutdownOutput().addListener((ChannelFuture done) -> {
                if (!done.isSuccess() || this.inputEnded) {
                    done.channel().close();
                }
                else {
                    lingerThenClose();
                }
            });
        }
        else {
            closeChannel();
        }
    }

    /**
     * After end()'s FIN, the close waits for the peer's FIN (which closes the socket
     * through {@link #peerEnded()}), reading and discarding what still arrives, for at
     * most the end timeout. Closing at once would lose data: a close with input the
     * kernel holds unread (TLS 1.3 session tickets, a reply, anything in flight) sends a
     * reset instead of a graceful close, and the reset makes the peer's kernel discard
     * what we sent that the peer has not read yet. Everything accepted has been handed to
     * the kernel by now, so when the peer never closes the bound ({@link #END_LINGER}, or
     * the end timeout when shorter) closes quietly. Loop.
     */
    private void lingerThenClose() {
        cancelEndDeadline();
        if (this.closeFired) {
            return;
        }
        this.lingering = true;
        // the peer's FIN now closes the channel at once: with half-closure on, Netty
        // would first shut our input down, which on a socket whose both directions are
        // done fails with ENOTCONN (an exception with its stack trace per connection)
        this.socket.channel.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, false);
        Duration bound = this.socket.connector.endTimeout();
        if (bound.compareTo(END_LINGER) > 0) {
            bound = END_LINGER;
        }
        this.lingerDeadline = this.socket.loop.schedule(() -> {
            this.lingerDeadline = null;
            if (!this.closeFired) {
                this.socket.channel.close();
            }
        }, bound.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void cancelEndDeadline() {
        if (this.endDeadline != null) {
            this.endDeadline.cancel(false);
            this.endDeadline = null;
        }
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
        this.socket.outbound().afterAccepted(() -> closeOutboundThen(() -> {
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
        ChannelHandlerContext context = this.events.context();
        if (context == null || !this.socket.channel.isActive()) {
            closeChannel();
            return;
        }
        if (this.socket.isTls()) {
            if (this.socket.outbound().flushPending()) {
                // the records written so far go out before close_notify (after it the
                // engine wraps no data); with nothing written since the last flush, this
                // flush would only make the SslHandler wrap an empty buffer
                this.socket.outbound().flushBefore(context);
            }
            this.socket.tls.closeOutbound(context).addListener((future) -> action.run());
        }
        else {
            this.socket.outbound().flushAll(context).addListener((ChannelFuture done) -> action.run());
        }
    }

    /**
     * shutdown(true): a local EOF: end, then close (as Bun), in a task of its own. Loop.
     */
    void shutdownInput() {
        assert this.socket.loop.inEventLoop();
        if (this.closeFired || !this.events.opened()) {
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
        this.socket.outbound().afterAccepted(this::closeAfterFlushNow);
    }

    private void closeAfterFlushNow() {
        ChannelHandlerContext context = this.events.context();
        if (context != null && this.socket.channel.isActive()) {
            this.localClose = true;
            this.socket.outbound().flushAll(context).addListener((ChannelFuture done) -> done.channel().close());
        }
        else {
            closeChannel();
        }
    }

    /** terminate(): RST and close now, discarding pending writes. Loop. */
    void terminate() {
        assert this.socket.loop.inEventLoop();
        this.socket.outbound().cancelAfterAccepted();
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
        AddressRace<D> race = this.events.race();
        if (race != null && race.closeUndecided()) {
            // no address has connected yet: the race closes its channels and runs
            // closed()
            return;
        }
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

    // ---- the timeout(seconds) deadline ----

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
        if (this.socket.state() == NettySocket.CLOSED || !this.events.opened()) {
            return;
        }
        this.timeoutFired = true;
        this.events.dispatch(TIMEOUT, null);
        this.events.afterDispatch();
        if (this.socket.state() != NettySocket.CLOSED) {
            this.socket.closeOutput();
            this.socket.advance(NettySocket.CLOSING);
            closeChannel();
        }
    }

    void closed() {
        if (this.closeFired) {
            return;
        }
        this.closeFired = true;
        NettySocket<D> socket = this.socket;
        if (socket.unix && this.events.opened() && !this.localClose && !this.endFired && !this.outputShutdownRequested
                && this.closeError == null && socket.state() == NettySocket.OPEN) {
            // NIO domain channels close on the peer's FIN without
            // ChannelInputShutdownEvent: the FIN is still
            // reported as end before close (allowHalfOpen cannot keep such a socket open)
            fireEnd();
        }
        socket.advance(NettySocket.CLOSED);
        socket.closeOutput();
        this.socket.outbound().cancelAfterAccepted();
        if (this.timeout != null) {
            this.timeout.cancel(false);
            this.timeout = null;
        }
        cancelEndDeadline();
        if (this.lingerDeadline != null) {
            this.lingerDeadline.cancel(false);
            this.lingerDeadline = null;
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
        PendingRequests requests = socket.requests;
        if (requests != null) {
            // every pending request fails once, before close runs
            requests.closed(this.closeError);
        }
        ConnectAttempt<D> attempt = this.events.attempt();
        if (attempt != null && !attempt.done()) {
            // closed during the connect (peer reset during the TLS handshake, connector
            // shutdown)
            if (attempt.visible() || (socket.isTls() && attempt.handshakeStarted())) {
                this.closeFired = false;
                handshakeFailedOnClose(attempt);
                return;
            }
            attempt.failed(new SocketConnectException("ECONNABORTED", "connect", socket.target(),
                    socket.connector.isClosed() ? NettySocketConnector.closedDuringConnect() : null));
            socket.closeCompleted();
            return;
        }
        if (this.events.connectVisible()) {
            this.events.dispatch(CLOSE, this.closeError);
        }
        if (this.events.opened()) {
            observer().closed(socket, socket.endpoint, CloseReasons.of(socket.connector.isClosed(), this.tlsFailed,
                    this.peerEndedFirst, this.localClose || this.endRequested, this.timeoutFired, this.closeError));
        }
        socket.closeCompleted();
        if (attempt != null) {
            attempt.closed();
        }
    }

    private void handshakeFailedOnClose(ConnectAttempt<D> attempt) {
        SocketConnectException error = new SocketConnectException("ECONNRESET", "connect", this.socket.target(), null);
        attempt.handshakeFailed(this.socket.tls.handshakeFailed(error));
        closed();
    }

    private SocketObserver observer() {
        return this.socket.connector.observer();
    }

    /**
     * Whether the input is done (the peer's FIN or close_notify, or shutdown(true)):
     * nothing more will be received. Loop.
     */
    /**
     * Whether end()'s FIN is out and the socket waits for the peer's FIN to close (what
     * arrives meanwhile is discarded: a silent peer is not read idle then). Loop.
     */
    boolean lingering() {
        return this.lingering;
    }

    boolean inputEnded() {
        return this.inputEnded;
    }

    /**
     * A TLS error after the handshake (bad record, alert) is closing the socket: for the
     * close reason. Loop.
     */
    void tlsFailed() {
        this.tlsFailed = true;
    }

}
