package dev.socketconnector;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * A handler that records each callback, its argument summary and its thread, so a test
 * asserts the exact sequence ({@code open, data, end, close}) and that every callback ran
 * on one event-loop thread. Behaviour is added per callback with the {@code on*} methods.
 *
 * @param <D> the data type
 */
public class RecordingSocketHandler<D> implements SocketHandler<D> {

    /** How long the await methods wait. */
    public static final Duration WAIT = Duration.ofSeconds(10);

    private final List<String> events = new CopyOnWriteArrayList<>();

    private final List<String> threads = new CopyOnWriteArrayList<>();

    private final ByteArrayOutputStream received = new ByteArrayOutputStream();

    private final CompletableFuture<Socket<D>> opened = new CompletableFuture<>();

    private final CompletableFuture<@Nullable Throwable> closed = new CompletableFuture<>();

    private final CompletableFuture<Throwable> connectFailed = new CompletableFuture<>();

    private final CompletableFuture<Boolean> handshook = new CompletableFuture<>();

    private final List<Throwable> errors = new CopyOnWriteArrayList<>();

    private volatile @Nullable Throwable closeError;

    private volatile Consumer<Socket<D>> onOpen = (s) -> {
    };

    private volatile BiConsumer<Socket<D>, byte[]> onData = (s, d) -> {
    };

    private volatile Consumer<Socket<D>> onDrain = (s) -> {
    };

    private volatile Consumer<Socket<D>> onEnd = (s) -> {
    };

    private volatile Consumer<Socket<D>> onTimeout = (s) -> {
    };

    private volatile Consumer<Socket<D>> onClose = (s) -> {
    };

    private volatile @Nullable BiConsumer<Socket<D>, Throwable> onError;

    private volatile BiConsumer<Socket<D>, Throwable> onConnectError = (s, e) -> {
    };

    public RecordingSocketHandler<D> onOpen(Consumer<Socket<D>> action) {
        this.onOpen = action;
        return this;
    }

    public RecordingSocketHandler<D> onData(BiConsumer<Socket<D>, byte[]> action) {
        this.onData = action;
        return this;
    }

    public RecordingSocketHandler<D> onDrain(Consumer<Socket<D>> action) {
        this.onDrain = action;
        return this;
    }

    public RecordingSocketHandler<D> onEnd(Consumer<Socket<D>> action) {
        this.onEnd = action;
        return this;
    }

    public RecordingSocketHandler<D> onTimeout(Consumer<Socket<D>> action) {
        this.onTimeout = action;
        return this;
    }

    public RecordingSocketHandler<D> onClose(Consumer<Socket<D>> action) {
        this.onClose = action;
        return this;
    }

    /**
     * Overrides error: without this the default (log, close with the error) runs after
     * recording.
     */
    public RecordingSocketHandler<D> onError(BiConsumer<Socket<D>, Throwable> action) {
        this.onError = action;
        return this;
    }

    public RecordingSocketHandler<D> onConnectError(BiConsumer<Socket<D>, Throwable> action) {
        this.onConnectError = action;
        return this;
    }

    private void record(String event) {
        this.events.add(event);
        this.threads.add(Thread.currentThread().getName());
    }

    @Override
    public void open(Socket<D> socket) {
        record("open");
        try {
            this.onOpen.accept(socket);
        }
        finally {
            this.opened.complete(socket);
        }
    }

    @Override
    public void data(Socket<D> socket, byte[] data) {
        record("data");
        synchronized (this.received) {
            this.received.write(data, 0, data.length);
            this.received.notifyAll();
        }
        this.onData.accept(socket, data);
    }

    @Override
    public void drain(Socket<D> socket) {
        record("drain");
        this.onDrain.accept(socket);
    }

    @Override
    public void end(Socket<D> socket) {
        record("end");
        this.onEnd.accept(socket);
    }

    @Override
    public void close(Socket<D> socket, @Nullable Throwable error) {
        record("close");
        this.closeError = error;
        try {
            this.onClose.accept(socket);
        }
        finally {
            this.closed.complete(error);
        }
    }

    @Override
    public void error(Socket<D> socket, Throwable error) {
        record("error");
        this.errors.add(error);
        BiConsumer<Socket<D>, Throwable> action = this.onError;
        if (action != null) {
            action.accept(socket, error);
        }
        else {
            SocketHandler.super.error(socket, error);
        }
    }

    @Override
    public void timeout(Socket<D> socket) {
        record("timeout");
        this.onTimeout.accept(socket);
    }

    @Override
    public void connectError(Socket<D> socket, Throwable error) {
        record("connectError");
        try {
            this.onConnectError.accept(socket, error);
        }
        finally {
            this.connectFailed.complete(error);
        }
    }

    @Override
    public void handshake(Socket<D> socket, boolean success, @Nullable Throwable authorizationError) {
        record("handshake:" + success);
        this.handshook.complete(success);
    }

    /**
     * Returns the callbacks so far, such as {@code [open, data, end, close]}; data runs
     * are collapsed.
     */
    public List<String> events() {
        List<String> collapsed = new ArrayList<>();
        for (String event : this.events) {
            if (event.equals("data") && !collapsed.isEmpty() && collapsed.get(collapsed.size() - 1).equals("data")) {
                continue;
            }
            collapsed.add(event);
        }
        return collapsed;
    }

    /** Returns every callback so far, uncollapsed. */
    public List<String> rawEvents() {
        return List.copyOf(this.events);
    }

    /** Returns the distinct thread names the callbacks ran on. */
    public Set<String> threads() {
        return Set.copyOf(this.threads);
    }

    public List<Throwable> errors() {
        return List.copyOf(this.errors);
    }

    public @Nullable Throwable closeError() {
        return this.closeError;
    }

    public byte[] received() {
        synchronized (this.received) {
            return this.received.toByteArray();
        }
    }

    /**
     * Waits until at least {@code count} bytes have arrived, and returns all received
     * bytes.
     */
    public byte[] awaitBytes(int count) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        synchronized (this.received) {
            while (this.received.size() < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError(
                            "expected " + count + " bytes, received " + this.received.size() + "; events " + events());
                }
                TimeUnit.NANOSECONDS.timedWait(this.received, left);
            }
            return this.received.toByteArray();
        }
    }

    public Socket<D> awaitOpen() throws Exception {
        return this.opened.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Waits for close and returns its error (null for a clean close). */
    public @Nullable Throwable awaitClose() throws Exception {
        try {
            return this.closed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (java.util.concurrent.TimeoutException ex) {
            throw new AssertionError("close did not fire; events " + events(), ex);
        }
    }

    public boolean isClosed() {
        return this.closed.isDone();
    }

    public Throwable awaitConnectError() throws Exception {
        return this.connectFailed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    public boolean awaitHandshake() throws Exception {
        return this.handshook.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

}
