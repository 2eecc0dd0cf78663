package dev.socketconnector.internal;

import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.Locale;
import java.util.concurrent.ThreadFactory;
import java.util.function.Function;

import dev.socketconnector.KeepAliveOptions;
import dev.socketconnector.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelOption;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.socket.nio.NioDomainSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.NettyRuntime;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;
import jdk.net.ExtendedSocketOptions;
import org.jspecify.annotations.Nullable;

/**
 * The chosen Netty transport: its event-loop factory, channel factories, unix addresses
 * and keep-alive options.
 * <p>
 * NIO is built in. Epoll and io_uring are compiled against Netty's
 * {@code netty-transport-classes-epoll} and {@code -classes-io_uring}, which stay
 * optional dependencies: every reference to their classes lives in {@link EpollTransport}
 * and {@link IoUringTransport}, which are loaded only after a class-path check has found
 * the transport's classes, so this class works without those jars.
 */
final class NettyTransport {

    private static final InternalLogger logger = InternalLoggerFactory.getInstance(NettyTransport.class);

    /**
     * System property that, when set, replaces {@code AUTO}'s choice (values: auto, nio,
     * epoll, io_uring).
     */
    static final String AUTO_OVERRIDE_PROPERTY = "socketconnector.transport";

    private final Transport transport;

    private final IoHandlerFactory ioHandlerFactory;

    private final ChannelFactory<? extends Channel> socketChannel;

    private final ChannelFactory<? extends Channel> domainChannel;

    private final Function<String, SocketAddress> unixAddress;

    private final ChannelOption<Integer> keepIdle;

    private final ChannelOption<Integer> keepInterval;

    private final ChannelOption<Integer> keepCount;

    /** TCP_USER_TIMEOUT in milliseconds; null on NIO (the JDK has no such option). */
    private final @Nullable ChannelOption<Integer> userTimeout;

    NettyTransport(Transport transport, IoHandlerFactory ioHandlerFactory,
            ChannelFactory<? extends Channel> socketChannel, ChannelFactory<? extends Channel> domainChannel,
            Function<String, SocketAddress> unixAddress, ChannelOption<Integer> keepIdle,
            ChannelOption<Integer> keepInterval, ChannelOption<Integer> keepCount,
            @Nullable ChannelOption<Integer> userTimeout) {
        this.transport = transport;
        this.ioHandlerFactory = ioHandlerFactory;
        this.socketChannel = socketChannel;
        this.domainChannel = domainChannel;
        this.unixAddress = unixAddress;
        this.keepIdle = keepIdle;
        this.keepInterval = keepInterval;
        this.keepCount = keepCount;
        this.userTimeout = userTimeout;
    }

    /**
     * Returns the transport to use. {@code AUTO} tries epoll, then io_uring, then NIO,
     * unless the system property {@value #AUTO_OVERRIDE_PROPERTY} names another transport
     * (the test suite runs on each transport that way).
     * @param requested the requested transport
     * @return the transport
     * @throws IllegalStateException when EPOLL or IO_URING is requested (or named by the
     * property) and cannot be loaded (the message says why and which jar to add)
     * @throws IllegalArgumentException when the property has a value that names no
     * transport
     */
    static NettyTransport select(Transport requested) {
        if (requested == Transport.AUTO) {
            requested = autoOverride(System.getProperty(AUTO_OVERRIDE_PROPERTY));
        }
        return switch (requested) {
            case NIO -> nio();
            case EPOLL, IO_URING -> loadRequired(requested);
            case AUTO -> {
                // epoll first: on the benchmark client it matched or beat io_uring on
                // throughput, ping-pong and
                // connect (connects by about 2x) at equal or lower CPU, and it keeps unix
                // sockets half-open
                NettyTransport epoll = loadOptional(Transport.EPOLL);
                if (epoll != null) {
                    yield epoll;
                }
                NettyTransport uring = loadOptional(Transport.IO_URING);
                yield (uring != null) ? uring : nio();
            }
        };
    }

    static Transport autoOverride(@Nullable String value) {
        if (value == null || value.isBlank()) {
            return Transport.AUTO;
        }
        String name = value.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (Transport transport : Transport.values()) {
            if (transport.name().equals(name)) {
                return transport;
            }
        }
        throw new IllegalArgumentException("system property " + AUTO_OVERRIDE_PROPERTY + " is '" + value
                + "': use one of auto, nio, epoll, io_uring");
    }

    static NettyTransport nio() {
        return new NettyTransport(Transport.NIO, NioIoHandler.newFactory(), NioSocketChannel::new,
                NioDomainSocketChannel::new, UnixDomainSocketAddress::of,
                NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPIDLE),
                NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPINTERVAL),
                NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPCOUNT), null);
    }

    /**
     * Why a native transport cannot be used here, or null when it can.
     * @param transport EPOLL or IO_URING
     * @return the reason (a {@link ClassNotFoundException} when the jar is absent), or
     * null when available
     */
    static @Nullable Throwable unavailabilityCause(Transport transport) {
        String marker = (transport == Transport.EPOLL) ? "io.netty.channel.epoll.Epoll"
                : "io.netty.channel.uring.IoUring";
        try {
            Class.forName(marker, false, NettyTransport.class.getClassLoader());
            Class.forName("io.netty.channel.unix.DomainSocketAddress", false, NettyTransport.class.getClassLoader());
        }
        catch (ClassNotFoundException ex) {
            return ex;
        }
        try {
            return (transport == Transport.EPOLL) ? EpollTransport.unavailabilityCause()
                    : IoUringTransport.unavailabilityCause();
        }
        catch (LinkageError ex) {
            return ex;
        }
    }

    private static NettyTransport loadRequired(Transport transport) {
        Throwable cause = unavailabilityCause(transport);
        if (cause == null) {
            try {
                return load(transport);
            }
            catch (LinkageError ex) {
                cause = ex;
            }
        }
        throw new IllegalStateException("transport " + transport + " is not available (" + cause + "): add "
                + "io.netty:netty-transport-native-" + ((transport == Transport.EPOLL) ? "epoll" : "io_uring")
                + " with its native classifier (linux-x86_64 or linux-aarch_64) to the class path, or use "
                + "transport NIO or AUTO", cause);
    }

    private static @Nullable NettyTransport loadOptional(Transport transport) {
        Throwable cause = unavailabilityCause(transport);
        if (cause == null) {
            try {
                return load(transport);
            }
            catch (LinkageError ex) {
                cause = ex;
            }
        }
        if (!(cause instanceof ClassNotFoundException)) {
            logger.debug("{} transport not used: {}", transport, cause.toString());
        }
        return null;
    }

    /**
     * Loads a native transport whose classes are known to be present (see
     * {@link #unavailabilityCause}).
     */
    private static NettyTransport load(Transport transport) {
        return (transport == Transport.EPOLL) ? EpollTransport.create() : IoUringTransport.create();
    }

    Transport transport() {
        return this.transport;
    }

    /**
     * Creates the connector's event loops.
     * @param threads the number of loops, 0 for {@link #defaultThreads()}
     * @param threadFactory the loops' thread factory
     * @return the group
     */
    MultiThreadIoEventLoopGroup newGroup(int threads, ThreadFactory threadFactory) {
        return new MultiThreadIoEventLoopGroup((threads > 0) ? threads : defaultThreads(), threadFactory,
                this.ioHandlerFactory);
    }

    /**
     * The default number of event loops: one per two cores, at least one
     * ({@link NettyRuntime#availableProcessors()}, which honours
     * {@code -Dio.netty.availableProcessors}), not Netty's two per core. Measured on 2
     * cores with the benchmark client on a quiet machine (epoll, same run, against the
     * contract's one-loop plain Netty client): 1 loop and 2 loops gave the same rates on
     * throughput and ping-pong (plain and TLS), and 1 loop a p99 about a quarter lower
     * with 100 connections; 2 loops connected about 10 % faster; Netty's 4 raised plain
     * Netty's own p99 by 80 %.
     * @return the default
     */
    static int defaultThreads() {
        return Math.max(1, NettyRuntime.availableProcessors() / 2);
    }

    /**
     * Returns the factory of this transport's client channels.
     * @param unix whether for unix domain sockets (else TCP)
     * @return the factory
     */
    ChannelFactory<? extends Channel> channelFactory(boolean unix) {
        return unix ? this.domainChannel : this.socketChannel;
    }

    SocketAddress unixAddress(String path) {
        return this.unixAddress.apply(path);
    }

    /**
     * Applies SO_KEEPALIVE and, when enabling, TCP_KEEPIDLE, TCP_KEEPINTVL 1 s and
     * TCP_KEEPCNT 10 (as Bun).
     * @param channel a TCP channel
     * @param enable whether to enable
     * @param idleSeconds TCP_KEEPIDLE in seconds, at least 1
     * @return whether the options were applied
     */
    boolean keepAlive(Channel channel, boolean enable, int idleSeconds) {
        boolean applied = channel.config().setOption(ChannelOption.SO_KEEPALIVE, enable);
        if (applied && enable) {
            applied = channel.config().setOption(this.keepIdle, Math.max(1, idleSeconds))
                    && channel.config().setOption(this.keepInterval, 1)
                    && channel.config().setOption(this.keepCount, 10);
        }
        return applied;
    }

    /**
     * Sets a bootstrap's channels' keep-alive: SO_KEEPALIVE with TCP_KEEPIDLE,
     * TCP_KEEPINTVL and TCP_KEEPCNT when enabled, and TCP_USER_TIMEOUT when set (whether
     * or not keep-alive is enabled). Nothing is set for disabled options without a user
     * timeout (the kernel's defaults stay).
     * @param bootstrap a TCP bootstrap
     * @param options the validated options; a user timeout only on a transport that has
     * it (see {@link #checkKeepAlive(KeepAliveOptions)})
     */
    void keepAliveOptions(Bootstrap bootstrap, KeepAliveOptions options) {
        if (options.enabled()) {
            bootstrap.option(ChannelOption.SO_KEEPALIVE, true)
                .option(this.keepIdle, (int) options.idle().getSeconds())
                .option(this.keepInterval, (int) options.interval().getSeconds())
                .option(this.keepCount, options.count());
        }
        ChannelOption<Integer> userTimeoutOption = this.userTimeout;
        if (!options.userTimeout().isZero() && userTimeoutOption != null) {
            bootstrap.option(userTimeoutOption, (int) options.userTimeout().toMillis());
        }
    }

    /**
     * Refuses keep-alive options this transport cannot apply: a user timeout on NIO.
     * @param options the options
     * @throws IllegalArgumentException naming NIO and the alternative
     */
    void checkKeepAlive(KeepAliveOptions options) {
        if (!options.userTimeout().isZero() && this.userTimeout == null) {
            throw new IllegalArgumentException("keepAlive userTimeout (TCP_USER_TIMEOUT, was " + options.userTimeout()
                    + ") is not available on the " + this.transport + " transport: the JDK cannot set it. Use the "
                    + "EPOLL or IO_URING transport, or readIdleTimeout with a heartbeat to detect a dead peer on NIO");
        }
    }

}
