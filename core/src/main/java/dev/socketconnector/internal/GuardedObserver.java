package dev.socketconnector.internal;

import java.time.Duration;

import dev.socketconnector.Socket;
import dev.socketconnector.SocketObserver;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;
import org.jspecify.annotations.Nullable;

/**
 * Calls the configured observer and logs what it throws: an observer must not throw, and
 * if it does anyway the socket's own flow (callbacks, the connect future) must go on.
 */
final class GuardedObserver implements SocketObserver {

    private static final InternalLogger logger = InternalLoggerFactory.getInstance(GuardedObserver.class);

    private final SocketObserver delegate;

    private GuardedObserver(SocketObserver delegate) {
        this.delegate = delegate;
    }

    static SocketObserver of(SocketObserver observer) {
        return (observer == SocketObserver.NONE) ? observer : new GuardedObserver(observer);
    }

    @Override
    public void connecting(@Nullable String endpoint, boolean tls, String target) {
        guard("connecting", () -> this.delegate.connecting(endpoint, tls, target));
    }

    @Override
    public void connecting(Socket<?> socket, @Nullable String endpoint, boolean tls, String target) {
        guard("connecting", () -> this.delegate.connecting(socket, endpoint, tls, target));
    }

    @Override
    public void handshakeStarted(Socket<?> socket, @Nullable String endpoint) {
        guard("handshakeStarted", () -> this.delegate.handshakeStarted(socket, endpoint));
    }

    @Override
    public void handshake(Socket<?> socket, @Nullable String endpoint, Duration elapsed, @Nullable Throwable failure) {
        guard("handshake", () -> this.delegate.handshake(socket, endpoint, elapsed, failure));
    }

    @Override
    public void connected(Socket<?> socket, @Nullable String endpoint, boolean tls, Duration elapsed) {
        guard("connected", () -> this.delegate.connected(socket, endpoint, tls, elapsed));
    }

    @Override
    public void connectFailed(@Nullable String endpoint, boolean tls, Duration elapsed, Throwable cause) {
        guard("connectFailed", () -> this.delegate.connectFailed(endpoint, tls, elapsed, cause));
    }

    @Override
    public void connectFailed(Socket<?> socket, @Nullable String endpoint, boolean tls, Duration elapsed,
            Throwable cause) {
        guard("connectFailed", () -> this.delegate.connectFailed(socket, endpoint, tls, elapsed, cause));
    }

    @Override
    public void closed(Socket<?> socket, @Nullable String endpoint) {
        guard("closed", () -> this.delegate.closed(socket, endpoint));
    }

    @Override
    public void closed(Socket<?> socket, @Nullable String endpoint, String reason) {
        guard("closed", () -> this.delegate.closed(socket, endpoint, reason));
    }

    /**
     * Runs one observer call (once per socket event, never per read or write) and logs
     * what it throws.
     */
    private static void guard(String method, Runnable call) {
        try {
            call.run();
        }
        catch (RuntimeException ex) {
            logger.warn("SocketObserver.{} threw; observers must not throw", method, ex);
        }
    }

}
