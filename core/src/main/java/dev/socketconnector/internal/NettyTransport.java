package dev.socketconnector.internal;

import java.lang.reflect.Constructor;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.concurrent.ThreadFactory;

import dev.socketconnector.Transport;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.socket.nio.NioDomainSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;
import jdk.net.ExtendedSocketOptions;
import org.jspecify.annotations.Nullable;

/**
 * The chosen Netty transport: its event-loop factory, channel classes, unix addresses and keep-alive options.
 * NIO is built in; epoll and io_uring are found by reflection, so their jars stay optional.
 */
final class NettyTransport {

    private static final InternalLogger logger = InternalLoggerFactory.getInstance(NettyTransport.class);

    private final Transport transport;

    private final IoHandlerFactory ioHandlerFactory;

    private final Constructor<? extends Channel> socketChannel;

    private final Constructor<? extends Channel> domainChannel;

    private final @Nullable Class<?> domainAddressClass;

    private final ChannelOption<Integer> keepIdle;

    private final ChannelOption<Integer> keepInterval;

    private final ChannelOption<Integer> keepCount;

    private NettyTransport(Transport transport, IoHandlerFactory ioHandlerFactory,
            Class<? extends Channel> socketChannel, Class<? extends Channel> domainChannel,
            @Nullable Class<?> domainAddressClass, ChannelOption<Integer> keepIdle, ChannelOption<Integer> keepInterval,
            ChannelOption<Integer> keepCount) {
        this.transport = transport;
        this.ioHandlerFactory = ioHandlerFactory;
        this.socketChannel = constructor(socketChannel);
        this.domainChannel = constructor(domainChannel);
        this.domainAddressClass = domainAddressClass;
        this.keepIdle = keepIdle;
        this.keepInterval = keepInterval;
        this.keepCount = keepCount;
    }

    /**
     * Returns the transport to use.
     * @param requested the requested transport
     * @return the transport
     * @throws IllegalStateException when EPOLL or IO_URING is requested and cannot be loaded
     */
    static NettyTransport select(Transport requested) {
        return switch (requested) {
            case NIO -> nio();
            case EPOLL -> loadNative(Transport.EPOLL, true);
            case IO_URING -> loadNative(Transport.IO_URING, true);
            case AUTO -> {
                NettyTransport uring = loadNative(Transport.IO_URING, false);
                if (uring != null) {
                    yield uring;
                }
                NettyTransport epoll = loadNative(Transport.EPOLL, false);
                yield (epoll != null) ? epoll : nio();
            }
        };
    }

    static NettyTransport nio() {
        return new NettyTransport(Transport.NIO, NioIoHandler.newFactory(), NioSocketChannel.class,
                NioDomainSocketChannel.class, null, NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPIDLE),
                NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPINTERVAL),
                NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPCOUNT));
    }

    @SuppressWarnings("unchecked")
    private static @Nullable NettyTransport loadNative(Transport transport, boolean required) {
        String pkg = (transport == Transport.EPOLL) ? "io.netty.channel.epoll." : "io.netty.channel.uring.";
        String prefix = (transport == Transport.EPOLL) ? "Epoll" : "IoUring";
        try {
            Class<?> support = Class.forName(pkg + prefix);
            boolean available = (Boolean) support.getMethod("isAvailable").invoke(null);
            if (!available) {
                Throwable cause = (Throwable) support.getMethod("unavailabilityCause").invoke(null);
                throw new IllegalStateException(prefix + " is on the class path but cannot load", cause);
            }
            IoHandlerFactory factory = (IoHandlerFactory) Class.forName(pkg + prefix + "IoHandler")
                .getMethod("newFactory").invoke(null);
            Class<? extends Channel> socket = (Class<? extends Channel>) Class.forName(pkg + prefix + "SocketChannel");
            Class<? extends Channel> domain = (Class<? extends Channel>) Class
                .forName(pkg + prefix + "DomainSocketChannel");
            Class<?> options = Class.forName(pkg + prefix + "ChannelOption");
            Class<?> address = Class.forName("io.netty.channel.unix.DomainSocketAddress");
            return new NettyTransport(transport, factory, socket, domain, address,
                    (ChannelOption<Integer>) options.getField("TCP_KEEPIDLE").get(null),
                    (ChannelOption<Integer>) options.getField("TCP_KEEPINTVL").get(null),
                    (ChannelOption<Integer>) options.getField("TCP_KEEPCNT").get(null));
        }
        catch (ReflectiveOperationException | LinkageError | IllegalStateException | ClassCastException ex) {
            if (required) {
                throw new IllegalStateException("transport " + transport + " is not available: add "
                        + "io.netty:netty-transport-native-" + ((transport == Transport.EPOLL) ? "epoll" : "io_uring")
                        + " with its native classifier (linux-x86_64 or linux-aarch_64) to the class path, or use "
                        + "transport NIO or AUTO", ex);
            }
            if (!(ex instanceof ClassNotFoundException)) {
                logger.debug("{} transport not used: {}", transport, ex.toString());
            }
            return null;
        }
    }

    Transport transport() {
        return this.transport;
    }

    MultiThreadIoEventLoopGroup newGroup(int threads, ThreadFactory threadFactory) {
        return new MultiThreadIoEventLoopGroup(threads, threadFactory, this.ioHandlerFactory);
    }

    private static Constructor<? extends Channel> constructor(Class<? extends Channel> type) {
        try {
            return type.getConstructor();
        }
        catch (NoSuchMethodException ex) {
            throw new IllegalStateException(type.getName() + " has no public no-argument constructor", ex);
        }
    }

    Channel newChannel(boolean unix) {
        try {
            return (unix ? this.domainChannel : this.socketChannel).newInstance();
        }
        catch (ReflectiveOperationException ex) {
            throw new IllegalStateException("cannot create a " + this.transport + " channel", ex);
        }
    }

    SocketAddress unixAddress(String path) {
        if (this.domainAddressClass == null) {
            return UnixDomainSocketAddress.of(path);
        }
        try {
            return (SocketAddress) this.domainAddressClass.getConstructor(String.class).newInstance(path);
        }
        catch (ReflectiveOperationException ex) {
            throw new IllegalStateException("cannot create a unix address for " + path, ex);
        }
    }

    /**
     * Applies SO_KEEPALIVE and, when enabling, TCP_KEEPIDLE, TCP_KEEPINTVL 1 s and TCP_KEEPCNT 10 (as Bun).
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
}
