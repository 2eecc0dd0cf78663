package dev.socketconnector.internal.jfr;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.socketconnector.Socket;
import dev.socketconnector.SocketConnectException;
import dev.socketconnector.SocketObserver;
import org.jspecify.annotations.Nullable;

/**
 * Commits {@link ConnectEvent}, {@link HandshakeEvent} and {@link CloseEvent} from the
 * connector's observer calls. While no recording enables an event, each call costs one
 * {@code isEnabled()} check and allocates nothing that outlives it; an enabled event is
 * begun at {@code connecting}/{@code handshakeStarted} and committed when the connect or
 * handshake ends, so its JFR duration spans it. Calls run on event loops (and
 * {@code connecting} on the caller's thread); nothing here blocks.
 */
public final class JfrSocketObserver implements SocketObserver {

    /** The one instance; every connector adds it to its observers. */
    public static final JfrSocketObserver INSTANCE = new JfrSocketObserver();

    private final Map<Socket<?>, ConnectEvent> connects = new ConcurrentHashMap<>();

    private final Map<Socket<?>, HandshakeEvent> handshakes = new ConcurrentHashMap<>();

    private JfrSocketObserver() {
    }

    /**
     * Whether a recording enables the connect event: without one, {@code connecting} does
     * nothing, and the caller may skip building its arguments (the target string).
     * @return whether {@link ConnectEvent} is enabled
     */
    public boolean recordsConnects() {
        return new ConnectEvent().isEnabled();
    }

    @Override
    public void connecting(Socket<?> socket, @Nullable String endpoint, boolean tls, String target) {
        ConnectEvent event = new ConnectEvent();
        if (!event.isEnabled()) {
            return;
        }
        event.endpoint = endpoint;
        event.target = target;
        event.tls = tls;
        event.begin();
        this.connects.put(socket, event);
    }

    @Override
    public void handshakeStarted(Socket<?> socket, @Nullable String endpoint) {
        HandshakeEvent event = new HandshakeEvent();
        if (!event.isEnabled()) {
            return;
        }
        event.endpoint = endpoint;
        event.socket = socket.id();
        event.begin();
        this.handshakes.put(socket, event);
    }

    @Override
    public void handshake(Socket<?> socket, @Nullable String endpoint, Duration elapsed, @Nullable Throwable failure) {
        HandshakeEvent event = this.handshakes.remove(socket);
        if (event == null) {
            return;
        }
        event.success = (failure == null);
        event.error = (failure != null) ? String.valueOf(failure.getMessage()) : null;
        event.elapsed = elapsed.toNanos();
        event.commit();
    }

    @Override
    public void connected(Socket<?> socket, @Nullable String endpoint, boolean tls, Duration elapsed) {
        ConnectEvent event = this.connects.remove(socket);
        if (event == null) {
            return;
        }
        event.success = true;
        event.elapsed = elapsed.toNanos();
        event.commit();
    }

    @Override
    public void connectFailed(Socket<?> socket, @Nullable String endpoint, boolean tls, Duration elapsed,
            Throwable cause) {
        HandshakeEvent handshake = this.handshakes.remove(socket);
        if (handshake != null) {
            handshake.success = false;
            handshake.error = String.valueOf(cause.getMessage());
            handshake.commit();
        }
        ConnectEvent event = this.connects.remove(socket);
        if (event == null) {
            return;
        }
        event.success = false;
        event.error = (cause instanceof SocketConnectException connect) ? connect.code() : cause.getClass().getName();
        event.elapsed = elapsed.toNanos();
        event.commit();
    }

    @Override
    public void closed(Socket<?> socket, @Nullable String endpoint) {
        CloseEvent event = new CloseEvent();
        if (!event.shouldCommit()) {
            return;
        }
        event.endpoint = endpoint;
        event.socket = socket.id();
        event.remoteAddress = socket.remoteAddress();
        event.bytesWritten = socket.bytesWritten();
        event.bytesRead = socket.bytesRead();
        event.commit();
    }

}
