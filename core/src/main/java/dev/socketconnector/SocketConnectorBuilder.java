package dev.socketconnector;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

import dev.socketconnector.internal.ConnectorSettings;
import dev.socketconnector.internal.NettySocketConnector;
import org.jspecify.annotations.Nullable;

/**
 * Builds a {@link SocketConnector}: the defaults for every connect and the named
 * endpoints.
 * <p>
 * Not thread-safe; {@link #build()} validates every setting and names the one that is
 * invalid.
 */
public final class SocketConnectorBuilder {

    /** Default connect timeout, covering DNS, the TCP connect and the TLS handshake. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

    /**
     * Default time {@link SocketConnector#close()} waits for ended sockets before
     * terminating them.
     */
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);

    /** Default outbound buffer size at which {@code write} stops accepting bytes. */
    public static final int DEFAULT_WRITE_BUFFER_HIGH_WATER_MARK = 1024 * 1024;

    /** Default outbound buffer size below which {@code drain} fires. */
    public static final int DEFAULT_WRITE_BUFFER_LOW_WATER_MARK = 512 * 1024;

    /** Default TCP_NODELAY, as Bun. */
    public static final boolean DEFAULT_NO_DELAY = true;

    private Transport transport = Transport.AUTO;

    private int eventLoopThreads;

    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;

    private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;

    private Supplier<TlsOptions> tls = () -> TlsOptions.DEFAULTS;

    private SocketObserver observer = SocketObserver.NONE;

    private boolean noDelay = DEFAULT_NO_DELAY;

    private boolean keepAlive;

    private Duration keepAliveInitialDelay = Duration.ZERO;

    private int writeBufferLowWaterMark = DEFAULT_WRITE_BUFFER_LOW_WATER_MARK;

    private int writeBufferHighWaterMark = DEFAULT_WRITE_BUFFER_HIGH_WATER_MARK;

    private final Map<String, Supplier<? extends SocketConnectOptions<?>>> endpoints = new LinkedHashMap<>();

    private Framing framing = Framing.none();

    SocketConnectorBuilder() {
    }

    /**
     * Sets the transport (default {@link Transport#AUTO}: epoll, then io_uring, when
     * loadable, else NIO; the system property {@code socketconnector.transport} can
     * replace AUTO's choice).
     * @param transport the transport
     * @return this builder
     */
    public SocketConnectorBuilder transport(Transport transport) {
        this.transport = Objects.requireNonNull(transport, "transport");
        return this;
    }

    /**
     * Sets the number of event-loop threads (default 0: one per core,
     * {@code NettyRuntime.availableProcessors()}; Netty's own default is two per core).
     * One per core was picked from measurements on a 2-core machine: with 100 ping-pong
     * connections two loops gave the best rate and p99 at the CPU cost of one, four loops
     * cost about 20 % more CPU for no gain (README, Benchmarks). Each socket stays on one
     * loop for its life.
     * @param threads 0 or more
     * @return this builder
     */
    public SocketConnectorBuilder eventLoopThreads(int threads) {
        this.eventLoopThreads = threads;
        return this;
    }

    /**
     * Sets the connect timeout (default 10 s): the time from {@code connect()} until the
     * socket is open, DNS, TCP connect and TLS handshake included. When it passes, the
     * connect fails with {@code ETIMEDOUT}.
     * @param timeout a positive duration
     * @return this builder
     */
    public SocketConnectorBuilder connectTimeout(Duration timeout) {
        this.connectTimeout = Objects.requireNonNull(timeout, "connectTimeout");
        return this;
    }

    /**
     * Sets how long {@link SocketConnector#close()} waits for ended sockets to close
     * before terminating them (default 10 s). It is also each socket's end deadline: a
     * socket whose {@code end()} (or close after the peer's end) has not finished within
     * it, because the peer stopped reading, is reset and closes with {@code ETIMEDOUT}
     * (10 s when this is zero).
     * @param timeout zero or a positive duration
     * @return this builder
     */
    public SocketConnectorBuilder shutdownTimeout(Duration timeout) {
        this.shutdownTimeout = Objects.requireNonNull(timeout, "shutdownTimeout");
        return this;
    }

    /**
     * Sets the TLS defaults: what {@code tls(true)} means, and the fields a connect's own
     * TLS options leave unset (default: {@link TlsOptions#DEFAULTS}).
     * @param tls the defaults
     * @return this builder
     */
    public SocketConnectorBuilder tls(TlsOptions tls) {
        Objects.requireNonNull(tls, "tls");
        this.tls = () -> tls;
        return this;
    }

    /**
     * Sets TLS defaults that may change while the connector runs, such as a Spring SSL
     * bundle that is reloaded: each connect reads the supplier once, so new connections
     * use the current material and open ones keep theirs. The supplier must be fast and
     * must not block; returning the same instance lets connections share one TLS context
     * (and resume sessions).
     * @param tls the supplier of the defaults
     * @return this builder
     */
    public SocketConnectorBuilder tls(Supplier<TlsOptions> tls) {
        this.tls = Objects.requireNonNull(tls, "tls");
        return this;
    }

    /**
     * Sets the observer of once-per-socket events (default {@link SocketObserver#NONE});
     * several are combined with {@link SocketObserver#andThen(SocketObserver)}.
     * @param observer the observer
     * @return this builder
     */
    public SocketConnectorBuilder observer(SocketObserver observer) {
        this.observer = Objects.requireNonNull(observer, "observer");
        return this;
    }

    /**
     * Adds an observer after those already set:
     * {@code observer(current.andThen(observer))}. Lets several parties (metrics,
     * tracing, user code) observe the same connector.
     * @param observer the observer to add
     * @return this builder
     */
    public SocketConnectorBuilder addObserver(SocketObserver observer) {
        this.observer = this.observer.andThen(Objects.requireNonNull(observer, "observer"));
        return this;
    }

    /**
     * Sets TCP_NODELAY for new sockets (default true, as Bun).
     * @param noDelay whether to disable Nagle's algorithm
     * @return this builder
     */
    public SocketConnectorBuilder noDelay(boolean noDelay) {
        this.noDelay = noDelay;
        return this;
    }

    /**
     * Sets keep-alive for new TCP sockets (default off); see
     * {@link Socket#setKeepAlive(boolean, int)}.
     * @param enabled whether to enable SO_KEEPALIVE
     * @param initialDelay the idle time before the first probe, zero or more (rounded
     * down to seconds, at least 1 s when enabled)
     * @return this builder
     */
    public SocketConnectorBuilder keepAlive(boolean enabled, Duration initialDelay) {
        this.keepAlive = enabled;
        this.keepAliveInitialDelay = Objects.requireNonNull(initialDelay, "keepAliveInitialDelay");
        return this;
    }

    /**
     * Sets the outbound buffer's water marks (default 512 KiB and 1 MiB): {@code write}
     * accepts bytes until the buffer holds {@code high}; {@code drain} fires once it
     * falls to {@code low}.
     * @param low the low-water mark in bytes, 1 or more
     * @param high the high-water mark in bytes, at least {@code low}
     * @return this builder
     */
    public SocketConnectorBuilder writeBufferWaterMark(int low, int high) {
        this.writeBufferLowWaterMark = low;
        this.writeBufferHighWaterMark = high;
        return this;
    }

    /**
     * Sets the framing of every connect whose options set none (default
     * {@link Framing#none()}: raw bytes, as Bun); see {@link Framing}.
     * @param framing the default framing
     * @return this builder
     */
    public SocketConnectorBuilder framing(Framing framing) {
        this.framing = Objects.requireNonNull(framing, "framing");
        return this;
    }

    /**
     * Names an endpoint, to connect with {@link SocketConnector#connect(String)}.
     * @param name the name
     * @param options the TCP options
     * @return this builder
     */
    public SocketConnectorBuilder endpoint(String name, TcpSocketConnectOptions<?> options) {
        return addEndpoint(name, options);
    }

    /**
     * Names a unix socket endpoint, to connect with
     * {@link SocketConnector#connect(String)}.
     * @param name the name
     * @param options the unix socket options
     * @return this builder
     */
    public SocketConnectorBuilder endpoint(String name, UnixSocketOptions<?> options) {
        return addEndpoint(name, options);
    }

    /**
     * Names an endpoint whose options are read at each
     * {@link SocketConnector#connect(String)}: for options that change while the
     * connector runs, such as TLS material from a reloaded Spring SSL bundle. The
     * supplier must be fast and must not block.
     * @param name the name
     * @param options supplies the TCP or unix socket options; must not supply null
     * @return this builder
     */
    public SocketConnectorBuilder endpoint(String name, Supplier<? extends SocketConnectOptions<?>> options) {
        Objects.requireNonNull(options, "endpoint options");
        return addEndpoint(name, options);
    }

    private SocketConnectorBuilder addEndpoint(@Nullable String name, SocketConnectOptions<?> options) {
        Objects.requireNonNull(options, "endpoint options");
        return addEndpoint(name, () -> options);
    }

    private SocketConnectorBuilder addEndpoint(@Nullable String name,
            Supplier<? extends SocketConnectOptions<?>> options) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("endpoint name must not be empty");
        }
        if ("none".equals(name)) {
            throw new IllegalArgumentException("endpoint name 'none' is reserved (it tags sockets opened without one)");
        }
        if (this.endpoints.putIfAbsent(name, options) != null) {
            throw new IllegalArgumentException("endpoint '" + name + "' is already defined");
        }
        return this;
    }

    /**
     * Validates the settings and builds the connector, starting its event loops.
     * @return the connector
     * @throws IllegalArgumentException naming the setting that is invalid
     * @throws IllegalStateException if the chosen transport is not available
     */
    public SocketConnector build() {
        if (this.eventLoopThreads < 0) {
            throw new IllegalArgumentException(
                    "eventLoopThreads must be 0 (one per core) or more (was " + this.eventLoopThreads + ")");
        }
        if (this.connectTimeout.isNegative() || this.connectTimeout.isZero()) {
            throw new IllegalArgumentException("connectTimeout must be positive (was " + this.connectTimeout + ")");
        }
        if (this.connectTimeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    "connectTimeout must be at most " + Integer.MAX_VALUE + " ms (was " + this.connectTimeout + ")");
        }
        if (this.shutdownTimeout.isNegative()) {
            throw new IllegalArgumentException(
                    "shutdownTimeout must not be negative (was " + this.shutdownTimeout + ")");
        }
        if (this.keepAliveInitialDelay.isNegative()) {
            throw new IllegalArgumentException(
                    "keepAliveInitialDelay must not be negative (was " + this.keepAliveInitialDelay + ")");
        }
        if (this.writeBufferLowWaterMark < 1) {
            throw new IllegalArgumentException(
                    "writeBufferLowWaterMark must be at least 1 (was " + this.writeBufferLowWaterMark + ")");
        }
        if (this.writeBufferHighWaterMark < this.writeBufferLowWaterMark) {
            throw new IllegalArgumentException("writeBufferHighWaterMark (" + this.writeBufferHighWaterMark
                    + ") must be at least writeBufferLowWaterMark (" + this.writeBufferLowWaterMark + ")");
        }
        ConnectorSettings settings = new ConnectorSettings(this.transport, this.eventLoopThreads, this.connectTimeout,
                this.shutdownTimeout, this.tls, this.observer, this.noDelay, this.keepAlive, this.keepAliveInitialDelay,
                this.writeBufferLowWaterMark, this.writeBufferHighWaterMark, Map.copyOf(this.endpoints), this.framing);
        return new NettySocketConnector(settings);
    }

}
