package dev.socketconnector.internal;

import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

/**
 * Keeps the JVM alive while referenced sockets are open, as Bun keeps its process alive.
 * <p>
 * Event-loop threads are daemons, so a program whose {@code main} returns would exit
 * while sockets are open. One non-daemon thread lives while at least one referenced
 * socket is open; {@code unref()} releases a socket's hold. Taking and releasing a hold
 * is one atomic update; the monitor is used only when the count moves between zero and
 * one.
 */
final class JvmKeepAlive {

    static final JvmKeepAlive INSTANCE = new JvmKeepAlive();

    private final AtomicInteger holds = new AtomicInteger();

    private @Nullable Thread keeper;

    private JvmKeepAlive() {
    }

    void acquire() {
        if (this.holds.getAndIncrement() == 0) {
            ensureKeeper();
        }
    }

    void release() {
        if (this.holds.decrementAndGet() == 0) {
            wake();
        }
    }

    private synchronized void ensureKeeper() {
        if (this.keeper == null) {
            Thread thread = new Thread(this::await, "socket-connector-keepalive");
            thread.setDaemon(false);
            this.keeper = thread;
            thread.start();
        }
    }

    private synchronized void wake() {
        notifyAll();
    }

    private synchronized void await() {
        try {
            while (this.holds.get() > 0) {
                wait();
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        finally {
            this.keeper = null;
            if (this.holds.get() > 0) {
                // a hold arrived as this thread was ending: keep one thread alive for it
                ensureKeeper();
            }
        }
    }

}
