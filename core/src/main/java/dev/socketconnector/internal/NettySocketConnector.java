package dev.socketconnector.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import dev.socketconnector.EndpointStateListener;
import dev.socketconnector.ManagedEndpoint;
import dev.socketconnector.ReconnectPolicy;
import dev.socketconnector.Socket;
import dev.socketconnector.SocketConnectException;
import dev.socketconnector.SocketConnectOptions;
import dev.socketconnector.SocketConnector;
import dev.socketconnector.SocketObserver;
import dev.socketconnector.SocketTransportException;
import dev.socketconnector.TcpSocketConnectOptions;
import dev.socketconnector.TlsProvider;
import dev.socketconnector.Transport;
import dev.socketconnector.UnixSocketOptions;
import dev.socketconnector.internal.jfr.JfrSocketObserver;
import dev.socketconnector.internal.tls.TlsConnection;
import dev.socketconnector.internal.tls.TlsConnections;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.resolver.AddressResolverGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;
import org.jspecify.annotations.Nullable;

/**
 * The {@link SocketConnector}: owns the event loops, starts connects through its
 * {@link Dialer}, tracks open sockets and closes gracefully.
 */
public final class NettySocketConnector implements SocketConnector {

    private static final InternalLogger logger = InternalLoggerFactory.getInstance(NettySocketConnector.class);

    private static final AtomicLong CONNECTOR_IDS = new AtomicLong();

    private final ConnectorSettings settings;

    private final NettyTransport transport;

    private final MultiThreadIoEventLoopGroup group;

    private final TlsConnections tlsConnections;

    private final AddressResolverGroup<InetSocketAddress> resolvers;

    private final Dialer dialer;

    private final SocketObserver observer;

    /**
     * Every socket from connect() until its close has run: one set for both what
     * {@code sockets()} lists (those {@link NettySocket#listed}, open and not yet closed)
     * and what a close that races connect() fails and cleans up once the event loops have
     * stopped (a connect that never reached its loop; its
     * {@link NettySocket#connectFuture}). A set of the sockets themselves (identity), not
     * a map by number: a boxed key per socket would cost an idle socket 24 bytes, and the
     * one lookup by id, {@code socket(id)}, is rare (the actuator endpoint) and walks the
     * set as {@code sockets()} does.
     */
    private final Set<NettySocket<?>> live = ConcurrentHashMap.newKeySet();

    private final AtomicBoolean closed = new AtomicBoolean();

    private final CompletableFuture<Void> terminated = new CompletableFuture<>();

    private final ManagedEndpoints managed;

    /**
     * Creates the connector and starts its event loops.
     * @param settings the validated settings
     */
    public NettySocketConnector(ConnectorSettings settings) {
        this(settings, null);
    }

    /**
     * Creates the connector with a given host resolver: the seam through which tests
     * supply a lookup that never answers (an unanswered DNS server cannot be set for one
     * JVM in-process).
     * @param settings the validated settings
     * @param resolver the resolver, or null for the JDK's lookup
     */
    NettySocketConnector(ConnectorSettings settings, @Nullable HostResolver resolver) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.transport = NettyTransport.select(settings.transport());
        // before any loop starts: a user timeout on NIO fails the build
        this.transport.checkKeepAlive(settings.keepAlive());
        // JFR events (connect, handshake, close) come from an observer too: off the read
        // and write paths, and one isEnabled() check per socket event while no recording
        // enables them. Only the configured observer is guarded (ours does not throw):
        // without one, each event is one direct call, with no guard
        this.observer = GuardedObserver.of(settings.observer()).andThen(JfrSocketObserver.INSTANCE);
        long connectorId = CONNECTOR_IDS.incrementAndGet();
        this.group = this.transport.newGroup(settings.eventLoopThreads(),
                new DefaultThreadFactory("socket-connector-" + connectorId, true));
        this.resolvers = DnsResolvers.group(settings.resolver(), this.transport,
                (resolver != null) ? resolver : new HostResolver("socket-connector-" + connectorId + "-dns"));
        this.tlsConnections = new TlsConnections(settings.tls());
        this.dialer = new Dialer(this, settings, this.transport, this.group, this.tlsConnections, this.resolvers);
        this.managed = new ManagedEndpoints(this, this.group::next, settings.endpoints().keySet());
    }

    ConnectorSettings settings() {
        return this.settings;
    }

    NettyTransport nettyTransport() {
        return this.transport;
    }

    @Override
    public Transport transport() {
        return this.transport.transport();
    }

    @Override
    public int eventLoops() {
        return this.group.executorCount();
    }

    @Override
    public TlsProvider tlsProvider() {
        return this.tlsConnections.defaultProvider();
    }

    SocketObserver observer() {
        return this.observer;
    }

    /**
     * How long end() (or a close after the peer's FIN) may take to flush before the
     * socket is terminated with ETIMEDOUT: the shutdown timeout, or 10 s when that is
     * zero.
     */
    Duration endTimeout() {
        Duration timeout = this.settings.shutdownTimeout();
        return timeout.isZero() ? Duration.ofSeconds(10) : timeout;
    }

    /** The socket opened: sockets() lists it until its close. Loop. */
    void register(NettySocket<?> socket) {
        socket.listed = true;
        // completed by now: an open socket need not keep it for its whole life
        socket.connectFuture = null;
    }

    /** The socket's close has run: it leaves the registry. Loop. */
    void unregister(NettySocket<?> socket) {
        socket.listed = false;
        this.live.remove(socket);
    }

    /** The open sockets (listed), in no particular order. */
    private List<NettySocket<?>> listed() {
        List<NettySocket<?>> listed = new ArrayList<>();
        for (NettySocket<?> socket : this.live) {
            if (socket.listed) {
                listed.add(socket);
            }
        }
        return listed;
    }

    @Override
    public <D> CompletableFuture<Socket<D>> connect(TcpSocketConnectOptions<D> options) {
        return connect0(null, options);
    }

    @Override
    public <D> CompletableFuture<Socket<D>> connect(UnixSocketOptions<D> options) {
        return connect0(null, options);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <D> CompletableFuture<Socket<D>> connect(String endpointName) {
        Supplier<? extends SocketConnectOptions<?>> supplier = this.settings.endpoints().get(endpointName);
        if (supplier == null) {
            throw new IllegalArgumentException("endpoint '" + endpointName + "' is not defined; defined endpoints: "
                    + this.settings.endpoints().keySet());
        }
        SocketConnectOptions<?> options = supplier.get();
        if (options == null) {
            throw new IllegalStateException("the options supplier of endpoint '" + endpointName + "' returned null");
        }
        return connect0(endpointName, (SocketConnectOptions<D>) options);
    }

    @Override
    public <D> CompletableFuture<Socket<D>> connect(String endpointName, SocketConnectOptions<D> options) {
        Objects.requireNonNull(endpointName, "endpointName");
        return connect0(endpointName, options);
    }

    /**
     * The framing of the named endpoint's next connect (its options', else the
     * connector's default), or null for raw bytes: for what a managed endpoint buffers
     * while offline. Any thread.
     */
    @Nullable FrameCodec frameCodec(String endpointName) {
        Supplier<? extends SocketConnectOptions<?>> supplier = this.settings.endpoints().get(endpointName);
        SocketConnectOptions<?> options = (supplier != null) ? supplier.get() : null;
        dev.socketconnector.Framing framing = (options != null) ? options.framing() : null;
        return FrameCodec.of((framing != null) ? framing : this.settings.framing());
    }

    @Override
    public Map<String, SocketConnectOptions<?>> endpoints() {
        Map<String, SocketConnectOptions<?>> current = new LinkedHashMap<>();
        this.settings.endpoints().forEach((name, options) -> current.put(name, options.get()));
        return Collections.unmodifiableMap(current);
    }

    private <D> CompletableFuture<Socket<D>> connect0(@Nullable String endpoint, SocketConnectOptions<D> options) {
        Objects.requireNonNull(options, "options");
        if (this.closed.get()) {
            throw new IllegalStateException("the connector is closed");
        }
        return this.dialer.connect(endpoint, options);
    }

    /**
     * Tracks a new socket until its close has run, with its connect future, so that a
     * close racing the connect fails it (issue 11 bug 9). Caller's thread.
     * @return false when the connector was closed meanwhile: the socket is then abandoned
     * (its future failed)
     */
    boolean track(NettySocket<?> socket, CompletableFuture<?> future) {
        socket.connectFuture = future;
        this.live.add(socket);
        if (this.closed.get()) {
            // close() began after connect0's check: it may already have swept live
            // sockets
            abandon(socket, future);
            return false;
        }
        return true;
    }

    /** The cause attached to a connect that the connector's close cut short. */
    static IllegalStateException closedDuringConnect() {
        return new IllegalStateException("the connector was closed before the connect finished");
    }

    /**
     * Fails a connect that close() cut off before its event loop could report it, and
     * releases what it holds: the channel, the TLS state (and its key-log entry). Its
     * handler sees nothing (the loop that would run its callbacks has stopped); the
     * connect future fails with ECONNABORTED, the cause naming the closed connector.
     */
    private void abandon(NettySocket<?> socket, @Nullable CompletableFuture<?> future) {
        socket.listed = false;
        this.live.remove(socket);
        if (future != null) {
            future.completeExceptionally(
                    new SocketConnectException("ECONNABORTED", "connect", socket.target(), closedDuringConnect()));
        }
        try {
            if (socket.channel.isOpen()) {
                // a channel whose registration the loop never ran; Netty asserts loop
                // confinement for a
                // registered one, whose loop has stopped by now
                socket.channel.unsafe().closeForcibly();
            }
        }
        catch (RuntimeException | AssertionError ex) {
            logger.debug("Closing the channel of {} failed after the loops stopped", socket, ex);
        }
        if (socket.tls != null) {
            try {
                socket.tls.dispose();
            }
            catch (RuntimeException ex) {
                logger.debug("TLS dispose failed for {}", socket, ex);
            }
        }
        socket.discardQueue();
        socket.releaseJvm();
        socket.closeCompleted();
    }

    @Override
    public ManagedEndpoint manage(String endpointName, ReconnectPolicy policy) {
        return this.managed.manage(endpointName, policy);
    }

    @Override
    public ManagedEndpoint manage(String endpointName) {
        return this.managed.manage(endpointName, ReconnectPolicy.DEFAULT);
    }

    @Override
    public ManagedEndpoint manage(String endpointName, ReconnectPolicy policy, EndpointStateListener... listeners) {
        return this.managed.manage(endpointName, policy, listeners);
    }

    @Override
    public List<ManagedEndpoint> managedEndpoints() {
        return this.managed.list();
    }

    @Override
    public List<Socket<?>> sockets() {
        return List.copyOf(listed());
    }

    @Override
    public @Nullable Socket<?> socket(String id) {
        long number;
        try {
            number = Long.parseLong(id);
        }
        catch (NumberFormatException ex) {
            return null;
        }
        for (NettySocket<?> socket : this.live) {
            if (socket.number == number) {
                // "007" or "+7" parse to the number of the socket whose id is "7"
                return (socket.listed && socket.id().equals(id)) ? socket : null;
            }
        }
        return null;
    }

    @Override
    public boolean isClosed() {
        return this.closed.get();
    }

    @Override
    public CompletableFuture<Void> closeAsync(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (!this.closed.compareAndSet(false, true)) {
            return this.terminated;
        }
        // managed endpoints first: they stop reconnecting and end their sockets
        this.managed.closeAll();
        List<CompletableFuture<Void>> waits = new ArrayList<>();
        for (NettySocket<?> socket : listed()) {
            if (socket.referenced()) {
                waits.add(socket.closeFuture());
                socket.end();
            }
            else {
                socket.terminate();
            }
        }
        CompletableFuture.allOf(waits.toArray(new CompletableFuture<?>[0]))
            .completeOnTimeout(null, Math.max(0, timeout.toMillis()), TimeUnit.MILLISECONDS)
            .thenCompose((ignored) -> {
                List<CompletableFuture<Void>> terminations = new ArrayList<>();
                for (NettySocket<?> socket : listed()) {
                    terminations.add(terminateAtShutdown(socket, timeout));
                }
                // a loop that is shutting down closes its channels at once, before queued
                // tasks: stop the loops
                // only after the terminations have set close's error (bounded, as the
                // loop could be stalled)
                return CompletableFuture.allOf(terminations.toArray(new CompletableFuture<?>[0]))
                    .completeOnTimeout(null, 2, TimeUnit.SECONDS);
            })
            .whenComplete((ignored, failure) -> {
                this.resolvers.close();
                this.group.shutdownGracefully(0, 2, TimeUnit.SECONDS).addListener((done) -> {
                    for (NettySocket<?> socket : listed()) {
                        socket.discardQueue();
                        socket.listed = false;
                    }
                    try {
                        // the loops have stopped: nothing can still be reporting these
                        for (NettySocket<?> socket : List.copyOf(this.live)) {
                            abandon(socket, socket.connectFuture);
                        }
                    }
                    finally {
                        this.terminated.complete(null);
                    }
                });
            });
        return this.terminated;
    }

    /**
     * Terminates a socket that the graceful close waited for in vain. Accepted bytes that
     * never left are lost: that is logged at WARN (socket id, endpoint, target, count)
     * and becomes close's error.
     */
    private CompletableFuture<Void> terminateAtShutdown(NettySocket<?> socket, Duration timeout) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Runnable task = () -> {
            long unsent = socket.unsentBytes();
            if (unsent > 0) {
                String target = socket.target();
                logger.warn(
                        "Terminating socket {} (endpoint {}, {}) after the shutdown timeout of {} ms: {} accepted "
                                + "bytes were never sent (the peer did not read them)",
                        socket.id(), (socket.endpoint != null) ? socket.endpoint : "none", target, timeout.toMillis(),
                        unsent);
                socket.events.closing()
                    .closeErrorIfNone(new SocketTransportException("ETIMEDOUT", "write",
                            new IOException("terminated by the connector's shutdown after " + timeout.toMillis()
                                    + " ms: " + unsent + " accepted bytes were never sent to " + target
                                    + " (the peer did not read them)")));
            }
            else {
                logger.debug("Terminating {} after the shutdown timeout", socket);
            }
            try {
                socket.terminate();
            }
            finally {
                // stop the loops only once close was reported: io_uring's close waits for
                // the write's cancellation,
                // and a loop stopping before it completes never fires channelInactive
                // (Netty 4.2.18; IoUringCloseTests)
                socket.closeFuture().whenComplete((ignored, failure) -> done.complete(null));
            }
        };
        try {
            socket.loop.execute(task);
        }
        catch (RejectedExecutionException ex) {
            socket.terminate();
            done.complete(null);
        }
        return done;
    }

    @Override
    public void close() {
        CompletableFuture<Void> done = closeAsync(this.settings.shutdownTimeout());
        for (EventLoop loop : loops()) {
            if (loop.inEventLoop()) {
                return;
            }
        }
        try {
            done.get(this.settings.shutdownTimeout().toMillis() + 5000, TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        catch (ExecutionException | TimeoutException ex) {
            logger.warn("The connector did not close cleanly", ex);
        }
    }

    private List<EventLoop> loops() {
        List<EventLoop> loops = new ArrayList<>();
        this.group.forEach((executor) -> loops.add((EventLoop) executor));
        return loops;
    }

    @Override
    public String toString() {
        return "SocketConnector[transport=" + this.transport.transport() + ", sockets=" + listed().size() + ", closed="
                + this.closed.get() + "]";
    }

    /**
     * Builds a new channel's pipeline, the one place that does, head to tail in
     * {@link PipelineNames} order: {@code tls-sniffer} and {@code tls} on a TLS socket,
     * {@code idle} where a read-idle timeout or a heartbeat applies, {@code frames} with
     * a framing, then {@code events}. Called by the {@link Dialer} on the channel's event
     * loop once the channel is registered.
     */
    static void initPipeline(ChannelPipeline pipeline, @Nullable TlsConnection tls, NettySocket<?> socket) {
        if (tls != null) {
            TlsConnection.Handlers handlers = tls.handlers(pipeline.channel());
            pipeline.addLast(PipelineNames.TLS_SNIFFER, handlers.sniffer());
            pipeline.addLast(PipelineNames.TLS, handlers.ssl());
        }
        // the pipeline is built while connecting: the attempt still holds the options
        ConnectAttempt<?> attempt = Objects.requireNonNull(socket.events.attempt(), "a connect in progress");
        IdleHandler idle = IdleHandler.of(socket, attempt.options(), socket.connector.settings);
        if (idle != null) {
            pipeline.addLast(PipelineNames.IDLE, idle);
            socket.events.idle = idle;
        }
        FrameCodec frames = socket.frames;
        if (frames != null) {
            FrameDecoders.FrameDecoder decoder = frames.newDecoder();
            socket.events.frameDecoder(decoder);
            pipeline.addLast(PipelineNames.FRAMES, decoder);
        }
        pipeline.addLast(PipelineNames.EVENTS, socket.events);
    }

}
