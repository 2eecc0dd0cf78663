package dev.socketconnector.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.socketconnector.Socket;
import dev.socketconnector.SocketConnectException;
import dev.socketconnector.SocketConnectOptions;
import dev.socketconnector.SocketObserver;
import dev.socketconnector.SocketTransportException;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.concurrent.ScheduledFuture;
import org.jspecify.annotations.Nullable;

/**
 * One socket's connect, from the dial to its outcome: the deadline, a failed dial, the
 * TLS handshake's outcome, open, and the connect future. The outcome is decided once
 * ({@link #done()}), in one of the orders SEMANTICS fixes:
 * <ul>
 * <li>the dial (or DNS, or the deadline before the TCP connect) fails:
 * {@code connectError} only, then the future fails with the same error;</li>
 * <li>the handshake fails or the peer is refused: {@code handshake(false, error)}, then
 * {@code close}, then the future fails;</li>
 * <li>{@code open} throws: {@code error}, then {@code close}, then the future fails with
 * what open threw;</li>
 * <li>otherwise {@code open} (after {@code handshake(true, ...)} on TLS), then the future
 * completes.</li>
 * </ul>
 * Every method runs on the channel's event loop; the fields are confined to it.
 *
 * @param <D> the type of the socket's data
 */
final class ConnectAttempt<D> {

    private final NettySocket<D> socket;

    private final SocketEventsHandler<D> events;

    /**
     * The connect's options, for what is set up while connecting (the pipeline's idle
     * handler); the socket keeps only what it needs once open.
     */
    private final SocketConnectOptions<D> options;

    private @Nullable CompletableFuture<Socket<D>> future;

    private long startNanos;

    private long handshakeStartNanos;

    private @Nullable ScheduledFuture<?> deadline;

    /** The connect's outcome is decided: opened, failed or timed out. */
    private boolean done;

    /** A user callback has seen the socket (handshake or open): close will fire. */
    private boolean visible;

    /** The socket opened: observers and sockets() know it. */
    private boolean opened;

    /** Why the connect future fails once close has fired, or null. */
    private @Nullable Throwable pendingFailure;

    /**
     * The TCP connect's race across addresses, or null (unix): set before the channel is
     * registered.
     */
    private @Nullable AddressRace<D> race;

    ConnectAttempt(NettySocket<D> socket, SocketEventsHandler<D> events, SocketConnectOptions<D> options) {
        this.socket = socket;
        this.events = events;
        this.options = options;
    }

    SocketConnectOptions<D> options() {
        return this.options;
    }

    /** Starts the connect deadline; called on the loop once the channel is registered. */
    void start(CompletableFuture<Socket<D>> future, long startNanos, long timeoutNanos) {
        this.future = future;
        this.startNanos = startNanos;
        long remaining = timeoutNanos - (System.nanoTime() - startNanos);
        this.deadline = this.socket.loop.schedule(this::timedOut, Math.max(0, remaining), TimeUnit.NANOSECONDS);
    }

    void race(AddressRace<D> race) {
        this.race = race;
    }

    @Nullable AddressRace<D> race() {
        return this.race;
    }

    boolean done() {
        return this.done;
    }

    boolean visible() {
        return this.visible;
    }

    boolean opened() {
        return this.opened;
    }

    /**
     * Whether a TLS handshake has started (the channel became active on a TLS socket).
     */
    boolean handshakeStarted() {
        return this.handshakeStartNanos != 0;
    }

    private void timedOut() {
        if (this.done) {
            return;
        }
        SocketConnectException error = new SocketConnectException("ETIMEDOUT", "connect", this.socket.target(), null);
        AddressRace<D> race = this.race;
        SocketConnectException recorded = (race != null) ? race.failureAtDeadline() : null;
        if (recorded != null) {
            // an address refused (or was unreachable) while another hung: that says more
            // than the deadline (SEMANTICS: ECONNREFUSED over ETIMEDOUT)
            recorded.addSuppressed(error);
            failed(recorded);
            return;
        }
        if (this.socket.isTls() && this.socket.channel.isActive()) {
            handshakeFailed(error);
        }
        else {
            failed(error);
        }
    }

    /**
     * The TCP or unix connect failed (or DNS did): connectError, then the future fails.
     * Loop.
     */
    void failed(Throwable cause) {
        assert this.socket.loop.inEventLoop();
        if (this.done) {
            return;
        }
        this.done = true;
        cancelDeadline();
        SocketConnectException error = ErrorCodes.connectFailure(cause, this.socket.target());
        this.socket.advance(NettySocket.CLOSED);
        this.socket.closeOutput();
        this.events.closing().closeChannel();
        observer().connectFailed(this.socket, this.socket.endpoint, this.socket.isTls(), elapsedSince(this.startNanos),
                error);
        CompletableFuture<Socket<D>> future = this.future;
        try {
            this.socket.handler.connectError(this.socket, error);
        }
        catch (Throwable thrown) {
            if (future != null) {
                future.completeExceptionally(thrown);
            }
            return;
        }
        if (future != null) {
            future.completeExceptionally(error.copy());
        }
    }

    /**
     * The channel is connected: a plain socket opens, a TLS socket starts its handshake.
     * A connect decided already (timed out) closes the channel instead. Loop.
     * @return whether the event goes on down the pipeline
     */
    boolean active() {
        if (this.done) {
            this.events.closing().closeChannel();
            return false;
        }
        if (!this.socket.isTls()) {
            open();
        }
        else {
            this.handshakeStartNanos = System.nanoTime();
            observer().handshakeStarted(this.socket, this.socket.endpoint);
        }
        return true;
    }

    /** The SslHandler's handshake outcome. Loop. */
    void handshakeCompleted(ChannelHandlerContext ctx, SslHandshakeCompletionEvent handshake) {
        if (this.done) {
            return;
        }
        if (handshake.isSuccess()) {
            handshakeSucceeded(ctx);
        }
        else {
            handshakeFailed(this.socket.tls.handshakeFailed(handshake.cause()));
        }
    }

    private void handshakeSucceeded(ChannelHandlerContext ctx) {
        Throwable authorizationError = this.socket.tls.handshakeCompleted(ctx);
        if (authorizationError != null && this.socket.tls.rejectUnauthorized()) {
            refused(authorizationError);
            return;
        }
        this.visible = true;
        this.socket.advance(NettySocket.OPEN);
        observer().handshake(this.socket, this.socket.endpoint, elapsedSince(this.handshakeStartNanos), null);
        this.events.dispatch(SocketEventsHandler.HANDSHAKE_OK, authorizationError);
        if (this.socket.state() == NettySocket.OPEN && this.socket.channel.isActive()) {
            open();
        }
        else {
            failAfterHandshake(new SocketTransportException("ECONNRESET", "read", null));
        }
    }

    /**
     * The peer is not authorized and rejectUnauthorized is set: handshake(false, error),
     * close. Loop.
     */
    private void refused(Throwable authorizationError) {
        this.visible = true;
        this.socket.advance(NettySocket.OPEN);
        // a refused server gets no application byte: write inside handshake(false, error)
        // returns -1
        this.socket.closeOutput();
        observer().handshake(this.socket, this.socket.endpoint, elapsedSince(this.handshakeStartNanos),
                authorizationError);
        this.events.dispatch(SocketEventsHandler.HANDSHAKE_FAILED, authorizationError);
        failAfterHandshake(authorizationError);
    }

    /**
     * The handshake failed (or timed out, or the channel closed during it):
     * handshake(false), close. Loop.
     */
    void handshakeFailed(Throwable failure) {
        if (this.done) {
            return;
        }
        Throwable error = failure;
        if (this.socket.connector.isClosed()) {
            // the connector's close cut the handshake off: say so, as a connect cut off
            // before the handshake does
            error = new SocketConnectException("ECONNABORTED", "connect", this.socket.target(),
                    NettySocketConnector.closedDuringConnect());
            error.addSuppressed(failure);
        }
        this.visible = true;
        this.socket.advance(NettySocket.OPEN);
        // the handshake failed: write inside handshake(false, error) returns -1
        this.socket.closeOutput();
        observer().handshake(this.socket, this.socket.endpoint, elapsedSince(this.handshakeStartNanos), error);
        this.events.dispatch(SocketEventsHandler.HANDSHAKE_FAILED, error);
        failAfterHandshake(error);
    }

    /** handshake(false) has fired: close (which fires close), then fail the future. */
    private void failAfterHandshake(Throwable error) {
        this.done = true;
        cancelDeadline();
        observer().connectFailed(this.socket, this.socket.endpoint, true, elapsedSince(this.startNanos), error);
        this.pendingFailure = error;
        this.socket.closeOutput();
        this.events.closing().closeChannel();
    }

    private void open() {
        this.done = true;
        cancelDeadline();
        NettySocket<D> socket = this.socket;
        socket.advance(NettySocket.OPEN);
        socket.markOpened(Instant.now());
        // decided: an open socket need not keep the race (its targets, addresses and
        // lists) for its whole life; closeChannel then closes the channel directly
        this.race = null;
        this.visible = true;
        this.opened = true;
        socket.connector.register(socket);
        socket.holdJvm();
        observer().connected(socket, socket.endpoint, socket.isTls(), elapsedSince(this.startNanos));
        this.events.startIdleTimers();
        Throwable failure = this.events.dispatch(SocketEventsHandler.OPEN, null);
        if (failure != null) {
            this.pendingFailure = failure;
            socket.closeOutput();
            this.events.closing().closeChannel();
            return;
        }
        this.events.afterDispatch();
        CompletableFuture<Socket<D>> future = this.future;
        // the caller holds the future; an open socket need not keep it for its whole life
        this.future = null;
        if (future != null) {
            future.complete(socket);
        }
        if (socket.state() == NettySocket.OPEN) {
            // opened for good: the socket keeps no connect-time state from here on (a
            // close inside open, or while the future completed, still finds this attempt)
            this.events.connectSucceeded();
        }
    }

    private void cancelDeadline() {
        ScheduledFuture<?> deadline = this.deadline;
        if (deadline != null) {
            deadline.cancel(false);
            this.deadline = null;
        }
    }

    /**
     * Close has fired: a future still pending fails (why the connect failed, or
     * ECONNRESET). Loop.
     */
    void closed() {
        CompletableFuture<Socket<D>> future = this.future;
        if (future != null && !future.isDone()) {
            Throwable failure = this.pendingFailure;
            future.completeExceptionally((failure != null) ? failure
                    : new SocketConnectException("ECONNRESET", "connect", this.socket.target(), null));
        }
    }

    private SocketObserver observer() {
        return this.socket.connector.observer();
    }

    private static Duration elapsedSince(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

}
