package dev.socketconnector.internal;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import dev.socketconnector.Socket;
import dev.socketconnector.SocketConnectException;
import dev.socketconnector.TcpSocketConnectOptions;
import dev.socketconnector.internal.tls.TlsConnection;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.resolver.AddressResolverGroup;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;
import org.jspecify.annotations.Nullable;

/**
 * One TCP connect across every address of its target: RFC 8305 Happy Eyeballs. Each entry
 * of the target (the hostname, or each of {@code addresses}) is resolved at this attempt;
 * the addresses are dialled in order (a name's own addresses IPv6 and IPv4 interleaved,
 * starting with the family of the resolver's first answer), the next one when the
 * previous has not connected within {@code connectAttemptDelay} or at once when it fails,
 * while earlier attempts keep running.
 * <p>
 * Each address gets its own channel whose pipeline holds only a no-op handler, so a
 * losing attempt is closed without any socket callback, observer event or
 * {@code sockets()} entry. The first channel to connect wins (decided once, on the loop):
 * it becomes the socket's channel and gets the socket's pipeline (TLS, events) before
 * Netty fires its {@code channelActive}, so the TLS handshake runs on the winner only.
 * When every address has failed, the socket's connect fails once with the first failure,
 * unless a later one is more telling (anything over ETIMEDOUT); the connect deadline
 * ({@code ConnectAttempt}) covers the whole race.
 * <p>
 * Created on the caller's thread; every other method runs on the socket's event loop and
 * every field is confined to it. Lookups complete off the loop and are reported on it.
 *
 * @param <D> the type of the socket's data
 */
final class AddressRace<D> {

    /**
     * The connect attempts' DEBUG lines; {@link Dialer}'s direct path (one address, no
     * race) writes the same lines here.
     */
    static final InternalLogger logger = InternalLoggerFactory.getInstance(AddressRace.class);

    /** At most this many other failures ride along as suppressed exceptions. */
    private static final int MAX_SUPPRESSED = 8;

    private final NettySocket<D> socket;

    private final @Nullable TlsConnection tls;

    private final CompletableFuture<Socket<D>> future;

    private final long startNanos;

    private final long timeoutNanos;

    private final long attemptDelayNanos;

    private final Bootstrap bootstrap;

    private final ChannelFactory<? extends Channel> channels;

    private final AddressResolverGroup<InetSocketAddress> resolvers;

    private final List<Target> targets;

    /** The socket's first channel, registered before the race starts, not yet dialled. */
    private @Nullable Channel spare;

    /** Channels whose connect is in flight. */
    private final List<Channel> dialling = new ArrayList<>(2);

    private int cursor;

    private int within;

    private int attempts;

    private @Nullable ScheduledFuture<?> stagger;

    /** The next attempt is due but the lookup of the entry it needs has not answered. */
    private boolean waiting;

    /** The race is over: a channel won, or the race's channels are closed. */
    private boolean decided;

    private @Nullable Channel winner;

    private @Nullable SocketConnectException failure;

    private int suppressed;

    AddressRace(NettySocket<D> socket, @Nullable TlsConnection tls, CompletableFuture<Socket<D>> future,
            long startNanos, ConnectorSettings settings, Bootstrap bootstrap,
            ChannelFactory<? extends Channel> channels, AddressResolverGroup<InetSocketAddress> resolvers,
            TcpSocketConnectOptions<D> options) {
        this.socket = socket;
        this.tls = tls;
        this.future = future;
        this.startNanos = startNanos;
        this.timeoutNanos = settings.connectTimeout().toNanos();
        this.attemptDelayNanos = settings.connectAttemptDelay().toNanos();
        this.bootstrap = bootstrap;
        this.channels = channels;
        this.resolvers = resolvers;
        this.spare = socket.channel;
        List<InetSocketAddress> entries = options.addresses();
        List<Target> targets = new ArrayList<>(Math.max(1, entries.size()));
        if (entries.isEmpty()) {
            String hostname = options.hostname();
            targets.add(
                    new Target(InetSocketAddress.createUnresolved((hostname != null) ? hostname : "", options.port())));
        }
        else {
            for (InetSocketAddress entry : entries) {
                // a new instance per connect: the key by which HostResolverGroup drops
                // this connect's lookup
                targets.add(new Target(entry.isUnresolved()
                        ? InetSocketAddress.createUnresolved(entry.getHostString(), entry.getPort()) : entry));
            }
        }
        this.targets = targets;
        future.whenComplete((ignored, failure) -> {
            if (failure instanceof CancellationException) {
                try {
                    socket.loop.execute(this::cancelled);
                }
                catch (RejectedExecutionException ex) {
                    // the loops have stopped: the connector's close has failed the
                    // connect
                }
            }
        });
    }

    /**
     * The one address of a target that needs neither a lookup nor a race: an IP literal
     * hostname, or an {@code addresses} list of one resolved entry (or one IP literal).
     * Such a connect is dialled directly ({@link Dialer}), with what the race would do
     * for it: the same address, DEBUG lines, errors and deadline.
     * @param options the connect's options
     * @return the address, or null when the target needs a lookup or has several entries
     */
    static @Nullable InetSocketAddress single(TcpSocketConnectOptions<?> options) {
        List<InetSocketAddress> entries = options.addresses();
        String host;
        int port;
        if (entries.isEmpty()) {
            host = options.hostname();
            port = options.port();
        }
        else if (entries.size() == 1) {
            InetSocketAddress entry = entries.get(0);
            if (!entry.isUnresolved()) {
                return entry;
            }
            host = entry.getHostString();
            port = entry.getPort();
        }
        else {
            return null;
        }
        if (host != null && (NetUtil.isValidIpV4Address(host) || NetUtil.isValidIpV6Address(host))) {
            return new InetSocketAddress(NetUtil.createInetAddressFromIpAddressString(host), port);
        }
        return null;
    }

    /**
     * The handler Bootstrap adds to the socket's first channel: the race starts once that
     * channel is registered.
     */
    ChannelHandler starter() {
        return new Starter();
    }

    /**
     * Starts the deadline, the lookups and the first attempt. Loop, once the first
     * channel is registered.
     */
    private void start() {
        this.socket.events.connecting(this.future, this.startNanos, this.timeoutNanos);
        if (this.socket.connector.isClosed()) {
            this.socket.events.connectFailed(NettySocketConnector.closedDuringConnect());
            return;
        }
        EventLoop loop = this.socket.loop;
        for (Target target : this.targets) {
            InetSocketAddress entry = target.entry;
            if (!entry.isUnresolved()) {
                target.answered(List.of(entry));
                continue;
            }
            String host = entry.getHostString();
            if (NetUtil.isValidIpV4Address(host) || NetUtil.isValidIpV6Address(host)) {
                target.answered(List
                    .of(new InetSocketAddress(NetUtil.createInetAddressFromIpAddressString(host), entry.getPort())));
                continue;
            }
            if (this.resolvers instanceof HostResolverGroup hosts) {
                // the race reports a failed lookup itself, from the resolve future
                hosts.expect(entry, (ignored) -> {
                });
            }
            Future<List<InetSocketAddress>> lookup;
            try {
                lookup = this.resolvers.getResolver(loop).resolveAll(entry);
            }
            catch (RuntimeException ex) {
                // the resolver group is closed (the connector is closing)
                target.failed(ex);
                continue;
            }
            lookup.addListener((Future<List<InetSocketAddress>> done) -> {
                if (!loop.inEventLoop()) {
                    loop.execute(() -> answered(target, done));
                }
                else {
                    answered(target, done);
                }
            });
        }
        next();
    }

    private void answered(Target target, Future<List<InetSocketAddress>> lookup) {
        if (lookup.isSuccess()) {
            List<InetSocketAddress> addresses = lookup.getNow();
            if (addresses == null || addresses.isEmpty()) {
                target.failed(new java.net.UnknownHostException(target.entry.getHostString()));
            }
            else {
                target.answered(interleave(addresses));
            }
        }
        else {
            target.failed(lookup.cause());
        }
        if (this.waiting && !this.decided) {
            next();
        }
    }

    /**
     * Starts the next attempt, or waits for the lookup it needs, or fails the connect
     * when nothing is left and nothing is in flight. Loop.
     */
    private void next() {
        cancelStagger();
        if (this.decided) {
            return;
        }
        while (this.cursor < this.targets.size()) {
            Target target = this.targets.get(this.cursor);
            if (!target.done) {
                this.waiting = true;
                return;
            }
            List<InetSocketAddress> addresses = target.addresses;
            if (addresses != null && this.within < addresses.size()) {
                this.waiting = false;
                dial(addresses.get(this.within++));
                return;
            }
            Throwable lookupFailure = target.failure;
            if (lookupFailure != null) {
                record(lookupFailure(lookupFailure, target(target.entry)));
            }
            this.cursor++;
            this.within = 0;
        }
        this.waiting = false;
        if (this.dialling.isEmpty()) {
            SocketConnectException error = this.failure;
            this.socket.events.connectFailed((error != null) ? error
                    : new SocketConnectException("ENOTFOUND", "getaddrinfo", this.socket.target(), null));
        }
    }

    private void dial(InetSocketAddress address) {
        int attempt = ++this.attempts;
        if (logger.isDebugEnabled()) {
            logger.debug("Socket {} connect attempt {} to {} ({})", this.socket.id(), attempt, target(address),
                    this.socket.target());
        }
        Channel channel = this.spare;
        this.spare = null;
        if (channel != null) {
            connect(channel, address);
        }
        else {
            Channel fresh = this.channels.newChannel();
            this.dialling.add(fresh);
            this.bootstrap.clone(this.socket.loop)
                .channelFactory(() -> fresh)
                .handler(Loser.INSTANCE)
                .register()
                .addListener((ChannelFuture registered) -> {
                    if (!registered.isSuccess()) {
                        this.dialling.remove(fresh);
                        fresh.unsafe().closeForcibly();
                        if (!this.decided) {
                            record(ErrorCodes.connectFailure(registered.cause(), target(address)));
                            next();
                        }
                    }
                    else if (this.decided) {
                        this.dialling.remove(fresh);
                        fresh.close();
                    }
                    else {
                        this.dialling.remove(fresh);
                        connect(fresh, address);
                    }
                });
        }
        if (this.attemptDelayNanos > 0 && mayHaveMore()) {
            this.stagger = this.socket.loop.schedule(this::next, this.attemptDelayNanos, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * Whether an address may follow the one just dialled (more of this entry's, or
     * another entry): without one there is nothing to stagger, and a connect to one
     * address schedules no task. Loop.
     */
    private boolean mayHaveMore() {
        if (this.cursor + 1 < this.targets.size()) {
            return true;
        }
        List<InetSocketAddress> addresses = this.targets.get(this.cursor).addresses;
        return addresses != null && this.within < addresses.size();
    }

    private void connect(Channel channel, InetSocketAddress address) {
        this.dialling.add(channel);
        channel.connect(address).addListener((ChannelFuture done) -> connected(channel, address, done));
    }

    /**
     * An attempt's outcome, on the loop, before Netty fires {@code channelActive} on
     * success.
     */
    private void connected(Channel channel, InetSocketAddress address, ChannelFuture done) {
        this.dialling.remove(channel);
        if (done.isSuccess()) {
            if (this.decided) {
                // connected after the winner, or after the race was given up: closed
                // unseen
                channel.close();
                return;
            }
            win(channel, address);
            return;
        }
        channel.close();
        if (this.decided) {
            return;
        }
        logger.debug("Socket {} connect attempt to {} failed", this.socket.id(), target(address), done.cause());
        record(ErrorCodes.connectFailure(done.cause(), target(address)));
        next();
    }

    private void win(Channel channel, InetSocketAddress address) {
        this.decided = true;
        this.winner = channel;
        cancelStagger();
        closeOthers(channel);
        forgetLookups();
        if (logger.isDebugEnabled()) {
            logger.debug("Socket {} connected to {} after {} attempt(s)", this.socket.id(), target(address),
                    this.attempts);
        }
        this.socket.channel = channel;
        ChannelPipeline pipeline = channel.pipeline();
        ChannelHandler first = pipeline.first();
        if (first != null) {
            pipeline.remove(first);
        }
        NettySocketConnector.initPipeline(pipeline, this.tls, this.socket);
    }

    /**
     * Closes the race's channels unless one has won, and schedules the socket's
     * {@code closed()} (no channel carrying the socket's pipeline will report it). Called
     * when the socket's connect is given up (failure, deadline, the connector's close).
     * Loop.
     * @return false when a channel has won: the caller closes the socket's channel
     */
    boolean closeUndecided() {
        if (this.winner != null) {
            return false;
        }
        if (!this.decided) {
            this.decided = true;
            cancelStagger();
            closeOthers(null);
            forgetLookups();
            SocketClosing<D> closing = this.socket.events.closing();
            try {
                this.socket.loop.execute(closing::closed);
            }
            catch (RejectedExecutionException ex) {
                // the loop has stopped (a registration it refused): nothing else would
                // run closed()
                closing.closed();
            }
        }
        return true;
    }

    /**
     * The caller cancelled the connect future while no address had connected: the race
     * stops and the connect fails (connectError with ECONNABORTED, once). Once an address
     * has won, the connect goes on (the handler sees the socket). Loop.
     */
    private void cancelled() {
        if (this.decided || this.socket.events.connectDone()) {
            return;
        }
        this.socket.events.connectFailed(new SocketConnectException("ECONNABORTED", "connect", this.socket.target(),
                new CancellationException("the connect future was cancelled")));
    }

    /**
     * The failure the connect deadline reports when the race is still undecided: the most
     * telling one recorded, or null (then ETIMEDOUT). Loop.
     */
    @Nullable SocketConnectException failureAtDeadline() {
        SocketConnectException recorded = this.failure;
        return (recorded != null && !"ETIMEDOUT".equals(recorded.code())) ? recorded : null;
    }

    private void closeOthers(@Nullable Channel keep) {
        Channel spare = this.spare;
        this.spare = null;
        if (spare != null && spare != keep) {
            spare.close();
        }
        for (Channel channel : List.copyOf(this.dialling)) {
            if (channel != keep) {
                channel.close();
            }
        }
        this.dialling.clear();
    }

    private void forgetLookups() {
        if (this.resolvers instanceof HostResolverGroup hosts) {
            for (Target target : this.targets) {
                if (target.entry.isUnresolved()) {
                    hosts.forget(target.entry);
                }
            }
        }
    }

    private void cancelStagger() {
        ScheduledFuture<?> stagger = this.stagger;
        if (stagger != null) {
            stagger.cancel(false);
            this.stagger = null;
        }
    }

    /**
     * Keeps the first failure unless this one is more telling (anything over ETIMEDOUT).
     */
    private void record(SocketConnectException error) {
        SocketConnectException current = this.failure;
        if (current == null) {
            this.failure = error;
            return;
        }
        if ("ETIMEDOUT".equals(current.code()) && !"ETIMEDOUT".equals(error.code())) {
            this.failure = error;
            error.addSuppressed(current);
            return;
        }
        if (this.suppressed < MAX_SUPPRESSED) {
            this.suppressed++;
            current.addSuppressed(error);
        }
    }

    /**
     * Orders one name's addresses for Happy Eyeballs (RFC 8305, section 4): the families
     * alternate, starting with the family of the first address, each family keeping the
     * resolver's order.
     * @param addresses the resolver's answer
     * @return the addresses interleaved
     */
    static List<InetSocketAddress> interleave(List<InetSocketAddress> addresses) {
        if (addresses.size() < 2) {
            return addresses;
        }
        boolean firstIsV6 = addresses.get(0).getAddress() instanceof Inet6Address;
        List<InetSocketAddress> first = new ArrayList<>(addresses.size());
        List<InetSocketAddress> second = new ArrayList<>(addresses.size());
        for (InetSocketAddress address : addresses) {
            boolean v6 = address.getAddress() instanceof Inet6Address;
            ((v6 == firstIsV6) ? first : second).add(address);
        }
        List<InetSocketAddress> result = new ArrayList<>(addresses.size());
        for (int i = 0; i < Math.max(first.size(), second.size()); i++) {
            if (i < first.size()) {
                result.add(first.get(i));
            }
            if (i < second.size()) {
                result.add(second.get(i));
            }
        }
        return result;
    }

    private SocketConnectException lookupFailure(Throwable cause, String target) {
        if (cause instanceof RejectedExecutionException && this.socket.connector.isClosed()) {
            return new SocketConnectException("ECONNABORTED", "connect", target,
                    NettySocketConnector.closedDuringConnect());
        }
        if (cause instanceof RejectedExecutionException) {
            // the lookup queue is full: fail now rather than time out behind it
            return new SocketConnectException("EAI_AGAIN", "getaddrinfo", target, cause);
        }
        return ErrorCodes.connectFailure(cause, target);
    }

    /** An address as the attempts' DEBUG lines and errors name it. */
    static String target(InetSocketAddress address) {
        String host = (address.getAddress() != null) ? NetUtil.toAddressString(address.getAddress())
                : address.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    /** One entry of the target and its lookup's outcome. Loop. */
    private static final class Target {

        final InetSocketAddress entry;

        boolean done;

        @Nullable List<InetSocketAddress> addresses;

        @Nullable Throwable failure;

        Target(InetSocketAddress entry) {
            this.entry = entry;
        }

        void answered(List<InetSocketAddress> addresses) {
            this.done = true;
            this.addresses = addresses;
        }

        void failed(Throwable failure) {
            this.done = true;
            this.failure = failure;
        }

    }

    /**
     * The first channel's handler until the race is decided: starts the race once the
     * channel is registered.
     */
    private final class Starter extends ChannelInboundHandlerAdapter {

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            start();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // an attempt's failure is reported through its connect future
            logger.debug("Exception on a connect attempt of socket {}", AddressRace.this.socket.id(), cause);
        }

    }

    /**
     * The handler of every other attempt's channel until it wins: swallows everything.
     */
    @ChannelHandler.Sharable
    private static final class Loser extends ChannelInboundHandlerAdapter {

        static final Loser INSTANCE = new Loser();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            io.netty.util.ReferenceCountUtil.release(msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            logger.debug("Exception on a losing connect attempt", cause);
        }

    }

}
