package dev.socketconnector.autoconfigure;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

import dev.socketconnector.ReconnectPolicy;
import dev.socketconnector.RequestReplyOptions;
import dev.socketconnector.SocketConnectOptions;
import dev.socketconnector.SocketHandler;
import dev.socketconnector.TcpSocketConnectOptions;
import dev.socketconnector.TlsOptions;
import dev.socketconnector.UnixSocketOptions;
import dev.socketconnector.autoconfigure.SocketConnectorProperties.Endpoint;
import dev.socketconnector.autoconfigure.SocketConnectorProperties.Reconnect;
import dev.socketconnector.autoconfigure.SocketConnectorProperties.RequestReply;
import org.jspecify.annotations.Nullable;

/**
 * A validated {@code socket.connector.endpoints.<name>} entry with its resolved handler:
 * builds the endpoint's connect options with the TLS material current at the time of the
 * call.
 *
 * @param name the endpoint name
 * @param endpoint the endpoint's properties
 * @param handler the handler bean
 * @param handlerBeanName the handler's bean name
 * @param allowHalfOpen whether sockets stay open after the peer's FIN
 * @param tls the endpoint's TLS options (null for plain TCP); unset values come from the
 * connector's defaults
 */
record EndpointDefinition(String name, Endpoint endpoint, SocketHandler<Object> handler, String handlerBeanName,
        boolean allowHalfOpen, Supplier<@Nullable TlsOptions> tls) {

    /** Returns whether the endpoint is connected on startup and kept connected. */
    boolean connectOnStartup() {
        return this.endpoint.isConnectOnStartup();
    }

    /** Returns the endpoint's reconnect policy. */
    Reconnect reconnect() {
        return this.endpoint.getReconnect();
    }

    /**
     * Returns the endpoint's reconnect policy for {@code SocketConnector.manage}
     * (validated already).
     */
    ReconnectPolicy policy() {
        Reconnect reconnect = this.endpoint.getReconnect();
        return ReconnectPolicy.builder()
            .enabled(reconnect.isEnabled())
            .initialBackoff(reconnect.getInitialBackoff())
            .maxBackoff(reconnect.getMaxBackoff())
            .multiplier(reconnect.getMultiplier())
            .jitter(reconnect.getJitter())
            .stableAfter(reconnect.getStableAfter())
            .offlineBufferSize((int) this.endpoint.getOfflineBufferSize().toBytes())
            .build();
    }

    /** Returns the options to register on the connector's builder. */
    SocketConnectOptions<Object> options() {
        return options(this.handler, this.tls.get());
    }

    /**
     * Returns options with this handler and these TLS options.
     * @param handler the handler
     * @param tls the TLS options, or null for none
     * @return the options
     */
    SocketConnectOptions<Object> options(SocketHandler<Object> handler, @Nullable TlsOptions tls) {
        String unix = this.endpoint.getUnix();
        if (unix != null && !unix.isBlank()) {
            return UnixSocketOptions.builder()
                .unix(unix)
                .socket(handler)
                .allowHalfOpen(this.allowHalfOpen)
                .tls(tls)
                .requestReply(requestReply())
                .build();
        }
        return TcpSocketConnectOptions.builder()
            // the validator has required both (naming the property)
            .hostname(Objects.requireNonNull(this.endpoint.getHostname(), "hostname"))
            .port(Objects.requireNonNull(this.endpoint.getPort(), "port"))
            .socket(handler)
            .allowHalfOpen(this.allowHalfOpen)
            .tls(tls)
            .requestReply(requestReply())
            .build();
    }

    /**
     * Returns the endpoint's request/reply options (validated already), or null when none
     * of its properties is set.
     */
    @Nullable RequestReplyOptions requestReply() {
        RequestReply properties = this.endpoint.getRequestReply();
        if (!properties.enabled()) {
            return null;
        }
        RequestReplyOptions.Builder builder = RequestReplyOptions.builder();
        Duration timeout = properties.getTimeout();
        if (timeout != null) {
            builder.timeout(timeout);
        }
        Integer maxInFlight = properties.getMaxInFlight();
        if (maxInFlight != null) {
            builder.maxInFlight(maxInFlight);
        }
        return builder.build();
    }
}
