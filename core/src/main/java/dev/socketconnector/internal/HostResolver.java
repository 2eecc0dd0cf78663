package dev.socketconnector.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import io.netty.util.concurrent.DefaultThreadFactory;
import org.jspecify.annotations.Nullable;

/**
 * Resolves host names off the event loop with the JDK's blocking lookup, within fixed
 * bounds.
 * <p>
 * Concurrent connects to one name share one lookup, so a slow name holds at most one
 * thread. At most {@code maxActive} lookups that some connect still waits for run at
 * once; more wait in a FIFO queue of at most {@code maxQueued} names, and a lookup beyond
 * that fails at once. A connect that gives up (its timeout, the connector's close)
 * {@linkplain Lookup#cancel() cancels} its lookup: a queued lookup nobody waits for
 * leaves the queue, and a running one stops counting against {@code maxActive}, so names
 * that never answer cannot starve the others. The JDK's lookup cannot be interrupted, so
 * such a lookup keeps its thread until the system resolver gives up; threads are capped
 * at {@code maxThreads} in all. Callbacks run on a resolver thread (or the caller's, for
 * an immediate failure) and must hop to the event loop themselves.
 */
final class HostResolver {

    /** The blocking lookup: {@link InetAddress#getAllByName(String)} outside tests. */
    @FunctionalInterface
    interface LookupFunction {

        /**
         * Looks up every address of a name, in the order the system resolver gives them.
         * @param host the name
         * @return the addresses, at least one
         * @throws UnknownHostException when the name does not resolve
         */
        InetAddress[] lookup(String host) throws UnknownHostException;

    }

    /** A connect's interest in a lookup. */
    interface Lookup {

        /** Drops the interest; the callback will not run. Idempotent, any thread. */
        void cancel();

    }

    static final int MAX_ACTIVE = 8;

    static final int MAX_QUEUED = 256;

    static final int MAX_THREADS = 64;

    private final LookupFunction function;

    private final int maxActive;

    private final int maxQueued;

    private final ThreadPoolExecutor threads;

    private final Object lock = new Object();

    /** Queued or running lookups that a connect waits for, by name. Guarded by lock. */
    private final Map<String, Query> pending = new HashMap<>();

    private final ArrayDeque<Query> queue = new ArrayDeque<>();

    private int active;

    private boolean closed;

    HostResolver(String threadPrefix) {
        this(InetAddress::getAllByName, MAX_ACTIVE, MAX_QUEUED, MAX_THREADS, threadPrefix);
    }

    HostResolver(LookupFunction function, int maxActive, int maxQueued, int maxThreads, String threadPrefix) {
        this.function = function;
        this.maxActive = maxActive;
        this.maxQueued = maxQueued;
        this.threads = new ThreadPoolExecutor(0, maxThreads, 10, TimeUnit.SECONDS, new SynchronousQueue<>(),
                new DefaultThreadFactory(threadPrefix, true));
    }

    /**
     * Starts or joins the lookup of {@code host}.
     * @param host the name
     * @param callback receives the addresses (never empty) or the failure, once, unless
     * cancelled first
     * @return the handle that cancels this interest
     */
    Lookup resolve(String host, BiConsumer<@Nullable List<InetAddress>, @Nullable Throwable> callback) {
        Waiter waiter;
        Throwable refused = null;
        synchronized (this.lock) {
            Query query = this.pending.get(host);
            if (this.closed) {
                refused = new RejectedExecutionException("the connector is closed");
                waiter = new Waiter(null, callback);
            }
            else if (query != null) {
                waiter = new Waiter(query, callback);
                query.waiters.add(waiter);
            }
            else if (this.active >= this.maxActive && this.queue.size() >= this.maxQueued) {
                refused = new RejectedExecutionException("DNS lookup of '" + host + "' refused: " + this.maxQueued
                        + " lookups are already waiting behind " + this.active + " running ones");
                waiter = new Waiter(null, callback);
            }
            else {
                query = new Query(host);
                waiter = new Waiter(query, callback);
                query.waiters.add(waiter);
                this.pending.put(host, query);
                this.queue.add(query);
                startQueued();
            }
        }
        if (refused != null) {
            callback.accept(null, refused);
        }
        return waiter;
    }

    /** Starts queued lookups while there is room. Holds lock. */
    private void startQueued() {
        while (this.active < this.maxActive && !this.queue.isEmpty()) {
            Query query = this.queue.peek();
            try {
                this.threads.execute(() -> run(query));
            }
            catch (RejectedExecutionException ex) {
                // every thread is held by a lookup that nobody waits for any more: wait
                // for one to finish
                return;
            }
            this.queue.poll();
            query.running = true;
            this.active++;
        }
    }

    private void run(Query query) {
        List<InetAddress> addresses = null;
        Throwable failure = null;
        try {
            addresses = List.of(this.function.lookup(query.host));
            if (addresses.isEmpty()) {
                addresses = null;
                failure = new UnknownHostException(query.host + ": no addresses");
            }
        }
        catch (UnknownHostException | RuntimeException ex) {
            failure = ex;
        }
        List<Waiter> waiters;
        synchronized (this.lock) {
            if (!query.abandoned) {
                this.active--;
            }
            this.pending.remove(query.host, query);
            waiters = new ArrayList<>(query.waiters);
            query.waiters.clear();
            startQueued();
        }
        for (Waiter waiter : waiters) {
            waiter.callback.accept(addresses, failure);
        }
    }

    private void cancel(Waiter waiter) {
        Query query = waiter.query;
        if (query == null) {
            return;
        }
        synchronized (this.lock) {
            if (!query.waiters.remove(waiter) || !query.waiters.isEmpty()) {
                return;
            }
            this.pending.remove(query.host, query);
            if (!query.running) {
                this.queue.remove(query);
            }
            else if (!query.abandoned) {
                // its thread stays blocked in the JDK until the system resolver gives up;
                // the slot is freed
                query.abandoned = true;
                this.active--;
                startQueued();
            }
        }
    }

    /**
     * Fails nothing further: lookups still running finish on their own, their results are
     * dropped.
     */
    void close() {
        synchronized (this.lock) {
            this.closed = true;
            this.queue.clear();
            this.pending.values().forEach((query) -> query.waiters.clear());
            this.pending.clear();
        }
        this.threads.shutdown();
    }

    /**
     * Whether a name may be given to the lookup: LDH labels (underscores tolerated), at
     * most 253 characters, and not under {@code .invalid} (RFC 6761: never resolves, so
     * it is refused without a lookup).
     * @param host the name, not an IP literal
     * @return whether it may be looked up
     */
    static boolean isValidHostname(String host) {
        String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        if (name.isEmpty() || name.length() > 253 || name.equals("invalid") || name.endsWith(".invalid")) {
            return false;
        }
        for (String label : name.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")) {
                return false;
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
                        || c == '_')) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * The number of lookups running that some connect waits for, and queued ones (for
     * tests).
     */
    int[] load() {
        synchronized (this.lock) {
            return new int[] { this.active, this.queue.size() };
        }
    }

    private static final class Query {

        final String host;

        final List<Waiter> waiters = new ArrayList<>(1);

        boolean running;

        boolean abandoned;

        Query(String host) {
            this.host = host;
        }

    }

    private final class Waiter implements Lookup {

        private final @Nullable Query query;

        final BiConsumer<@Nullable List<InetAddress>, @Nullable Throwable> callback;

        Waiter(@Nullable Query query, BiConsumer<@Nullable List<InetAddress>, @Nullable Throwable> callback) {
            this.query = query;
            this.callback = callback;
        }

        @Override
        public void cancel() {
            HostResolver.this.cancel(this);
        }

    }

}
