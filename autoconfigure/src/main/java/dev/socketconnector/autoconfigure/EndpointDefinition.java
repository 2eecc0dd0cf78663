package dev.socketconnector.autoconfigure;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
        Duration readIdle = this.endpoint.getReadIdleTimeout();
        Duration heartbeat = this.endpoint.getHeartbeat().getInterval();
        byte[] payload = heartbeatPayload();
        if (unix != null && !unix.isBlank()) {
            UnixSocketOptions.Builder<Object> builder = UnixSocketOptions.builder()
                .unix(unix)
                .socket(handler)
                .allowHalfOpen(this.allowHalfOpen)
                .tls(tls)
                .framing(framing())
                .requestReply(requestReply());
            if (readIdle != null) {
                builder.readIdleTimeout(readIdle);
            }
            if (heartbeat != null) {
                builder.heartbeat(heartbeat, payload);
            }
            return builder.build();
        }
        TcpSocketConnectOptions.Builder<Object> builder = TcpSocketConnectOptions.builder();
        List<String> addresses = this.endpoint.getAddresses();
        if (addresses != null) {
            List<InetSocketAddress> parsed = new ArrayList<>(addresses.size());
            for (String address : addresses) {
                // validated already, naming the entry
                parsed.add(HostPorts.parse(address));
            }
            builder.addresses(parsed);
        }
        else {
            // the validator has required both (naming the property)
            builder.hostname(Objects.requireNonNull(this.endpoint.getHostname(), "hostname"))
                .port(Objects.requireNonNull(this.endpoint.getPort(), "port"));
        }
        builder.socket(handler)
            .allowHalfOpen(this.allowHalfOpen)
            .tls(tls)
            .framing(framing())
            .requestReply(requestReply());
        if (readIdle != null) {
            builder.readIdleTimeout(readIdle);
        }
        if (heartbeat != null) {
            builder.heartbeat(heartbeat, payload);
        }
        return builder.build();
    }

    /** The heartbeat payload as UTF-8 bytes (empty when unset). */
    private byte[] heartbeatPayload() {
        String payload = this.endpoint.getHeartbeat().getPayload();
        return (payload != null) ? payload.getBytes(StandardCharsets.UTF_8) : new byte[0];
    }

    /**
     * Returns the endpoint's framing (validated already), or null for type {@code none}:
     * the connector's default then.
     */
    dev.socketconnector.@Nullable Framing framing() {
        SocketConnectorProperties.Framing framing = this.endpoint.getFraming();
        int maxLength = (int) Math.min(Integer.MAX_VALUE, framing.getMaxLength().toBytes());
        return switch (framing.getType()) {
            case "lines" -> dev.socketconnector.Framing.lines(maxLength);
            case "delimiter" -> dev.socketconnector.Framing.delimiter(
                    Objects.requireNonNull(framing.getDelimiter(), "delimiter").getBytes(StandardCharsets.UTF_8),
                    maxLength);
            case "length-prefixed" ->
                dev.socketconnector.Framing.lengthPrefixed(framing.getLengthFieldBytes(), maxLength);
            case "fixed" ->
                dev.socketconnector.Framing.fixed(Objects.requireNonNull(framing.getFixedLength(), "fixedLength"));
            default -> null;
        };
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
