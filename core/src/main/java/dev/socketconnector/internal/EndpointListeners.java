package dev.socketconnector.internal;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.socketconnector.EndpointState;
import dev.socketconnector.EndpointStateListener;
import dev.socketconnector.ManagedEndpoint;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;
import org.jspecify.annotations.Nullable;

/**
 * A managed endpoint's state listeners and the transitions queued for them. Each
 * transition goes to the listeners registered when it happened, in order, one at a time,
 * by whichever thread finds the queue idle ({@link #dispatch()}); no lock is held while a
 * listener runs, and what a listener throws is logged. The queue is guarded by the
 * endpoint's lock: {@link #add} and {@link #queue} are called holding it,
 * {@link #dispatch()} without it.
 */
final class EndpointListeners {

    // the endpoint's logger: the message keeps the category it has always had
    private static final InternalLogger logger = InternalLoggerFactory.getInstance(ManagedEndpoint.class);

    private final ManagedEndpoint endpoint;

    private final String name;

    private final Object lock;

    private final List<Registration> listeners = new CopyOnWriteArrayList<>();

    // guarded by lock

    private final ArrayDeque<Notice> notices = new ArrayDeque<>();

    private boolean dispatching;

    EndpointListeners(ManagedEndpoint endpoint, String name, Object lock) {
        this.endpoint = endpoint;
        this.name = name;
        this.lock = lock;
    }

    /**
     * Registers a listener before the first transition, with no notice of its own: it
     * hears every transition from the first.
     */
    void addInitial(EndpointStateListener listener) {
        this.listeners.add(new Registration(listener));
    }

    /**
     * Registers a listener and queues its first notice, the current state (caller holds
     * the lock).
     * @return the handle that removes it
     */
    AutoCloseable add(EndpointStateListener listener, EndpointState state, @Nullable Throwable lastError) {
        Registration registration = new Registration(listener);
        this.listeners.add(registration);
        this.notices.add(new Notice(List.of(registration), state, state, lastError));
        return () -> {
            registration.removed = true;
            this.listeners.remove(registration);
        };
    }

    /**
     * Queues a transition for the listeners registered now (caller holds the lock).
     */
    void queue(EndpointState previous, EndpointState next, @Nullable Throwable cause) {
        this.notices.add(new Notice(List.copyOf(this.listeners), previous, next, cause));
    }

    /**
     * Delivers queued notices in order, unless another thread is already doing so; holds
     * no lock meanwhile.
     */
    void dispatch() {
        while (true) {
            Notice notice;
            synchronized (this.lock) {
                if (this.dispatching) {
                    return;
                }
                notice = this.notices.poll();
                if (notice == null) {
                    return;
                }
                this.dispatching = true;
            }
            try {
                for (Registration registration : notice.targets) {
                    if (registration.removed) {
                        continue;
                    }
                    try {
                        registration.listener.stateChanged(this.endpoint, notice.previous, notice.current,
                                notice.cause);
                    }
                    catch (Throwable thrown) {
                        logger.warn("A state listener of managed endpoint '{}' threw", this.name, thrown);
                    }
                }
            }
            finally {
                synchronized (this.lock) {
                    this.dispatching = false;
                }
            }
        }
    }

    /** A listener and whether its handle was closed. */
    private static final class Registration {

        final EndpointStateListener listener;

        volatile boolean removed;

        Registration(EndpointStateListener listener) {
            this.listener = listener;
        }

    }

    /** A transition to deliver, with the listeners registered when it happened. */
    private record Notice(List<Registration> targets, EndpointState previous, EndpointState current,
            @Nullable Throwable cause) {
    }

}
