package dev.socketconnector.internal;

import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import dev.socketconnector.RequestReplyOptions;
import io.netty.util.concurrent.ScheduledFuture;
import org.jspecify.annotations.Nullable;

/**
 * One socket's pending requests ({@code Socket.request}, {@link RequestReplyOptions}): it
 * writes each request as one frame and matches received frames to pending requests,
 * pipelined (in order, through a FIFO) or by correlation id (through a map).
 * <ul>
 * <li><b>Threads.</b> {@link #request(byte[])} and a user's {@code cancel} run on any
 * thread; {@link #reply(byte[])}, the timeouts and {@link #closed(Throwable)} on the
 * socket's event loop. Pipelined requests register and write under {@code writeLock}, so
 * the FIFO's order is the order of their frames on the wire whatever the threads (the
 * write only copies the frame into the outbound buffer: the lock is never held while user
 * code runs, nor across I/O). The loop takes no lock: it polls the FIFO or removes from
 * the map.</li>
 * <li><b>Exactly once.</b> Each request is removed from the FIFO or map once, by whoever
 * removes it (reply, timeout with a correlation id, cancel with a correlation id, a
 * failed write, close), and only that remover gives its slot back; its future completes
 * once ({@link CompletableFuture} keeps the first completion), and a reply that finds its
 * request already completed (timed out, cancelled) goes to {@code data}.</li>
 * <li><b>Slots.</b> {@link #inFlight} counts requests in the FIFO or map, below
 * {@code maxInFlight}; a pipelined request that timed out stays in the FIFO (its reply
 * still comes) and keeps its slot until then.</li>
 * </ul>
 */
final class PendingRequests {

    private final NettySocket<?> socket;

    private final Duration timeout;

    private final long timeoutNanos;

    private final int maxInFlight;

    private final @Nullable Function<byte[], @Nullable Object> correlationId;

    /** Pipelined: the pending requests in the order of their frames on the wire. */
    private final @Nullable Queue<Request> queue;

    /** With a correlation id: the pending requests by id. */
    private final @Nullable ConcurrentHashMap<Object, Request> byId;

    /** Pipelined: held while a request registers and writes its frame. */
    private final Object writeLock = new Object();

    private final AtomicInteger inFlight = new AtomicInteger();

    PendingRequests(NettySocket<?> socket, RequestReplyOptions options) {
        this.socket = socket;
        this.timeout = options.timeout();
        this.timeoutNanos = saturatedNanos(options.timeout());
        this.maxInFlight = options.maxInFlight();
        this.correlationId = options.correlationId();
        this.queue = (this.correlationId == null) ? new ConcurrentLinkedQueue<>() : null;
        this.byId = (this.correlationId != null) ? new ConcurrentHashMap<>() : null;
    }

    private static long saturatedNanos(Duration duration) {
        try {
            return duration.toNanos();
        }
        catch (ArithmeticException ex) {
            return Long.MAX_VALUE;
        }
    }

    // ---- requesting (any thread) ----

    /**
     * Registers a request and writes its frame.
     * @return the future of the reply; already failed when the request was not sent
     */
    CompletableFuture<byte[]> request(byte[] payload) {
        Function<byte[], @Nullable Object> ids = this.correlationId;
        return (ids != null) ? requestById(ids, Objects.requireNonNull(this.byId), payload)
                : requestInOrder(Objects.requireNonNull(this.queue), payload);
    }

    private CompletableFuture<byte[]> requestInOrder(Queue<Request> queue, byte[] payload) {
        Request request = new Request(null);
        Throwable failure;
        synchronized (this.writeLock) {
            if (!takeSlot()) {
                failure = tooMany();
            }
            else {
                queue.offer(request);
                failure = write(payload);
                if (failure != null && queue.remove(request)) {
                    this.inFlight.decrementAndGet();
                }
            }
        }
        return sent(request, failure);
    }

    private CompletableFuture<byte[]> requestById(Function<byte[], @Nullable Object> ids,
            ConcurrentHashMap<Object, Request> byId, byte[] payload) {
        Object id;
        try {
            id = ids.apply(payload);
        }
        catch (RuntimeException ex) {
            return CompletableFuture.failedFuture(ex);
        }
        if (id == null) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(
                    "correlationId returned null for a request payload: every request needs an id"));
        }
        if (!takeSlot()) {
            return CompletableFuture.failedFuture(tooMany());
        }
        Request request = new Request(id);
        if (byId.putIfAbsent(id, request) != null) {
            this.inFlight.decrementAndGet();
            return CompletableFuture.failedFuture(new IllegalArgumentException("correlation id " + id
                    + " is already pending on " + describe() + ": ids must be unique among pending requests"));
        }
        Throwable failure = write(payload);
        if (failure != null && byId.remove(id, request)) {
            this.inFlight.decrementAndGet();
        }
        return sent(request, failure);
    }

    /**
     * Takes a slot below {@code maxInFlight}.
     * @return false when every slot is taken
     */
    private boolean takeSlot() {
        for (;;) {
            int current = this.inFlight.get();
            if (current >= this.maxInFlight) {
                return false;
            }
            if (this.inFlight.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    /**
     * Writes the request's frame.
     * @return null when the whole frame was accepted, else why it was not
     */
    private @Nullable Throwable write(byte[] payload) {
        int written;
        try {
            written = this.socket.writeRequestFrame(payload);
        }
        catch (RuntimeException ex) {
            // a payload the framing cannot send
            return ex;
        }
        if (written < 0) {
            return new RequestClosedException("request not sent: " + describe() + " is closing or closed");
        }
        if (written == 0) {
            return new RejectedExecutionException("request not sent: the outbound buffer of " + describe()
                    + " is full (write returned 0); retry after drain");
        }
        return null;
    }

    /**
     * Fails a request that was not sent (outside the lock: the future's dependents may
     * run here), or starts its timeout.
     */
    private CompletableFuture<byte[]> sent(Request request, @Nullable Throwable failure) {
        if (failure != null) {
            request.completeExceptionally(failure);
            return request;
        }
        try {
            request.timer = this.socket.loop.schedule(() -> timedOut(request), this.timeoutNanos, TimeUnit.NANOSECONDS);
        }
        catch (RejectedExecutionException ex) {
            // the connector's loops are shutting down: the socket's close fails the
            // request
            return request;
        }
        if (request.isDone()) {
            // completed (replied, failed by close) before its timer was set: the reply
            // path may not have seen the timer
            request.cancelTimer();
        }
        return request;
    }

    private RejectedExecutionException tooMany() {
        return new RejectedExecutionException("request not sent: maxInFlight " + this.maxInFlight
                + " reached, that many requests are pending on " + describe());
    }

    private String describe() {
        String endpoint = this.socket.endpoint;
        return "socket " + this.socket.id() + " to " + this.socket.target()
                + ((endpoint != null) ? " (endpoint '" + endpoint + "')" : "");
    }

    // ---- the loop's half ----

    /**
     * A frame arrived: completes the request it answers.
     * @return true when the frame completed a request (it then does not reach
     * {@code data}); false when it is not a reply, or answers a request that had already
     * timed out or been cancelled
     * @throws RuntimeException what the correlation id function threw for the frame
     */
    boolean reply(byte[] frame) {
        assert this.socket.loop.inEventLoop();
        Request request;
        Function<byte[], @Nullable Object> ids = this.correlationId;
        if (ids == null) {
            request = Objects.requireNonNull(this.queue).poll();
        }
        else {
            Object id = ids.apply(frame);
            request = (id != null) ? Objects.requireNonNull(this.byId).remove(id) : null;
        }
        if (request == null) {
            return false;
        }
        this.inFlight.decrementAndGet();
        boolean completed = request.complete(frame);
        request.cancelTimer();
        return completed;
    }

    /** A request's timeout passed. Loop. */
    private void timedOut(Request request) {
        if (request.isDone()) {
            return;
        }
        ConcurrentHashMap<Object, Request> byId = this.byId;
        if (byId != null && byId.remove(Objects.requireNonNull(request.id), request)) {
            this.inFlight.decrementAndGet();
        }
        // pipelined: it keeps its place (its reply still comes, then goes to data)
        request.completeExceptionally(new TimeoutException("no reply within " + this.timeout.toMillis()
                + " ms (timeout " + this.timeout + ") from " + describe()));
    }

    /** A user cancelled a request's future. Any thread. */
    private void cancelled(Request request) {
        request.cancelTimer();
        ConcurrentHashMap<Object, Request> byId = this.byId;
        if (byId != null && byId.remove(Objects.requireNonNull(request.id), request)) {
            this.inFlight.decrementAndGet();
        }
        // pipelined: it keeps its place, as a timed-out request does
    }

    /**
     * The socket has closed: fails every pending request once, with close's error or a
     * {@link ClosedChannelException} saying so. Loop, before {@code close} is dispatched.
     */
    void closed(@Nullable Throwable closeError) {
        assert this.socket.loop.inEventLoop();
        Throwable error = null;
        Queue<Request> queue = this.queue;
        if (queue != null) {
            Request request;
            while ((request = queue.poll()) != null) {
                this.inFlight.decrementAndGet();
                error = failClosed(request, closeError, error);
            }
        }
        ConcurrentHashMap<Object, Request> byId = this.byId;
        if (byId != null) {
            for (Request request : byId.values()) {
                if (byId.remove(Objects.requireNonNull(request.id), request)) {
                    this.inFlight.decrementAndGet();
                    error = failClosed(request, closeError, error);
                }
            }
        }
    }

    private @Nullable Throwable failClosed(Request request, @Nullable Throwable closeError, @Nullable Throwable made) {
        request.cancelTimer();
        if (request.isDone()) {
            return made;
        }
        Throwable error = closeError;
        if (error == null) {
            error = (made != null) ? made
                    : new RequestClosedException(describe() + " closed before the reply to a pending request");
        }
        request.completeExceptionally(error);
        return error;
    }

    /** One pending request: its future, as returned to the user. */
    private final class Request extends CompletableFuture<byte[]> {

        /** The correlation id, or null when pipelined. */
        final @Nullable Object id;

        /** The timeout task, once scheduled. */
        volatile @Nullable ScheduledFuture<?> timer;

        Request(@Nullable Object id) {
            this.id = id;
        }

        void cancelTimer() {
            ScheduledFuture<?> current = this.timer;
            if (current != null) {
                current.cancel(false);
            }
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = super.cancel(mayInterruptIfRunning);
            if (cancelled) {
                cancelled(this);
            }
            return cancelled;
        }

    }

    /**
     * A {@link ClosedChannelException} that says what was closed (the JDK's has no
     * message).
     */
    static final class RequestClosedException extends ClosedChannelException {

        private static final long serialVersionUID = 1L;

        private final String message;

        RequestClosedException(String message) {
            this.message = message;
        }

        @Override
        public String getMessage() {
            return this.message;
        }

    }

}
