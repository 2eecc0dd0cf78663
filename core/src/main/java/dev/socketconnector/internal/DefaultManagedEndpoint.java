package dev.socketconnector.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import dev.socketconnector.EndpointState;
import dev.socketconnector.EndpointStateListener;
import dev.socketconnector.ManagedEndpoint;
import dev.socketconnector.ReconnectPolicy;
import dev.socketconnector.Socket;
import dev.socketconnector.internal.jfr.EndpointStateEvent;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;
import org.jspecify.annotations.Nullable;

/**
 * A managed endpoint: connects through the connector's named endpoint, and after a failed
 * connect or a closed socket schedules the next attempt with the
 * {@link ReconnectPolicy}'s backoff on one of the connector's event loops. Nothing here
 * blocks: connects are asynchronous.
 * <p>
 * It learns of its socket's close from the socket's close notification
 * ({@link NettySocket#closeFuture()}), not from a handler wrapped around the user's, so
 * {@code reload(...)} on its socket never stops reconnects.
 * <p>
 * State is guarded by {@code lock}, which is never held while a connect, a socket write
 * or a user callback runs. Each attempt ends exactly once ({@link Attempt#ended}, by
 * compare-and-set). Transitions are queued under the lock and delivered to listeners in
 * order, one at a time, by whichever thread finds the queue idle
 * ({@link EndpointListeners}).
 */
final class DefaultManagedEndpoint implements ManagedEndpoint {

    private static final InternalLogger logger = InternalLoggerFactory.getInstance(ManagedEndpoint.class);

    private final String name;

    private final NettySocketConnector connector;

    private final ReconnectPolicy policy;

    private final ScheduledExecutorService scheduler;

    private final Consumer<DefaultManagedEndpoint> onClose;

    private final Object lock = new Object();

    /** The state listeners and the transitions queued for them. */
    private final EndpointListeners listeners;

    // guarded by lock

    private boolean closed;

    private EndpointState state = EndpointState.STOPPED;

    private @Nullable Socket<?> socket;

    private @Nullable Throwable lastError;

    private @Nullable Instant nextAttempt;

    private @Nullable ScheduledFuture<?> pending;

    private @Nullable Attempt current;

    private long reconnects;

    /**
     * Consecutive failed attempts (a connection shorter than stableAfter counts); picks
     * the next delay.
     */
    private int failures;

    /** When the current outage began (System.nanoTime), or 0 while none. */
    private long outageStart;

    /**
     * Failed attempts in the current outage: the first and every tenth are logged at
     * WARN.
     */
    private int outageFailures;

    private final OfflineBuffer offline = new OfflineBuffer();

    private final List<CompletableFuture<Socket<?>>> waiters = new ArrayList<>();

    DefaultManagedEndpoint(String name, NettySocketConnector connector, ReconnectPolicy policy,
            ScheduledExecutorService scheduler, Consumer<DefaultManagedEndpoint> onClose) {
        this.name = name;
        this.connector = connector;
        this.policy = policy;
        this.scheduler = scheduler;
        this.onClose = onClose;
        this.listeners = new EndpointListeners(this, name, this.lock);
    }

    @Override
    public String name() {
        return this.name;
    }

    ReconnectPolicy policy() {
        return this.policy;
    }

    @Override
    public EndpointState state() {
        synchronized (this.lock) {
            return this.state;
        }
    }

    @Override
    public @Nullable Socket<?> socket() {
        synchronized (this.lock) {
            return this.socket;
        }
    }

    @Override
    public @Nullable Throwable lastError() {
        synchronized (this.lock) {
            return this.lastError;
        }
    }

    @Override
    public @Nullable Instant nextAttempt() {
        synchronized (this.lock) {
            return this.nextAttempt;
        }
    }

    @Override
    public long reconnects() {
        synchronized (this.lock) {
            return this.reconnects;
        }
    }

    /**
     * Registers the first listeners (they hear STOPPED to CONNECTING) and starts the
     * first connect.
     * @param initial listeners that hear every transition from the first
     */
    void start(EndpointStateListener... initial) {
        for (EndpointStateListener listener : initial) {
            this.listeners.addInitial(Objects.requireNonNull(listener, "listener"));
        }
        connect(EndpointState.STOPPED);
    }

    @Override
    public void reconnectNow() {
        ScheduledFuture<?> cancel;
        synchronized (this.lock) {
            if (this.state != EndpointState.BACKING_OFF) {
                return;
            }
            cancel = this.pending;
        }
        if (cancel != null) {
            cancel.cancel(false);
        }
        connect(EndpointState.BACKING_OFF);
    }

    @Override
    public CompletableFuture<Socket<?>> whenConnected() {
        synchronized (this.lock) {
            if (this.state == EndpointState.CONNECTED && this.socket != null) {
                return CompletableFuture.completedFuture(this.socket);
            }
            if (this.closed) {
                return CompletableFuture.failedFuture(closedError());
            }
            CompletableFuture<Socket<?>> waiter = new CompletableFuture<>();
            this.waiters.add(waiter);
            return waiter;
        }
    }

    /**
     * Returns the error a waiter gets when the endpoint is closed first (caller holds the
     * lock).
     */
    private Throwable closedError() {
        return (this.lastError != null) ? this.lastError
                : new IllegalStateException("managed endpoint '" + this.name + "' is closed");
    }

    @Override
    public AutoCloseable addListener(EndpointStateListener listener) {
        Objects.requireNonNull(listener, "listener");
        AutoCloseable handle;
        synchronized (this.lock) {
            handle = this.listeners.add(listener, this.state, this.lastError);
        }
        this.listeners.dispatch();
        return handle;
    }

    @Override
    public int write(String data) {
        return write(data.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public int write(byte[] data) {
        Objects.requireNonNull(data, "data");
        Socket<?> open;
        synchronized (this.lock) {
            open = (this.state == EndpointState.CONNECTED) ? this.socket : null;
            if (open == null) {
                if (this.closed || this.policy.offlineBufferSize() == 0) {
                    return -1;
                }
                FrameCodec frames = this.connector.frameCodec(this.name);
                if (frames != null) {
                    // a frame is buffered whole or not at all, and checked now as the
                    // socket's write would
                    frames.wireLength(data.length);
                    frames.checkContent(data, 0, data.length);
                    return this.offline.offerWhole(data, this.policy.offlineBufferSize());
                }
                return this.offline.offer(data, this.policy.offlineBufferSize());
            }
        }
        return open.write(data);
    }

    @Override
    public CompletableFuture<byte[]> request(byte[] payload) {
        Objects.requireNonNull(payload, "payload");
        Socket<?> open;
        EndpointState current;
        synchronized (this.lock) {
            current = this.state;
            open = (current == EndpointState.CONNECTED) ? this.socket : null;
        }
        if (open == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("managed endpoint '" + this.name
                    + "' is not connected (state " + current.value() + "): request not sent"));
        }
        return open.request(payload);
    }

    @Override
    public void close() {
        Socket<?> open;
        ScheduledFuture<?> cancel;
        List<CompletableFuture<Socket<?>>> failed;
        int unsent;
        Throwable error;
        synchronized (this.lock) {
            if (this.closed) {
                return;
            }
            this.closed = true;
            open = this.socket;
            this.socket = null;
            this.current = null;
            this.nextAttempt = null;
            cancel = this.pending;
            this.pending = null;
            transition(EndpointState.STOPPED, null);
            unsent = this.offline.clear();
            failed = new ArrayList<>(this.waiters);
            this.waiters.clear();
            error = closedError();
        }
        if (cancel != null) {
            cancel.cancel(false);
        }
        if (unsent > 0) {
            logger.warn("Managed endpoint '{}' closed with {} buffered bytes never sent", this.name, unsent);
        }
        try {
            if (open != null) {
                open.end();
            }
        }
        finally {
            this.onClose.accept(this);
            failed.forEach((waiter) -> waiter.completeExceptionally(error));
            this.listeners.dispatch();
        }
    }

    /**
     * Starts an attempt if the endpoint is still in {@code from} (STOPPED for the first,
     * BACKING_OFF for the rest): a scheduled attempt and {@code reconnectNow()} racing
     * start one attempt.
     */
    private void connect(EndpointState from) {
        Attempt attempt = new Attempt();
        synchronized (this.lock) {
            if (this.closed || this.state != from) {
                return;
            }
            transition(EndpointState.CONNECTING, null);
            this.nextAttempt = null;
            this.pending = null;
            this.current = attempt;
            if (from == EndpointState.BACKING_OFF) {
                this.reconnects++;
            }
        }
        this.listeners.dispatch();
        CompletableFuture<Socket<Object>> future;
        try {
            future = this.connector.connect(this.name);
        }
        catch (RuntimeException ex) {
            attempt.ended(ex, false);
            return;
        }
        future.whenComplete((opened, error) -> {
            if (error != null) {
                attempt.ended(unwrap(error), false);
            }
            else {
                attempt.opened(opened);
            }
        });
    }

    private static Throwable unwrap(Throwable error) {
        if ((error instanceof CompletionException || error instanceof ExecutionException) && error.getCause() != null) {
            return error.getCause();
        }
        return error;
    }

    /**
     * Sets the state and queues the notice (caller holds the lock); records a JFR event
     * when enabled.
     */
    private void transition(EndpointState next, @Nullable Throwable cause) {
        EndpointState previous = this.state;
        if (previous == next) {
            return;
        }
        this.state = next;
        this.listeners.queue(previous, next, cause);
        EndpointStateEvent.commit(this.name, previous.name(), next.name(), cause);
    }

    @Override
    public String toString() {
        return "ManagedEndpoint[" + this.name + ", " + state().value() + "]";
    }

    /**
     * One connect and the socket it opens: ends once, by a failed connect or the socket's
     * close.
     */
    private final class Attempt {

        private final AtomicBoolean ended = new AtomicBoolean();

        private long connectedAt;

        /**
         * The socket opened and its handler's open returned (on its event loop): sends
         * the offline buffer in order, then moves to CONNECTED. Writes through the
         * endpoint meanwhile join the buffer's end.
         */
        void opened(Socket<Object> opened) {
            DefaultManagedEndpoint endpoint = DefaultManagedEndpoint.this;
            NettySocket<?> netty = (NettySocket<?>) opened;
            netty.closeFuture().whenComplete((ignored, failure) -> ended(netty.events.closeError(), true));
            List<CompletableFuture<Socket<?>>> connected = null;
            long outage = -1;
            int attempts = 0;
            while (true) {
                byte[] chunk;
                synchronized (endpoint.lock) {
                    if (endpoint.current != this || this.ended.get()) {
                        break;
                    }
                    chunk = endpoint.offline.poll();
                    if (chunk == null) {
                        endpoint.socket = opened;
                        endpoint.lastError = null;
                        endpoint.transition(EndpointState.CONNECTED, null);
                        this.connectedAt = System.nanoTime();
                        connected = new ArrayList<>(endpoint.waiters);
                        endpoint.waiters.clear();
                        outage = (endpoint.outageStart != 0) ? this.connectedAt - endpoint.outageStart : -1;
                        attempts = endpoint.outageFailures;
                        endpoint.outageStart = 0;
                        endpoint.outageFailures = 0;
                        break;
                    }
                }
                opened.write(chunk);
            }
            if (connected != null) {
                if (outage >= 0) {
                    logger.info("Managed endpoint '{}' reconnected after an outage of {} ms and {} failed attempts",
                            name, TimeUnit.NANOSECONDS.toMillis(outage), attempts);
                }
                endpoint.listeners.dispatch();
                connected.forEach((waiter) -> waiter.complete(opened));
                return;
            }
            // closed (or ended) while opening: the endpoint no longer wants this socket
            boolean stale;
            synchronized (endpoint.lock) {
                stale = endpoint.current != this;
            }
            if (stale) {
                opened.end();
            }
        }

        void ended(@Nullable Throwable error, boolean wasOpen) {
            if (!this.ended.compareAndSet(false, true)) {
                return;
            }
            DefaultManagedEndpoint endpoint = DefaultManagedEndpoint.this;
            ReconnectPolicy policy = endpoint.policy;
            Duration delay = null;
            int logged;
            synchronized (endpoint.lock) {
                if (endpoint.current != this) {
                    return;
                }
                endpoint.current = null;
                endpoint.socket = null;
                endpoint.lastError = error;
                long now = System.nanoTime();
                if (wasOpen && this.connectedAt != 0 && now - this.connectedAt >= policy.stableAfter().toNanos()) {
                    endpoint.failures = 0;
                }
                if (endpoint.outageStart == 0) {
                    endpoint.outageStart = now;
                }
                logged = ++endpoint.outageFailures;
                if (endpoint.closed || !policy.enabled()) {
                    endpoint.closed = true;
                    endpoint.transition(EndpointState.STOPPED, error);
                    endpoint.nextAttempt = null;
                }
                else {
                    int failures = ++endpoint.failures;
                    delay = policy.backoff(failures, ThreadLocalRandom.current().nextDouble());
                    endpoint.transition(EndpointState.BACKING_OFF, error);
                    endpoint.nextAttempt = Instant.now().plus(delay);
                    try {
                        endpoint.pending = endpoint.scheduler.schedule(() -> connect(EndpointState.BACKING_OFF),
                                delay.toNanos(), TimeUnit.NANOSECONDS);
                    }
                    catch (RejectedExecutionException ex) {
                        // the connector's event loops are shutting down
                        endpoint.closed = true;
                        endpoint.transition(EndpointState.STOPPED, error);
                        endpoint.nextAttempt = null;
                        delay = null;
                    }
                }
            }
            logEnd(error, wasOpen, delay, logged);
            if (delay == null) {
                // stopped for good: no reconnect will complete the waiters
                List<CompletableFuture<Socket<?>>> failed;
                Throwable reason;
                synchronized (endpoint.lock) {
                    failed = new ArrayList<>(endpoint.waiters);
                    endpoint.waiters.clear();
                    reason = endpoint.closedError();
                }
                endpoint.onClose.accept(endpoint);
                failed.forEach((waiter) -> waiter.completeExceptionally(reason));
            }
            endpoint.listeners.dispatch();
        }

        private void logEnd(@Nullable Throwable error, boolean wasOpen, @Nullable Duration delay, int failures) {
            String what = wasOpen ? "Connection of managed endpoint '" + name + "' closed"
                    : "Connect of managed endpoint '" + name + "' failed";
            String cause = (error != null) ? ": " + error : "";
            String next = (delay != null) ? "; reconnecting in " + delay.toMillis() + " ms" : "; not reconnecting";
            String count = (failures > 1) ? " (failure " + failures + " of this outage)" : "";
            // a long outage logs its first failure and every tenth, not one warning per
            // attempt
            if (failures == 1 || failures % 10 == 0 || delay == null) {
                logger.warn(what + cause + next + count);
            }
            else if (logger.isDebugEnabled()) {
                logger.debug(what + cause + next + count, error);
            }
        }

    }

}
