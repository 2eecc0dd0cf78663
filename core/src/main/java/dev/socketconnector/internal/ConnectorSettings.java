package dev.socketconnector.internal;

import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

import dev.socketconnector.Framing;
import dev.socketconnector.KeepAliveOptions;
import dev.socketconnector.Resolver;
import dev.socketconnector.SocketConnectOptions;
import dev.socketconnector.SocketObserver;
import dev.socketconnector.TlsOptions;
import dev.socketconnector.Transport;

/**
 * The validated settings of a connector, as built by {@code SocketConnectorBuilder}.
 *
 * @param transport the transport
 * @param eventLoopThreads event-loop threads, 0 for one per two cores (at least one)
 * @param connectTimeout the connect timeout, covering DNS, TCP and the TLS handshake
 * @param shutdownTimeout how long a graceful close waits
 * @param tls the TLS defaults, read once per connect
 * @param observer the user's observer (the connector adds the JFR observer after it)
 * @param noDelay TCP_NODELAY for new sockets
 * @param keepAlive keep-alive and TCP_USER_TIMEOUT for new TCP sockets
 * @param writeBufferLowWaterMark the drain threshold in bytes
 * @param writeBufferHighWaterMark the accept limit in bytes
 * @param endpoints the named endpoints, each read at every connect by name
 * @param readIdleTimeout the default read-idle timeout of every connect, zero for none
 * @param heartbeatInterval the default heartbeat interval of every connect, zero for none
 * @param heartbeatPayload the default heartbeat payload (empty when there is no
 * heartbeat); never modified
 * @param connectAttemptDelay the Happy Eyeballs stagger between address attempts
 * @param resolver how host names resolve, at every connect attempt
 * @param framing the framing of connects whose options set none
 */
public record ConnectorSettings(Transport transport, int eventLoopThreads, Duration connectTimeout,
        Duration shutdownTimeout, Supplier<TlsOptions> tls, SocketObserver observer, boolean noDelay,
        KeepAliveOptions keepAlive, int writeBufferLowWaterMark, int writeBufferHighWaterMark,
        Map<String, Supplier<? extends SocketConnectOptions<?>>> endpoints, Duration readIdleTimeout,
        Duration heartbeatInterval, byte[] heartbeatPayload, Duration connectAttemptDelay, Resolver resolver,
        Framing framing) {
}
