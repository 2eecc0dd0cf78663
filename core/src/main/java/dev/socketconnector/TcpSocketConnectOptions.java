package dev.socketconnector;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Options for a TCP connect, as the TCP form of Bun's {@code connect()} options.
 * Immutable: build one with {@link #builder()}, derive a copy with {@link #toBuilder()}.
 *
 * @param <D> the type of the socket's data
 */
public final class TcpSocketConnectOptions<D> implements SocketConnectOptions<D> {

    private final String hostname;

    private final int port;

    private final SocketHandler<D> socket;

    private final @Nullable D data;

    private final boolean allowHalfOpen;

    private final boolean exclusive;

    private final @Nullable TlsOptions tls;

    private final @Nullable Framing framing;

    private final @Nullable RequestReplyOptions requestReply;

    private TcpSocketConnectOptions(Builder<D> builder) {
        // build() has validated it (Options), naming the option when it is missing
        this.hostname = Objects.requireNonNull(builder.hostname, "hostname");
        this.port = builder.port;
        // build() has validated it (Options), naming the option when it is missing
        this.socket = Objects.requireNonNull(builder.socket, "socket");
        this.data = builder.data;
        this.allowHalfOpen = builder.allowHalfOpen;
        this.exclusive = builder.exclusive;
        this.tls = builder.tls;
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
        builder.socket = this.socket;
        builder.data = this.data;
        builder.allowHalfOpen = this.allowHalfOpen;
        builder.exclusive = this.exclusive;
        builder.tls = this.tls;
        builder.framing = this.framing;
        builder.requestReply = this.requestReply;
        return builder;
    }

    /**
     * {@return the host name or IP literal to connect to}
     */
    public String hostname() {
        return this.hostname;
    }

    /**
     * {@return the port, 1 to 65535}
     */
    public int port() {
        return this.port;
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
    public @Nullable Framing framing() {
        return this.framing;
    }

    @Override
    public @Nullable RequestReplyOptions requestReply() {
        return this.requestReply;
    }

    @Override
    public String target() {
        return (this.hostname.indexOf(':') >= 0 ? "[" + this.hostname + "]" : this.hostname) + ":" + this.port;
    }

    @Override
    public String toString() {
        return "TcpSocketConnectOptions[hostname=" + this.hostname + ", port=" + this.port + ", allowHalfOpen="
                + this.allowHalfOpen + ", exclusive=" + this.exclusive + ", tls=" + this.tls + "]";
    }

    /**
     * Builds {@link TcpSocketConnectOptions}.
     *
     * @param <D> the type of the socket's data
     */
    public static final class Builder<D> {

        private @Nullable String hostname;

        private int port = -1;

        private @Nullable SocketHandler<D> socket;

        private @Nullable D data;

        private boolean allowHalfOpen;

        private boolean exclusive;

        private @Nullable TlsOptions tls;

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
            this.hostname = Options.validHostname(this.hostname);
            Options.validPort(this.port);
            Options.required(this.socket, "socket");
            return new TcpSocketConnectOptions<>(this);
        }

    }

}
