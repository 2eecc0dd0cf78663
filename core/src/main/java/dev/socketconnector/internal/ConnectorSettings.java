package dev.socketconnector.internal;

import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

import dev.socketconnector.Framing;
import dev.socketconnector.SocketConnectOptions;
import dev.socketconnector.SocketObserver;
import dev.socketconnector.TlsOptions;
import dev.socketconnector.Transport;

/**
 * The validated settings of a connector, as built by {@code SocketConnectorBuilder}.
 *
 * @param transport the transport
 * @param eventLoopThreads event-loop threads, 0 for one per core
 * @param connectTimeout the connect timeout, covering DNS, TCP and the TLS handshake
 * @param shutdownTimeout how long a graceful close waits
 * @param tls the TLS defaults, read once per connect
 * @param observer the user's observer (the connector adds the JFR observer after it)
 * @param noDelay TCP_NODELAY for new sockets
 * @param keepAlive SO_KEEPALIVE for new sockets
 * @param keepAliveInitialDelay TCP_KEEPIDLE for new sockets
 * @param writeBufferLowWaterMark the drain threshold in bytes
 * @param writeBufferHighWaterMark the accept limit in bytes
 * @param endpoints the named endpoints, each read at every connect by name
 * @param framing the framing of connects whose options set none
 */
public record ConnectorSettings(Transport transport, int eventLoopThreads, Duration connectTimeout,
        Duration shutdownTimeout, Supplier<TlsOptions> tls, SocketObserver observer, boolean noDelay, boolean keepAlive,
        Duration keepAliveInitialDelay, int writeBufferLowWaterMark, int writeBufferHighWaterMark,
        Map<String, Supplier<? extends SocketConnectOptions<?>>> endpoints, Framing framing) {

    /**
     * The settings with raw framing ({@link Framing#none()}) by default.
     * @param transport the transport
     * @param eventLoopThreads event-loop threads, 0 for one per core
     * @param connectTimeout the connect timeout
     * @param shutdownTimeout how long a graceful close waits
     * @param tls the TLS defaults
     * @param observer the user's observer
     * @param noDelay TCP_NODELAY for new sockets
     * @param keepAlive SO_KEEPALIVE for new sockets
     * @param keepAliveInitialDelay TCP_KEEPIDLE for new sockets
     * @param writeBufferLowWaterMark the drain threshold in bytes
     * @param writeBufferHighWaterMark the accept limit in bytes
     * @param endpoints the named endpoints
     */
    public ConnectorSettings(Transport transport, int eventLoopThreads, Duration connectTimeout,
            Duration shutdownTimeout, Supplier<TlsOptions> tls, SocketObserver observer, boolean noDelay,
            boolean keepAlive, Duration keepAliveInitialDelay, int writeBufferLowWaterMark,
            int writeBufferHighWaterMark, Map<String, Supplier<? extends SocketConnectOptions<?>>> endpoints) {
        this(transport, eventLoopThreads, connectTimeout, shutdownTimeout, tls, observer, noDelay, keepAlive,
                keepAliveInitialDelay, writeBufferLowWaterMark, writeBufferHighWaterMark, endpoints, Framing.none());
    }

}
