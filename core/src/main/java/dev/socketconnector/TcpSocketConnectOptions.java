package dev.socketconnector;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Options for a TCP connect, as the TCP form of Bun's {@code connect()} options.
 * Immutable: build one with {@link #builder()}, derive a copy with {@link #toBuilder()}.
 *
 * @param <D> the type of the socket's data
 */
public final class TcpSocketConnectOptions<D> implements SocketConnectOptions<D> {

    private final @Nullable String hostname;

    private final int port;

    private final List<InetSocketAddress> addresses;

    private final SocketHandler<D> socket;

    private final @Nullable D data;

    private final boolean allowHalfOpen;

    private final boolean exclusive;

    private final @Nullable TlsOptions tls;

    private final @Nullable Duration readIdleTimeout;

    private final @Nullable Duration heartbeatInterval;

    private final byte @Nullable [] heartbeatPayload;

    private final @Nullable Framing framing;

    private final @Nullable RequestReplyOptions requestReply;

    private TcpSocketConnectOptions(Builder<D> builder) {
        this.hostname = builder.hostname;
        this.port = builder.port;
        this.addresses = builder.addresses;
        // build() has validated it (Options), naming the option when it is missing
        this.socket = Objects.requireNonNull(builder.socket, "socket");
        this.data = builder.data;
        this.allowHalfOpen = builder.allowHalfOpen;
        this.exclusive = builder.exclusive;
        this.tls = builder.tls;
        this.readIdleTimeout = builder.readIdleTimeout;
        this.heartbeatInterval = builder.heartbeatInterval;
        this.heartbeatPayload = builder.heartbeatPayload;
        this.framing = builder.framing;
        this.requestReply = builder.requestReply;
    }

    /**
     * Returns a builder with every option at its default.
     * @param <D> the type of the socket's data
     * @return a new builder
     */
    public static <D> Builder<D> builder() {
        return new Builder<>();
    }

    /**
     * {@return a builder holding these options}
     */
    public Builder<D> toBuilder() {
        Builder<D> builder = new Builder<>();
        builder.hostname = this.hostname;
        builder.port = this.port;
        builder.addresses = this.addresses;
        builder.socket = this.socket;
        builder.data = this.data;
        builder.allowHalfOpen = this.allowHalfOpen;
        builder.exclusive = this.exclusive;
        builder.tls = this.tls;
        builder.readIdleTimeout = this.readIdleTimeout;
        builder.heartbeatInterval = this.heartbeatInterval;
        builder.heartbeatPayload = this.heartbeatPayload;
        builder.framing = this.framing;
        builder.requestReply = this.requestReply;
        return builder;
    }

    /**
     * {@return the host name or IP literal to connect to; null when {@link #addresses()}
     * is used instead}
     */
    public @Nullable String hostname() {
        return this.hostname;
    }

    /**
     * {@return the port, 1 to 65535; -1 when {@link #addresses()} is used instead}
     */
    public int port() {
        return this.port;
    }

    /**
     * {@return the ordered failover list used instead of hostname and port; empty when
     * hostname and port are set}
     */
    public List<InetSocketAddress> addresses() {
        return this.addresses;
    }

    @Override
    public SocketHandler<D> socket() {
        return this.socket;
    }

    @Override
    public @Nullable D data() {
        return this.data;
    }

    @Override
    public boolean allowHalfOpen() {
        return this.allowHalfOpen;
    }

    /**
     * {@return the {@code exclusive} option: kept for parity, it has no effect on a
     * client (as in Bun)}
     */
    public boolean exclusive() {
        return this.exclusive;
    }

    @Override
    public @Nullable TlsOptions tls() {
        return this.tls;
    }

    @Override
    public @Nullable Duration readIdleTimeout() {
        return this.readIdleTimeout;
    }

    @Override
    public @Nullable Duration heartbeatInterval() {
        return this.heartbeatInterval;
    }

    @Override
    public byte @Nullable [] heartbeatPayload() {
        byte[] payload = this.heartbeatPayload;
        return (payload != null) ? payload.clone() : null;
    }

    @Override
    public @Nullable Framing framing() {
        return this.framing;
    }

    /**
     * {@inheritDoc}
     * <p>
     * {@code host:port} ({@code [::1]:port} for IPv6), or with {@link #addresses()} each
     * of them joined by commas.
     */
    @Override
    public @Nullable RequestReplyOptions requestReply() {
        return this.requestReply;
    }

    @Override
    public String target() {
        if (this.hostname != null) {
            return target(this.hostname, this.port);
        }
        StringBuilder target = new StringBuilder();
        for (InetSocketAddress address : this.addresses) {
            if (target.length() > 0) {
                target.append(',');
            }
            target.append(target(address.getHostString(), address.getPort()));
        }
        return target.toString();
    }

    private static String target(String host, int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public String toString() {
        String where = (this.hostname != null) ? "hostname=" + this.hostname + ", port=" + this.port
                : "addresses=" + target();
        return "TcpSocketConnectOptions[" + where + ", allowHalfOpen=" + this.allowHalfOpen + ", exclusive="
                + this.exclusive + ", tls=" + this.tls + "]";
    }

    /**
     * Builds {@link TcpSocketConnectOptions}.
     *
     * @param <D> the type of the socket's data
     */
    public static final class Builder<D> {

        private @Nullable String hostname;

        private int port = -1;

        private List<InetSocketAddress> addresses = List.of();

        private @Nullable SocketHandler<D> socket;

        private @Nullable D data;

        private boolean allowHalfOpen;

        private boolean exclusive;

        private @Nullable TlsOptions tls;

        private @Nullable Duration readIdleTimeout;

        private @Nullable Duration heartbeatInterval;

        private byte @Nullable [] heartbeatPayload;

        private @Nullable Framing framing;

        private @Nullable RequestReplyOptions requestReply;

        private Builder() {
        }

        /**
         * Sets the host name or IP literal (required). {@code [::1]} is accepted and
         * unwrapped.
         * @param hostname the host
         * @return this builder
         */
        public Builder<D> hostname(String hostname) {
            this.hostname = hostname;
            return this;
        }

        /**
         * Sets the port (required), 1 to 65535.
         * @param port the port
         * @return this builder
         */
        public Builder<D> port(int port) {
            this.port = port;
            return this;
        }

        /**
         * Sets an ordered failover list, used instead of {@code hostname} and
         * {@code port} (the two are mutually exclusive). At every connect attempt each
         * unresolved entry ({@code InetSocketAddress.createUnresolved}) is resolved again
         * and its addresses take its place in the list; the addresses are then tried in
         * order, Happy Eyeballs style (see
         * {@code SocketConnectorBuilder.connectAttemptDelay}). With TLS, the server name
         * checked is {@code TlsOptions.serverName}, else the first entry's host.
         * @param addresses the addresses, at least one, no null
         * @return this builder
         * @throws IllegalArgumentException when the list is empty, holds a null or a port
         * 0
         */
        public Builder<D> addresses(List<InetSocketAddress> addresses) {
            if (addresses == null || addresses.isEmpty()) {
                throw new IllegalArgumentException("addresses must not be empty");
            }
            List<InetSocketAddress> copy = new ArrayList<>(addresses.size());
            for (InetSocketAddress address : addresses) {
                if (address == null) {
                    throw new IllegalArgumentException("addresses must not contain null");
                }
                if (address.getPort() < 1) {
                    throw new IllegalArgumentException("addresses: port of " + address.getHostString()
                            + " must be between 1 and 65535 (was " + address.getPort() + ")");
                }
                copy.add(address);
            }
            this.addresses = List.copyOf(copy);
            return this;
        }

        /**
         * Sets the handler that receives the socket's events (required).
         * @param socket the handler
         * @return this builder
         */
        public Builder<D> socket(SocketHandler<D> socket) {
            this.socket = socket;
            return this;
        }

        /**
         * Sets the socket's initial data (default null).
         * @param data the data
         * @return this builder
         */
        public Builder<D> data(@Nullable D data) {
            this.data = data;
            return this;
        }

        /**
         * Sets whether the socket stays open and writable after the peer's FIN (default
         * false).
         * @param allowHalfOpen whether to allow half-open
         * @return this builder
         */
        public Builder<D> allowHalfOpen(boolean allowHalfOpen) {
            this.allowHalfOpen = allowHalfOpen;
            return this;
        }

        /**
         * Sets {@code exclusive} (default false); it has no effect on a client connect,
         * as in Bun.
         * @param exclusive the flag
         * @return this builder
         */
        public Builder<D> exclusive(boolean exclusive) {
            this.exclusive = exclusive;
            return this;
        }

        /**
         * Turns TLS on with the connector's defaults, or off (default off).
         * @param tls whether to use TLS
         * @return this builder
         */
        public Builder<D> tls(boolean tls) {
            this.tls = tls ? TlsOptions.DEFAULTS : null;
            return this;
        }

        /**
         * Turns TLS on with these options; their unset fields come from the connector's
         * defaults.
         * @param tls the options, or null for a plain connection
         * @return this builder
         */
        public Builder<D> tls(@Nullable TlsOptions tls) {
            this.tls = tls;
            return this;
        }

        /**
         * Sets the read-idle timeout (default: the connector's,
         * {@link SocketConnectorBuilder#readIdleTimeout(Duration)}): when nothing has
         * been received for this long on the open socket, it is reset and closes with a
         * {@link SocketTransportException} whose code is {@code ETIMEDOUT}. Zero turns a
         * connector default off for this connect.
         * @param timeout zero (none) or 1 ms to about 24.8 days
         * @return this builder
         */
        public Builder<D> readIdleTimeout(Duration timeout) {
            this.readIdleTimeout = Objects.requireNonNull(timeout, "readIdleTimeout");
            return this;
        }

        /**
         * Sets the heartbeat (default: the connector's,
         * {@link SocketConnectorBuilder#heartbeat(Duration, byte[])}): whenever nothing
         * has been written on the open socket for {@code interval}, the payload is
         * written, through the same outbound path as {@code write} and never split; it is
         * not counted in {@link Socket#bytesWritten()}. An interval of zero turns a
         * connector default off for this connect.
         * @param interval zero (none) or 1 ms to about 24.8 days
         * @param payload the bytes to send, at least one unless the interval is zero
         * (copied)
         * @return this builder
         */
        public Builder<D> heartbeat(Duration interval, byte[] payload) {
            this.heartbeatInterval = Objects.requireNonNull(interval, "heartbeat interval");
            this.heartbeatPayload = Objects.requireNonNull(payload, "heartbeat payload").clone();
            return this;
        }

        /**
         * Sets how the byte stream is cut into messages (default null: the connector's
         * default, {@link Framing#none()} unless
         * {@link SocketConnectorBuilder#framing(Framing)} set another).
         * @param framing the framing, or null for the connector's default
         * @return this builder
         */
        public Builder<D> framing(@Nullable Framing framing) {
            this.framing = framing;
            return this;
        }

        /**
         * Enables request/reply ({@link Socket#request(byte[])}) with these options
         * (default null: none). It needs a framing other than {@link Framing#none()}, set
         * here or as the connector's default: {@code connect} throws
         * {@link IllegalArgumentException} naming both options otherwise.
         * @param requestReply the options, such as {@link RequestReplyOptions#DEFAULT},
         * or null for none
         * @return this builder
         */
        public Builder<D> requestReply(@Nullable RequestReplyOptions requestReply) {
            this.requestReply = requestReply;
            return this;
        }

        /**
         * Validates and builds the options.
         * @return the options
         * @throws IllegalArgumentException naming the option that is missing or invalid
         */
        public TcpSocketConnectOptions<D> build() {
            if (!this.addresses.isEmpty()) {
                if (this.hostname != null || this.port != -1) {
                    throw new IllegalArgumentException(
                            "addresses and hostname/port are mutually exclusive: set one or the other");
                }
            }
            else {
                this.hostname = Options.validHostname(this.hostname);
                Options.validPort(this.port);
            }
            Options.required(this.socket, "socket");
            Options.validReadIdleTimeout(this.readIdleTimeout);
            Options.validHeartbeat(this.heartbeatInterval, this.heartbeatPayload);
            return new TcpSocketConnectOptions<>(this);
        }

    }

}
