package dev.socketconnector.internal;

/**
 * Keeps the JVM alive while referenced sockets are open, as Bun keeps its process alive.
 * <p>
 * Event-loop threads are daemons, so a program whose {@code main} returns would exit while sockets are open.
 * One non-daemon thread lives while at least one referenced socket is open; {@code unref()} releases a
 * socket's hold.
 */
final class JvmKeepAlive {

    static final JvmKeepAlive INSTANCE = new JvmKeepAlive();

    private int holds;

    private Thread thread;

    private JvmKeepAlive() {
    }

    synchronized void acquire() {
        this.holds++;
        if (this.holds == 1 && this.thread == null) {
            Thread keeper = new Thread(this::await, "socket-connector-keepalive");
            keeper.setDaemon(false);
            this.thread = keeper;
            keeper.start();
        }
    }

    synchronized void release() {
        if (this.holds > 0) {
            this.holds--;
            if (this.holds == 0) {
                notifyAll();
            }
        }
    }

    synchronized int holds() {
        return this.holds;
    }

    private synchronized void await() {
        try {
            while (this.holds > 0) {
                wait();
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        finally {
            this.thread = null;
            if (this.holds > 0) {
                // a hold arrived as this thread was ending: keep one thread alive for it
                acquireThreadAgain();
            }
        }
    }

    private void acquireThreadAgain() {
        Thread keeper = new Thread(this::await, "socket-connector-keepalive");
        keeper.setDaemon(false);
        this.thread = keeper;
        keeper.start();
    }
}
