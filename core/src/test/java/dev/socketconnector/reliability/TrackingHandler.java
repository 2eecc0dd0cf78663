package dev.socketconnector.reliability;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.socketconnector.Socket;
import dev.socketconnector.SocketHandler;
import org.jspecify.annotations.Nullable;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A handler that records each callback and its thread without keeping the bytes (so it
 * suits transfers of hundreds of MiB), for the "exactly once, nothing after close" checks
 * of the fault tests. Subclasses add behaviour by overriding and calling {@code super}.
 *
 * @param <D> the data type
 */
public class TrackingHandler<D> implements SocketHandler<D> {

    private final List<String> events = new CopyOnWriteArrayList<>();

    private final List<String> threads = new CopyOnWriteArrayList<>();

    private final List<Throwable> errors = new CopyOnWriteArrayList<>();

    private final CompletableFuture<Socket<D>> opened = new CompletableFuture<>();

    private final CompletableFuture<@Nullable Throwable> closed = new CompletableFuture<>();

    private final CompletableFuture<Throwable> connectFailed = new CompletableFuture<>();

    private volatile long received;

    /** Records an event and its thread. */
    protected final void record(String event) {
        this.events.add(event);
        this.threads.add(Thread.currentThread().getName());
    }

    @Override
    public void open(Socket<D> socket) {
        record("open");
        this.opened.complete(socket);
    }

    @Override
    public void data(Socket<D> socket, byte[] data) {
        record("data");
        this.received += data.length;
    }

    @Override
    public void drain(Socket<D> socket) {
        record("drain");
    }

    @Override
    public void end(Socket<D> socket) {
        record("end");
    }

    @Override
    public void close(Socket<D> socket, @Nullable Throwable error) {
        record("close");
        this.closed.complete(error);
    }

    @Override
    public void error(Socket<D> socket, Throwable error) {
        record("error");
        this.errors.add(error);
    }

    @Override
    public void timeout(Socket<D> socket) {
        record("timeout");
    }

    @Override
    public void connectError(Socket<D> socket, Throwable error) {
        record("connectError");
        this.connectFailed.complete(error);
    }

    @Override
    public void handshake(Socket<D> socket, boolean success, @Nullable Throwable authorizationError) {
        record("handshake:" + success);
    }

    /** Returns the bytes received so far. */
    public long receivedBytes() {
        return this.received;
    }

    /**
     * Returns the callbacks with runs of data and drain collapsed, such as
     * {@code [open, data, close]}.
     */
    public List<String> events() {
        List<String> collapsed = new ArrayList<>();
        for (String event : this.events) {
            boolean repeatable = event.equals("data") || event.equals("drain");
            if (repeatable && !collapsed.isEmpty() && collapsed.get(collapsed.size() - 1).equals(event)) {
                continue;
            }
            collapsed.add(event);
        }
        return collapsed;
    }

    /** Returns how often a callback fired. */
    public long count(String event) {
        return this.events.stream().filter(event::equals).count();
    }

    /** Returns the errors passed to {@code error}. */
    public List<Throwable> errors() {
        return List.copyOf(this.errors);
    }

    /** Returns the distinct threads the callbacks ran on. */
    public Set<String> threads() {
        return Set.copyOf(this.threads);
    }

    /** Waits for open. */
    public Socket<D> awaitOpen(long seconds) throws Exception {
        return this.opened.get(seconds, TimeUnit.SECONDS);
    }

    /** Waits for close and returns its error. */
    public @Nullable Throwable awaitClose(long seconds) throws Exception {
        try {
            return this.closed.get(seconds, TimeUnit.SECONDS);
        }
        catch (TimeoutException ex) {
            throw new AssertionError("close did not fire within " + seconds + " s; events " + events(), ex);
        }
    }

    /** Waits for connectError and returns its error. */
    public Throwable awaitConnectError(long seconds) throws Exception {
        return this.connectFailed.get(seconds, TimeUnit.SECONDS);
    }

    /** Returns whether close fired. */
    public boolean isClosed() {
        return this.closed.isDone();
    }

    /**
     * Waits a moment after close and checks the end of the story: close fired exactly
     * once, it was the last callback, nothing came after it, and every callback ran on
     * one thread.
     * @param quiet how long to watch for late events, in milliseconds
     */
    public void assertClosedOnceAndQuiet(long quiet) throws Exception {
        awaitClose(10);
        int size = this.events.size();
        Thread.sleep(quiet);
        assertThat(this.events).as("events after close").hasSize(size);
        assertThat(count("close")).as("close count in " + events()).isEqualTo(1);
        assertThat(this.events.get(this.events.size() - 1)).as("last event of " + events()).isEqualTo("close");
        assertThat(threads()).as("callback threads").hasSize(1);
    }

}
