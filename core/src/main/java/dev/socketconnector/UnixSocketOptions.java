package dev.socketconnector;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Options for a unix domain socket connect, as the {@code unix} form of Bun's
 * {@code connect()} options. Immutable: build one with {@link #builder()}, derive a copy
 * with {@link #toBuilder()}.
 *
 * @param <D> the type of the socket's data
 */
public final class UnixSocketOptions<D> implements SocketConnectOptions<D> {

    private final String unix;

    private final SocketHandler<D> socket;

    private final @Nullable D data;

    private final boolean allowHalfOpen;

    private final @Nullable TlsOptions tls;

    private final @Nullable Duration readIdleTimeout;

    private final @Nullable Duration heartbeatInterval;

    private final byte @Nullable [] heartbeatPayload;

    private final @Nullable Framing framing;

    private final @Nullable RequestReplyOptions requestReply;

    private UnixSocketOptions(Builder<D> builder) {
        // build() has validated it (Options), naming the option when it is missing
        this.unix = Objects.requireNonNull(builder.unix, "unix");
        // build() has validated it (Options), naming the option when it is missing
        this.socket = Objects.requireNonNull(builder.socket, "socket");
        this.data = builder.data;
        this.allowHalfOpen = builder.allowHalfOpen;
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
        builder.unix = this.unix;
        builder.socket = this.socket;
        builder.data = this.data;
        builder.allowHalfOpen = this.allowHalfOpen;
        builder.tls = this.tls;
        builder.readIdleTimeout = this.readIdleTimeout;
        builder.heartbeatInterval = this.heartbeatInterval;
        builder.heartbeatPayload = this.heartbeatPayload;
        builder.framing = this.framing;
        builder.requestReply = this.requestReply;
        return builder;
    }

    /**
     * {@return the path of the unix socket}
     */
    public String unix() {
        return this.unix;
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

    @Override
    public @Nullable RequestReplyOptions requestReply() {
        return this.requestReply;
    }

    @Override
    public String target() {
        return this.unix;
    }

    @Override
    public String toString() {
        return "UnixSocketOptions[unix=" + this.unix + ", allowHalfOpen=" + this.allowHalfOpen + ", tls=" + this.tls
                + "]";
    }

    /**
     * Builds {@link UnixSocketOptions}.
     *
     * @param <D> the type of the socket's data
     */
    public static final class Builder<D> {

        private @Nullable String unix;

        private @Nullable SocketHandler<D> socket;

        private @Nullable D data;

        private boolean allowHalfOpen;

        private @Nullable TlsOptions tls;

        private @Nullable Duration readIdleTimeout;

        private @Nullable Duration heartbeatInterval;

        private byte @Nullable [] heartbeatPayload;

        private @Nullable Framing framing;

        private @Nullable RequestReplyOptions requestReply;

        private Builder() {
        }

        /**
         * Sets the socket file's path (required, not empty).
         * @param unix the path
         * @return this builder
         */
        public Builder<D> unix(String unix) {
            this.unix = unix;
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
         * Turns TLS on with the connector's defaults, or off (default off).
         * @param tls whether to use TLS
         * @return this builder
         */
        public Builder<D> tls(boolean tls) {
            this.tls = tls ? TlsOptions.DEFAULTS : null;
            return this;
        }

        /**
         * Turns TLS on with these options (their unset fields come from the connector's
         * defaults); a unix socket has no host name, so set {@code serverName} to verify
         * the certificate against.
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
        public UnixSocketOptions<D> build() {
            this.unix = Options.validUnixPath(this.unix);
            Options.required(this.socket, "socket");
            Options.validReadIdleTimeout(this.readIdleTimeout);
            Options.validHeartbeat(this.heartbeatInterval, this.heartbeatPayload);
            return new UnixSocketOptions<>(this);
        }

    }

}
