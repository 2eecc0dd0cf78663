package dev.socketconnector.internal;

import java.time.Duration;

import dev.socketconnector.Socket;
import dev.socketconnector.SocketObserver;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;
import org.jspecify.annotations.Nullable;

/**
 * Calls the configured observer and logs what it throws: an observer must not throw, and if it does anyway
 * the socket's own flow (callbacks, the connect future) must go on.
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
        try {
            this.delegate.connecting(endpoint, tls, target);
        }
        catch (RuntimeException ex) {
            failed("connecting", ex);
        }
    }

    @Override
    public void connecting(Socket<?> socket, @Nullable String endpoint, boolean tls, String target) {
        try {
            this.delegate.connecting(socket, endpoint, tls, target);
        }
        catch (RuntimeException ex) {
            failed("connecting", ex);
        }
    }

    @Override
    public void handshakeStarted(Socket<?> socket, @Nullable String endpoint) {
        try {
            this.delegate.handshakeStarted(socket, endpoint);
        }
        catch (RuntimeException ex) {
            failed("handshakeStarted", ex);
        }
    }

    @Override
    public void handshake(Socket<?> socket, @Nullable String endpoint, Duration elapsed, @Nullable Throwable failure) {
        try {
            this.delegate.handshake(socket, endpoint, elapsed, failure);
        }
        catch (RuntimeException ex) {
            failed("handshake", ex);
        }
    }

    @Override
    public void connected(Socket<?> socket, @Nullable String endpoint, boolean tls, Duration elapsed) {
        try {
            this.delegate.connected(socket, endpoint, tls, elapsed);
        }
        catch (RuntimeException ex) {
            failed("connected", ex);
        }
    }

    @Override
    public void connectFailed(@Nullable String endpoint, boolean tls, Duration elapsed, Throwable cause) {
        try {
            this.delegate.connectFailed(endpoint, tls, elapsed, cause);
        }
        catch (RuntimeException ex) {
            failed("connectFailed", ex);
        }
    }

    @Override
    public void connectFailed(Socket<?> socket, @Nullable String endpoint, boolean tls, Duration elapsed,
            Throwable cause) {
        try {
            this.delegate.connectFailed(socket, endpoint, tls, elapsed, cause);
        }
        catch (RuntimeException ex) {
            failed("connectFailed", ex);
        }
    }

    @Override
    public void closed(Socket<?> socket, @Nullable String endpoint) {
        try {
            this.delegate.closed(socket, endpoint);
        }
        catch (RuntimeException ex) {
            failed("closed", ex);
        }
    }

    private static void failed(String method, RuntimeException ex) {
        logger.warn("SocketObserver.{} threw; observers must not throw", method, ex);
    }
}
