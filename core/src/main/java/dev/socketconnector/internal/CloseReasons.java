package dev.socketconnector.internal;

import javax.net.ssl.SSLException;

import dev.socketconnector.SocketTransportException;
import org.jspecify.annotations.Nullable;

/**
 * Classifies why an opened socket closed, for
 * {@code SocketObserver.closed(socket, endpoint, reason)} and the
 * {@code socket.connector.closes} meter: a closed set of reasons, so tags stay bounded.
 * {@link #IDLE} is any {@code ETIMEDOUT} close error outside the connector's shutdown: a
 * read-idle timeout ({@code IdleHandler}), the kernel giving up on a dead peer
 * (keep-alive probes, TCP_USER_TIMEOUT), or an {@code end()} that could not finish.
 */
final class CloseReasons {

    static final String LOCAL = "local";

    static final String PEER = "peer";

    static final String RESET = "reset";

    static final String TIMEOUT = "timeout";

    static final String IDLE = "idle";

    static final String TLS = "tls";

    static final String ERROR = "error";

    static final String SHUTDOWN = "shutdown";

    private CloseReasons() {
    }

    /**
     * Returns the reason.
     * @param connectorClosed whether the connector's close had begun
     * @param tlsFailed whether a TLS error after the handshake (a bad record, an alert)
     * closed the socket: close's error is null then (SEMANTICS), and the peer's FIN
     * answering our alert may come first
     * @param peerEndedFirst whether the peer's FIN came before any local end or close
     * @param localClose whether the application (or the socket on its behalf) ended or
     * closed it
     * @param timeoutFired whether {@code timeout(seconds)} had fired
     * @param error the error close reported, or null
     * @return one of the constants
     */
    static String of(boolean connectorClosed, boolean tlsFailed, boolean peerEndedFirst, boolean localClose,
            boolean timeoutFired, @Nullable Throwable error) {
        if (tlsFailed) {
            return TLS;
        }
        if (error != null) {
            for (Throwable cause = error; cause != null; cause = cause.getCause()) {
                if (cause instanceof SSLException) {
                    return TLS;
                }
            }
            if (error instanceof SocketTransportException transport) {
                String code = transport.code();
                if ("ECONNRESET".equals(code) || "EPIPE".equals(code)) {
                    return RESET;
                }
                if ("ETIMEDOUT".equals(code)) {
                    return connectorClosed ? SHUTDOWN : IDLE;
                }
            }
            return connectorClosed ? SHUTDOWN : ERROR;
        }
        if (connectorClosed && !peerEndedFirst) {
            return SHUTDOWN;
        }
        if (peerEndedFirst) {
            return PEER;
        }
        if (localClose) {
            return timeoutFired ? TIMEOUT : LOCAL;
        }
        return PEER;
    }

}
