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

    /**
     * Default Happy Eyeballs stagger: how long an address attempt runs before the next
     * address is tried too (RFC 8305's recommended 250 ms).
     */
    public static final Duration DEFAULT_CONNECT_ATTEMPT_DELAY = Duration.ofMillis(250);

    private Transport transport = Transport.AUTO;

    private int eventLoopThreads;

    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;

    private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;

    private Supplier<TlsOptions> tls = () -> TlsOptions.DEFAULTS;

    private SocketObserver observer = SocketObserver.NONE;

    private boolean noDelay = DEFAULT_NO_DELAY;

    private KeepAliveOptions keepAlive = KeepAliveOptions.DISABLED;

    private int writeBufferLowWaterMark = DEFAULT_WRITE_BUFFER_LOW_WATER_MARK;

    private int writeBufferHighWaterMark = DEFAULT_WRITE_BUFFER_HIGH_WATER_MARK;

    private final Map<String, Supplier<? extends SocketConnectOptions<?>>> endpoints = new LinkedHashMap<>();

    private Duration connectAttemptDelay = DEFAULT_CONNECT_ATTEMPT_DELAY;

    private Resolver resolver = Resolver.jdk();

    private Duration readIdleTimeout = Duration.ZERO;

    private Duration heartbeatInterval = Duration.ZERO;

    private byte[] heartbeatPayload = {};

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
     * Sets the number of event-loop threads (default 0: one per two cores, at least one,
     * of {@code NettyRuntime.availableProcessors()}; Netty's own default is two per
     * core). Picked from measurements on a 2-core machine (benchmarks/README.md): with
     * 100 ping-pong connections one loop had the same round-trip rate as two with a p99
     * about a quarter lower, since the loops share the cores with the application's own
     * threads (and, there, the server's); two loops only helped connection churn (about
     * 10 % more connects per second). Each socket stays on one loop for its life.
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
     * Sets keep-alive for new TCP sockets (default off): SO_KEEPALIVE, and when enabling
     * TCP_KEEPIDLE from the delay, TCP_KEEPINTVL 1 s and TCP_KEEPCNT 10, as
     * {@link Socket#setKeepAlive(boolean, int)}. The short form of
     * {@link #keepAlive(KeepAliveOptions)}: it replaces the keep-alive settings with
     * {@code KeepAliveOptions.builder().enabled(enabled).idle(initialDelay)} (other
     * settings at their defaults).
     * @param enabled whether to enable SO_KEEPALIVE
     * @param initialDelay the idle time before the first probe, zero or more (rounded
     * down to seconds, at least 1 s and at most 32767 s when enabled)
     * @return this builder
     * @throws IllegalArgumentException when the delay is negative
     */
    public SocketConnectorBuilder keepAlive(boolean enabled, Duration initialDelay) {
        Objects.requireNonNull(initialDelay, "keepAliveInitialDelay");
        if (initialDelay.isNegative()) {
            throw new IllegalArgumentException("keepAliveInitialDelay must not be negative (was " + initialDelay + ")");
        }
        long seconds = Math.max(1, Math.min(KeepAliveOptions.MAX_SECONDS, initialDelay.getSeconds()));
        this.keepAlive = KeepAliveOptions.builder().enabled(enabled).idle(Duration.ofSeconds(seconds)).build();
        return this;
    }

    /**
     * Sets keep-alive and TCP_USER_TIMEOUT for new TCP sockets (default
     * {@link KeepAliveOptions#DISABLED}): the full form of
     * {@link #keepAlive(boolean, Duration)}. A {@link KeepAliveOptions#userTimeout()} on
     * the NIO transport (requested, or what {@link Transport#AUTO} resolves to) makes
     * {@link #build()} fail: the JDK cannot set TCP_USER_TIMEOUT.
     * @param keepAlive the settings
     * @return this builder
     */
    public SocketConnectorBuilder keepAlive(KeepAliveOptions keepAlive) {
        this.keepAlive = Objects.requireNonNull(keepAlive, "keepAlive");
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
     * Sets the default read-idle timeout of every connect (default zero: none); a
     * connect's own {@code readIdleTimeout} replaces it. When nothing has been received
     * for this long on an open socket, it is reset and closes with a
     * {@link SocketTransportException} whose code is {@code ETIMEDOUT} (close reason
     * {@code idle}). With a {@link #heartbeat(Duration, byte[]) heartbeat} that the peer
     * answers, it detects a dead peer on every transport.
     * @param timeout zero (none) or 1 ms to about 24.8 days
     * @return this builder
     */
    public SocketConnectorBuilder readIdleTimeout(Duration timeout) {
        this.readIdleTimeout = Objects.requireNonNull(timeout, "readIdleTimeout");
        return this;
    }

    /**
     * Sets the default heartbeat of every connect (default none); a connect's own
     * {@code heartbeat} replaces it. Whenever nothing has been written on an open socket
     * for {@code interval}, the payload is written (through the same outbound path as
     * {@code write}, never split; not counted in {@link Socket#bytesWritten()}).
     * @param interval zero (none) or 1 ms to about 24.8 days
     * @param payload the bytes to send, at least one (copied)
     * @return this builder
     */
    public SocketConnectorBuilder heartbeat(Duration interval, byte[] payload) {
        this.heartbeatInterval = Objects.requireNonNull(interval, "heartbeat interval");
        this.heartbeatPayload = Objects.requireNonNull(payload, "heartbeat payload").clone();
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
     * Sets the Happy Eyeballs stagger (RFC 8305; default
     * {@link #DEFAULT_CONNECT_ATTEMPT_DELAY}, 250 ms): when a host has several addresses
     * (from DNS or {@code TcpSocketConnectOptions.Builder.addresses}), the next address
     * is tried when the previous attempt has not connected within this delay, or at once
     * when it fails; earlier attempts keep running and the first to connect wins, the
     * others are closed unseen. The connect timeout covers all attempts. Zero starts the
     * next attempt only when the previous one fails.
     * @param delay the delay, zero or more, at most the connect timeout
     * @return this builder
     */
    public SocketConnectorBuilder connectAttemptDelay(Duration delay) {
        this.connectAttemptDelay = Objects.requireNonNull(delay, "connectAttemptDelay");
        return this;
    }

    /**
     * Sets how host names resolve (default {@link Resolver#jdk()}; see {@link Resolver}
     * for the choice). Names resolve again at every connect attempt.
     * @param resolver the resolver
     * @return this builder
     */
    public SocketConnectorBuilder resolver(Resolver resolver) {
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        return this;
    }

    /**
     * Validates the settings and builds the connector, starting its event loops.
     * @return the connector
     * @throws IllegalArgumentException naming the setting that is invalid, or when a
     * keep-alive {@code userTimeout} is set on the NIO transport (the message names
     * {@code NIO} and {@code readIdleTimeout})
     * @throws IllegalStateException if the chosen transport is not available
     */
    public SocketConnector build() {
        if (this.eventLoopThreads < 0) {
            throw new IllegalArgumentException(
                    "eventLoopThreads must be 0 (one per two cores, at least one) or more (was " + this.eventLoopThreads
                            + ")");
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
        if (this.writeBufferLowWaterMark < 1) {
            throw new IllegalArgumentException(
                    "writeBufferLowWaterMark must be at least 1 (was " + this.writeBufferLowWaterMark + ")");
        }
        if (this.writeBufferHighWaterMark < this.writeBufferLowWaterMark) {
            throw new IllegalArgumentException("writeBufferHighWaterMark (" + this.writeBufferHighWaterMark
                    + ") must be at least writeBufferLowWaterMark (" + this.writeBufferLowWaterMark + ")");
        }
        if (this.connectAttemptDelay.isNegative() || this.connectAttemptDelay.compareTo(this.connectTimeout) > 0) {
            throw new IllegalArgumentException("connectAttemptDelay must be between 0 and connectTimeout ("
                    + this.connectTimeout + ") (was " + this.connectAttemptDelay + ")");
        }
        Options.validReadIdleTimeout(this.readIdleTimeout);
        Options.validHeartbeat(this.heartbeatInterval, this.heartbeatPayload);
        ConnectorSettings settings = new ConnectorSettings(this.transport, this.eventLoopThreads, this.connectTimeout,
                this.shutdownTimeout, this.tls, this.observer, this.noDelay, this.keepAlive,
                this.writeBufferLowWaterMark, this.writeBufferHighWaterMark, Map.copyOf(this.endpoints),
                this.readIdleTimeout, this.heartbeatInterval, this.heartbeatPayload.clone(), this.connectAttemptDelay,
                this.resolver, this.framing);
        return new NettySocketConnector(settings);
    }

}
