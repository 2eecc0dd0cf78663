package dev.socketconnector.autoconfigure.metrics;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.socketconnector.Socket;
import dev.socketconnector.SocketHandler;
import org.jspecify.annotations.Nullable;

/**
 * A handler that collects the bytes a socket receives and completes a future when it
 * closes.
 */
public final class RecordingHandler implements SocketHandler<Object> {

    private final ByteArrayOutputStream received = new ByteArrayOutputStream();

    private final CompletableFuture<@Nullable Throwable> closed = new CompletableFuture<>();

    @Override
    public void data(Socket<Object> socket, byte[] data) {
        synchronized (this.received) {
            this.received.writeBytes(data);
            this.received.notifyAll();
        }
    }

    @Override
    public void close(Socket<Object> socket, @Nullable Throwable error) {
        this.closed.complete(error);
    }

    @Override
    public void error(Socket<Object> socket, Throwable error) {
        // the close that follows completes the future
    }

    /**
     * Waits up to 10 s until at least {@code count} bytes have arrived, and returns all
     * of them.
     */
    public byte[] awaitReceived(int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        synchronized (this.received) {
            while (this.received.size() < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("received " + this.received.size() + " of " + count + " bytes in 10 s");
                }
                TimeUnit.NANOSECONDS.timedWait(this.received, left);
            }
            return this.received.toByteArray();
        }
    }

    /** Waits up to 10 s for the close callback. */
    public void awaitClosed() throws Exception {
        this.closed.get(10, TimeUnit.SECONDS);
    }

}
