package dev.socketconnector.autoconfigure;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import dev.socketconnector.Socket;
import dev.socketconnector.SocketConnectOptions;
import dev.socketconnector.SocketConnector;
import dev.socketconnector.SocketHandler;
import dev.socketconnector.TlsOptions;
import dev.socketconnector.autoconfigure.SocketConnectorProperties.Reconnect;
import dev.socketconnector.internal.jfr.EndpointStateEvent;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * A connect-on-startup endpoint: connects, and after a failed connect or a dropped connection schedules the
 * next attempt with jittered exponential backoff. Nothing here blocks: connects are asynchronous and attempts
 * are scheduled on a shared scheduler thread.
 * <p>
 * State is guarded by {@code lock}, never held while a user callback or a connect runs.
 */
final class DefaultManagedEndpoint implements ManagedEndpoint {

    private static final Log logger = LogFactory.getLog(DefaultManagedEndpoint.class);

    private final EndpointDefinition definition;

    private final SocketConnector connector;

    private final ScheduledExecutorService scheduler;

    private final Supplier<TlsOptions> tlsDefaults;

    private final Clock clock;

    private final Object lock = new Object();

    private boolean running;

    private EndpointState state = EndpointState.STOPPED;

    private @Nullable Socket<?> socket;

    private @Nullable Throwable lastError;

    private @Nullable Instant nextAttempt;

    private @Nullable ScheduledFuture<?> pending;

    private @Nullable Attempt current;

    private long reconnects;

    private int failures;

    DefaultManagedEndpoint(EndpointDefinition definition, SocketConnector connector,
            ScheduledExecutorService scheduler, Supplier<TlsOptions> tlsDefaults, Clock clock) {
        this.definition = definition;
        this.connector = connector;
        this.scheduler = scheduler;
        this.tlsDefaults = tlsDefaults;
        this.clock = clock;
    }

    @Override
    public String name() {
        return this.definition.name();
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

    /** Starts the first connect; does nothing if already started. */
    void start() {
        synchronized (this.lock) {
            if (this.running) {
                return;
            }
            this.running = true;
        }
        connect(false);
    }

    /**
     * Sets the state (callers hold the lock) and, when a JDK Flight Recorder recording enables it, records the
     * change as a {@code dev.socketconnector.EndpointState} event.
     */
    private void transition(EndpointState next, @Nullable Throwable cause) {
        EndpointState previous = this.state;
        this.state = next;
        if (previous != next) {
            EndpointStateEvent.commit(name(), previous.name(), next.name(), cause);
        }
    }

    /** Stops reconnecting; the open socket, if any, is left to the connector's close. */
    void stop() {
        ScheduledFuture<?> cancel;
        synchronized (this.lock) {
            this.running = false;
            transition(EndpointState.STOPPED, null);
            this.nextAttempt = null;
            this.current = null;
            cancel = this.pending;
            this.pending = null;
        }
        if (cancel != null) {
            cancel.cancel(false);
        }
    }

    private void connect(boolean reconnect) {
        Attempt attempt = new Attempt();
        synchronized (this.lock) {
            if (!this.running) {
                return;
            }
            transition(EndpointState.CONNECTING, null);
            this.nextAttempt = null;
            this.pending = null;
            this.current = attempt;
            if (reconnect) {
                this.reconnects++;
            }
        }
        CompletableFuture<Socket<Object>> future;
        try {
            TlsOptions tls = this.definition.tls().get();
            if (tls != null) {
                tls = tls.withDefaults(this.tlsDefaults.get());
            }
            SocketConnectOptions<Object> options = this.definition.options(new ManagedHandler(attempt), tls);
            future = this.connector.connect(name(), options);
        }
        catch (RuntimeException ex) {
            attempt.ended(ex, false);
            return;
        }
        future.whenComplete((socket, error) -> {
            if (error != null) {
                attempt.ended(unwrap(error), false);
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
     * Returns the delay before the next attempt after {@code failures} consecutive failures: the initial
     * backoff times multiplier^(failures - 1), at most the max backoff, spread by the jitter.
     * @param reconnect the policy
     * @param failures 1 or more
     * @param random a number in [0, 1)
     * @return the delay
     */
    static Duration backoff(Reconnect reconnect, int failures, double random) {
        double initial = reconnect.getInitialBackoff().toNanos();
        double max = reconnect.getMaxBackoff().toNanos();
        double delay = Math.min(max, initial * Math.pow(reconnect.getMultiplier(), Math.max(0, failures - 1)));
        double jittered = delay * (1.0 + reconnect.getJitter() * (2.0 * random - 1.0));
        return Duration.ofNanos((long) Math.max(0.0, Math.min(max, jittered)));
    }

    /** One connect and the socket it opens: ends once, by a failed connect or the socket's close. */
    private final class Attempt {

        private final AtomicBoolean ended = new AtomicBoolean();

        /** Whether {@code open} returned normally: only then does {@code close} end the attempt. */
        private volatile boolean open;

        void opened(Socket<?> opened) {
            synchronized (DefaultManagedEndpoint.this.lock) {
                if (DefaultManagedEndpoint.this.current != this) {
                    return;
                }
                DefaultManagedEndpoint.this.transition(EndpointState.CONNECTED, null);
                DefaultManagedEndpoint.this.socket = opened;
                DefaultManagedEndpoint.this.lastError = null;
                DefaultManagedEndpoint.this.failures = 0;
            }
        }

        void ended(@Nullable Throwable error, boolean wasOpen) {
            if (!this.ended.compareAndSet(false, true)) {
                return;
            }
            Duration delay;
            int failures;
            synchronized (DefaultManagedEndpoint.this.lock) {
                if (DefaultManagedEndpoint.this.current != this) {
                    return;
                }
                DefaultManagedEndpoint.this.current = null;
                DefaultManagedEndpoint.this.socket = null;
                DefaultManagedEndpoint.this.lastError = error;
                Reconnect reconnect = DefaultManagedEndpoint.this.definition.reconnect();
                if (!DefaultManagedEndpoint.this.running || !reconnect.isEnabled()) {
                    DefaultManagedEndpoint.this.transition(EndpointState.STOPPED, error);
                    DefaultManagedEndpoint.this.nextAttempt = null;
                    logEnd(error, wasOpen, null, 1);
                    return;
                }
                failures = ++DefaultManagedEndpoint.this.failures;
                delay = backoff(reconnect, failures, ThreadLocalRandom.current().nextDouble());
                DefaultManagedEndpoint.this.transition(EndpointState.BACKING_OFF, error);
                DefaultManagedEndpoint.this.nextAttempt = DefaultManagedEndpoint.this.clock.instant().plus(delay);
                try {
                    DefaultManagedEndpoint.this.pending = DefaultManagedEndpoint.this.scheduler
                        .schedule(() -> connect(true), delay.toNanos(), TimeUnit.NANOSECONDS);
                }
                catch (RejectedExecutionException ex) {
                    // the registry is stopping
                    DefaultManagedEndpoint.this.transition(EndpointState.STOPPED, error);
                    DefaultManagedEndpoint.this.nextAttempt = null;
                    return;
                }
            }
            logEnd(error, wasOpen, delay, failures);
        }

        private void logEnd(@Nullable Throwable error, boolean wasOpen, @Nullable Duration delay, int failures) {
            String what = wasOpen ? "connection to endpoint '" + name() + "' closed"
                    : "connect to endpoint '" + name() + "' failed";
            String next = (delay != null) ? "; reconnecting in " + delay.toMillis() + "ms" : "";
            if (error == null) {
                logger.info(what + next);
                return;
            }
            // a long outage logs its first failure and every tenth, not one warning per attempt
            boolean warn = wasOpen || failures == 1 || failures % 10 == 0;
            String message = what + ": " + error + next + ((failures > 1) ? " (attempt " + failures + ")" : "");
            if (warn) {
                logger.warn(message, logger.isDebugEnabled() ? error : null);
            }
            else if (logger.isDebugEnabled()) {
                logger.debug(message, error);
            }
        }
    }

    /** The endpoint's handler, plus the bookkeeping of the attempt that opened the socket. */
    private final class ManagedHandler implements SocketHandler<Object> {

        private final Attempt attempt;

        private final SocketHandler<Object> delegate;

        ManagedHandler(Attempt attempt) {
            this.attempt = attempt;
            this.delegate = DefaultManagedEndpoint.this.definition.handler();
        }

        @Override
        public void open(Socket<Object> socket) {
            this.attempt.opened(socket);
            this.delegate.open(socket);
            this.attempt.open = true;
        }

        @Override
        public void data(Socket<Object> socket, byte[] data) {
            this.delegate.data(socket, data);
        }

        @Override
        public void drain(Socket<Object> socket) {
            this.delegate.drain(socket);
        }

        @Override
        public void end(Socket<Object> socket) {
            this.delegate.end(socket);
        }

        @Override
        public void close(Socket<Object> socket, @Nullable Throwable error) {
            try {
                this.delegate.close(socket, error);
            }
            finally {
                // a failed handshake or a throwing open() also close the socket, but the connect future
                // reports them with their cause
                if (this.attempt.open) {
                    this.attempt.ended(error, true);
                }
            }
        }

        @Override
        public void error(Socket<Object> socket, Throwable error) {
            this.delegate.error(socket, error);
        }

        @Override
        public void timeout(Socket<Object> socket) {
            this.delegate.timeout(socket);
        }

        @Override
        public void connectError(Socket<Object> socket, Throwable error) {
            this.delegate.connectError(socket, error);
        }

        @Override
        public void handshake(Socket<Object> socket, boolean success, @Nullable Throwable authorizationError) {
            this.delegate.handshake(socket, success, authorizationError);
        }
    }
}
