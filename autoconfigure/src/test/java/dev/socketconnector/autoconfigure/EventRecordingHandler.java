package dev.socketconnector.autoconfigure;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.socketconnector.Socket;
import dev.socketconnector.SocketHandler;
import org.jspecify.annotations.Nullable;

/**
 * A handler bean for tests: records every callback as text ({@code open},
 * {@code data:hello}, {@code close:null}) and lets the test wait for the next one,
 * bounded.
 */
class EventRecordingHandler implements SocketHandler<Object> {

    private final List<String> events = new CopyOnWriteArrayList<>();

    private final BlockingQueue<String> pending = new LinkedBlockingQueue<>();

    private final List<Socket<Object>> opened = new CopyOnWriteArrayList<>();

    private void record(String event) {
        this.events.add(event);
        this.pending.add(event);
    }

    @Override
    public void open(Socket<Object> socket) {
        this.opened.add(socket);
        record("open");
    }

    @Override
    public void data(Socket<Object> socket, byte[] data) {
        record("data:" + new String(data, StandardCharsets.UTF_8));
    }

    @Override
    public void end(Socket<Object> socket) {
        record("end");
    }

    @Override
    public void close(Socket<Object> socket, @Nullable Throwable error) {
        record("close:" + ((error != null) ? error.getClass().getSimpleName() : "null"));
    }

    @Override
    public void connectError(Socket<Object> socket, Throwable error) {
        record("connectError");
    }

    @Override
    public void handshake(Socket<Object> socket, boolean success, @Nullable Throwable authorizationError) {
        record("handshake:" + success);
    }

    /**
     * Waits up to 10 s for the next event that starts with {@code prefix}, skipping
     * others.
     */
    String await(String prefix) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            long left = deadline - System.nanoTime();
            String event = (left > 0) ? this.pending.poll(left, TimeUnit.NANOSECONDS) : null;
            if (event == null) {
                throw new AssertionError("no '" + prefix + "' event within 10 s; events: " + this.events);
            }
            if (event.startsWith(prefix)) {
                return event;
            }
        }
    }

    /** Returns every event so far. */
    List<String> events() {
        return List.copyOf(this.events);
    }

    /** Returns how many events equal {@code event}. */
    long count(String event) {
        return this.events.stream().filter(event::equals).count();
    }

    /** Returns every socket that opened, in order. */
    List<Socket<Object>> opened() {
        return List.copyOf(this.opened);
    }

}
