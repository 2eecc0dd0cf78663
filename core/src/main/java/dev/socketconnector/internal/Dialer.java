package dev.socketconnector.internal;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;

import dev.socketconnector.Framing;
import dev.socketconnector.Socket;
import dev.socketconnector.SocketConnectException;
import dev.socketconnector.SocketConnectOptions;
import dev.socketconnector.SocketObserver;
import dev.socketconnector.TcpSocketConnectOptions;
import dev.socketconnector.Transport;
import dev.socketconnector.UnixSocketOptions;
import dev.socketconnector.internal.jfr.JfrSocketObserver;
import dev.socketconnector.internal.tls.TlsConnection;
import dev.socketconnector.internal.tls.TlsConnections;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.resolver.AddressResolverGroup;
import io.netty.resolver.NoopAddressResolverGroup;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;
import org.jspecify.annotations.Nullable;

/**
 * Starts connects: makes the socket and its first channel. A unix connect, or a TCP
 * connect to one IP address, sets the channel's options, registers it on its loop and
 * dials it itself ({@link Attempt}); any other TCP connect hands the channel to Netty's
 * {@link Bootstrap}, which registers it, and is run by its {@link AddressRace}, which
 * resolves the name (or each entry of {@code addresses}) through the connector's resolver
 * group at this attempt and dials every address, Happy Eyeballs style.
 * <p>
 * One connect deadline covers DNS, TCP and the TLS handshake: it starts when the channel
 * is registered (on its event loop) and counts from the {@code connect()} call. Names
 * resolve off the loop (the JDK's lookup on {@link HostResolver}'s threads, Netty's DNS
 * resolver asynchronously); IP literals and unix paths need no lookup. Every failure
 * reaches {@code SocketEventsHandler.connectFailed} on the socket's loop, which reports
 * it once. {@link #connect} runs on the caller's thread; the rest on the socket's event
 * loop.
 */
final class Dialer {

    private static final InternalLogger logger = InternalLoggerFactory.getInstance(Dialer.class);

    private final NettySocketConnector connector;

    private final ConnectorSettings settings;

    private final EventLoopGroup loops;

    private final TlsConnections tlsConnections;

    private final AddressResolverGroup<InetSocketAddress> resolvers;

    private final ChannelFactory<? extends Channel> tcpChannels;

    private final ChannelFactory<? extends Channel> unixChannels;

    /**
     * What every TCP connect shares: loops, resolver, channel options. Cloned per
     * connect, never changed.
     */
    private final Bootstrap tcp;

    /**
     * As {@link #tcp}, for unix sockets (no TCP options; the resolver passes unix
     * addresses through).
     */
    private final Bootstrap unix;

    /** {@link #tcp}'s channel options, set on a channel dialled without Bootstrap. */
    private final Map.Entry<ChannelOption<?>, Object>[] tcpOptions;

    /** {@link #unix}'s channel options. */
    private final Map.Entry<ChannelOption<?>, Object>[] unixOptions;

    private final AtomicLong socketIds = new AtomicLong();

    Dialer(NettySocketConnector connector, ConnectorSettings settings, NettyTransport transport, EventLoopGroup loops,
            TlsConnections tlsConnections, AddressResolverGroup<InetSocketAddress> resolvers) {
        this.connector = connector;
        this.settings = settings;
        this.loops = loops;
        this.tlsConnections = tlsConnections;
        this.resolvers = resolvers;
        this.tcpChannels = transport.channelFactory(false);
        this.unixChannels = transport.channelFactory(true);
        // Netty's writability flips at the low-water mark both ways: drain is decided by
        // our own accounting
        // (NettySocket.drainDue), and a writable event is the wake-up to check it.
        WriteBufferWaterMark nettyWaterMark = new WriteBufferWaterMark(settings.writeBufferLowWaterMark(),
                settings.writeBufferLowWaterMark());
        // TCP connects resolve in AddressRace (every address, at each attempt); unix
        // paths need no lookup
        Bootstrap common = new Bootstrap().group(loops)
            .resolver(NoopAddressResolverGroup.INSTANCE)
            .option(ChannelOption.WRITE_BUFFER_WATER_MARK, nettyWaterMark)
            // our own timer covers DNS, connect and handshake
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 0);
        this.unix = common.clone();
        if (transport.transport() != Transport.NIO) {
            // NIO's domain channels have no such option (Bootstrap would log a warning
            // per connect): they close on
            // the peer's FIN, see SocketEventsHandler.closed
            this.unix.option(ChannelOption.ALLOW_HALF_CLOSURE, true);
        }
        this.tcp = common.clone()
            .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
            .option(ChannelOption.TCP_NODELAY, settings.noDelay());
        transport.keepAliveOptions(this.tcp, settings.keepAlive());
        this.tcpOptions = options(this.tcp);
        this.unixOptions = options(this.unix);
    }

    /**
     * Starts a connect. Caller's thread.
     * @param endpoint the endpoint name, or null
     * @param options the options
     * @return the connect future
     * @throws IllegalStateException when the connector is closed
     * @throws RuntimeException when the TLS options cannot be used (nothing is left open)
     */
    <D> CompletableFuture<Socket<D>> connect(@Nullable String endpoint, SocketConnectOptions<D> options) {
        long start = System.nanoTime();
        boolean unix = options instanceof UnixSocketOptions;
        String host = null;
        int port = -1;
        SocketAddress remote = null;
        if (options instanceof TcpSocketConnectOptions<D> tcp) {
            host = tcp.hostname();
            port = tcp.port();
            if (host == null) {
                // an addresses list: TLS checks the first entry's host unless serverName
                // is set
                InetSocketAddress first = tcp.addresses().get(0);
                host = first.getHostString();
                port = first.getPort();
            }
        }
        else {
            remote = this.connector.nettyTransport().unixAddress(((UnixSocketOptions<D>) options).unix());
        }
        // The channel is made here rather than inside Bootstrap.connect: the socket (its
        // id, its TLS state, its connect future) must exist on the caller's thread before
        // the channel is registered.
        Framing framing = framing(options);
        if (options.requestReply() != null && framing instanceof Framing.None) {
            throw new IllegalArgumentException(
                    "requestReply needs a framing other than Framing.none(): set framing(...)"
                            + " on the connect options or as the connector's default (SocketConnectorBuilder.framing)");
        }
        Channel channel = (unix ? this.unixChannels : this.tcpChannels).newChannel();
        TlsConnection tls = null;
        if (options.tls() != null) {
            try {
                tls = this.tlsConnections.newConnection(options.tls(), host, port, channel.alloc());
            }
            catch (RuntimeException ex) {
                // the channel was never registered: close it so its file descriptor is
                // not leaked
                channel.unsafe().closeForcibly();
                throw ex;
            }
        }
        EventLoop loop = this.loops.next();
        NettySocket<D> socket = new NettySocket<>(this.connector, this.socketIds.incrementAndGet(), endpoint, options,
                tls, unix, channel, loop, framing);
        CompletableFuture<Socket<D>> future = new CompletableFuture<>();
        if (!this.connector.track(socket, future)) {
            throw new IllegalStateException("the connector is closed");
        }
        SocketObserver observer = this.connector.observer();
        if (observer != SocketObserver.NONE
                && (observer != JfrSocketObserver.INSTANCE || JfrSocketObserver.INSTANCE.recordsConnects())) {
            // with only the JFR observer and no recording of its connect event, nothing
            // reads the target: no string is built per connect
            observer.connecting(socket, endpoint, tls != null, options.target());
        }
        InetSocketAddress single = (remote == null) ? AddressRace.single((TcpSocketConnectOptions<D>) options) : null;
        if (single == null && remote == null) {
            // TCP: register the first channel; the race resolves, then dials every
            // address (Happy Eyeballs)
            AddressRace<D> race = new AddressRace<>(socket, tls, future, start, this.settings, this.tcp,
                    this.tcpChannels, this.resolvers, (TcpSocketConnectOptions<D>) options);
            socket.events.race(race);
            ChannelFactory<Channel> prepared = () -> channel;
            ChannelFuture registered = this.tcp.clone(loop).channelFactory(prepared).handler(race.starter()).register();
            Attempt<D> attempt = new Attempt<>(socket, tls, future, start, null, null);
            registered.addListener((ChannelFuture done) -> {
                if (!done.isSuccess()) {
                    // a failed registration, the one failure that reaches neither the
                    // pipeline nor the group
                    attempt.failed(done.cause());
                }
            });
            return future;
        }
        // TCP to one IP address (a literal, or one resolved entry), or a unix path: no
        // lookup and no race. The channel is set up, registered and dialled here rather
        // than by a Bootstrap per connect (whose clone copies its option and attribute
        // maps, and whose connect runs through one more handler in the pipeline)
        Attempt<D> attempt = new Attempt<>(socket, tls, future, start, (single != null) ? single : remote, single);
        if (single != null) {
            attempt.cancellable();
        }
        setOptions(channel, (single != null) ? this.tcpOptions : this.unixOptions);
        loop.register(channel).addListener((ChannelFuture registered) -> attempt.registered(registered));
        return future;
    }

    /**
     * Sets a new channel's options before its registration, as Bootstrap does (and with
     * its WARN when the transport refuses one). Caller's thread.
     */
    @SuppressWarnings("unchecked")
    private static void setOptions(Channel channel, Map.Entry<ChannelOption<?>, Object>[] options) {
        for (Map.Entry<ChannelOption<?>, Object> option : options) {
            try {
                if (!channel.config().setOption((ChannelOption<Object>) option.getKey(), option.getValue())) {
                    logger.warn("Unknown channel option '{}' for channel '{}'", option.getKey(), channel);
                }
            }
            catch (RuntimeException ex) {
                logger.warn("Failed to set channel option '{}' with value '{}' for channel '{}'", option.getKey(),
                        option.getValue(), channel, ex);
            }
        }
    }

    /** The options a Bootstrap sets on each of its channels. */
    @SuppressWarnings("unchecked")
    private static Map.Entry<ChannelOption<?>, Object>[] options(Bootstrap bootstrap) {
        return bootstrap.config()
            .options()
            .entrySet()
            .stream()
            .map((option) -> Map.entry(option.getKey(), option.getValue()))
            .toArray(Map.Entry[]::new);
    }

    /** The framing of a connect: its options', else the connector's default. */
    private Framing framing(SocketConnectOptions<?> options) {
        Framing framing = options.framing();
        return (framing != null) ? framing : this.settings.framing();
    }

    /**
     * One connect to a single address (TCP) or a unix path: once the channel is
     * registered it builds the pipeline and starts the deadline, then dials. It reports
     * the dial's outcome to the socket before it closes a channel whose dial failed (the
     * socket must have seen the connect's error before its close). A TCP connect also
     * writes the race's DEBUG lines, names the address in its errors as the race does,
     * and stops when the connect future is cancelled before the TCP connect completes.
     * During a race it only reports a failed registration. Created on the caller's
     * thread; the rest runs on the loop.
     */
    private final class Attempt<D> {

        private final NettySocket<D> socket;

        private final @Nullable TlsConnection tls;

        private final CompletableFuture<Socket<D>> future;

        private final long startNanos;

        /** Where this attempt dials, or null during a race. */
        private final @Nullable SocketAddress remote;

        /** The one TCP address dialled without a race, or null (unix, race). */
        private final @Nullable InetSocketAddress address;

        private boolean started;

        /**
         * The TCP connect to {@link #address} has succeeded: a cancel no longer stops it.
         */
        private boolean connected;

        Attempt(NettySocket<D> socket, @Nullable TlsConnection tls, CompletableFuture<Socket<D>> future,
                long startNanos, @Nullable SocketAddress remote, @Nullable InetSocketAddress address) {
            this.socket = socket;
            this.tls = tls;
            this.future = future;
            this.startNanos = startNanos;
            this.remote = remote;
            this.address = address;
        }

        /**
         * Cancelling the connect future before the TCP connect completes fails the
         * connect (connectError with ECONNABORTED, once), as during a race. Caller's
         * thread, before registration.
         */
        void cancellable() {
            this.future.whenComplete((ignored, failure) -> {
                if (failure instanceof CancellationException) {
                    try {
                        this.socket.loop.execute(this::cancelled);
                    }
                    catch (RejectedExecutionException ex) {
                        // the loops have stopped: the connector's close has failed the
                        // connect
                    }
                }
            });
        }

        private void cancelled() {
            if (this.connected || this.socket.events.connectDone()) {
                return;
            }
            this.socket.events.connectFailed(new SocketConnectException("ECONNABORTED", "connect", this.socket.target(),
                    new CancellationException("the connect future was cancelled")));
        }

        /**
         * The channel's registration is done: on success the pipeline is built and the
         * deadline starts, then the dial follows in a task of its own (as Bootstrap's:
         * after {@code channelRegistered} has gone through the pipeline). Loop.
         */
        void registered(ChannelFuture registration) {
            Channel channel = registration.channel();
            if (!registration.isSuccess()) {
                // as Bootstrap: the channel is closed; the failure reaches neither the
                // pipeline nor the group
                if (channel.isOpen()) {
                    channel.unsafe().closeForcibly();
                }
                failed(registration.cause());
                return;
            }
            NettySocketConnector.initPipeline(channel.pipeline(), this.tls, this.socket);
            start();
            if (Dialer.this.connector.isClosed()) {
                // registered while the loop shuts down, possibly after it closed its
                // channels: fail here, on the loop, rather than leave an open channel
                // behind
                this.socket.events.connectFailed(NettySocketConnector.closedDuringConnect());
                return;
            }
            try {
                channel.eventLoop().execute(this::dial);
            }
            catch (RejectedExecutionException ex) {
                failed(ex);
            }
        }

        private void dial() {
            SocketAddress remote = this.remote;
            InetSocketAddress address = this.address;
            Channel channel = this.socket.channel;
            if (remote == null || !channel.isOpen()) {
                // cancelled, timed out or closed with the connector before the dial:
                // already reported
                return;
            }
            if (address != null && AddressRace.logger.isDebugEnabled()) {
                AddressRace.logger.debug("Socket {} connect attempt {} to {} ({})", this.socket.id(), 1,
                        AddressRace.target(address), this.socket.target());
            }
            ChannelPromise dialled = channel.newPromise();
            dialled.addListener((ChannelFuture done) -> dialled(done));
            channel.connect(remote, dialled);
        }

        /**
         * The TCP or unix connect's outcome, before Netty fires {@code channelActive} on
         * success. Loop.
         */
        private void dialled(ChannelFuture done) {
            InetSocketAddress address = this.address;
            if (done.isSuccess()) {
                if (address != null) {
                    this.connected = true;
                    if (AddressRace.logger.isDebugEnabled()) {
                        AddressRace.logger.debug("Socket {} connected to {} after {} attempt(s)", this.socket.id(),
                                AddressRace.target(address), 1);
                    }
                }
                return;
            }
            if (address != null) {
                if (!this.socket.events.connectDone()) {
                    AddressRace.logger.debug("Socket {} connect attempt to {} failed", this.socket.id(),
                            AddressRace.target(address), done.cause());
                }
                failed(ErrorCodes.connectFailure(done.cause(), AddressRace.target(address)));
            }
            else {
                failed(done.cause());
            }
            // as Bootstrap's connect: a failed dial closes its channel
            done.channel().close();
        }

        /**
         * Starts the deadline, once: at registration, or at a failure that came before
         * it.
         */
        private void start() {
            if (!this.started) {
                this.started = true;
                this.socket.events.connecting(this.future, this.startNanos,
                        Dialer.this.settings.connectTimeout().toNanos());
            }
        }

        /** Registration, lookup or connect failed. */
        void failed(Throwable cause) {
            start();
            if (cause instanceof RejectedExecutionException && Dialer.this.connector.isClosed()) {
                cause = NettySocketConnector.closedDuringConnect();
            }
            else if (cause instanceof RejectedExecutionException) {
                // the lookup queue is full: fail now rather than time out behind it
                cause = new SocketConnectException("EAI_AGAIN", "getaddrinfo", this.socket.target(), cause);
            }
            this.socket.events.connectFailed(cause);
        }

    }

}
