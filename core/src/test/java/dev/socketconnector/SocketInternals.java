package dev.socketconnector;

import java.lang.reflect.Field;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUringChannelOption;
import io.netty.channel.uring.IoUringSocketChannel;
import jdk.net.ExtendedSocketOptions;

/**
 * Reads back the socket options of the channel under a socket (getsockopt through the
 * channel's transport), so tests can check what the connector set, on NIO, epoll and
 * io_uring alike.
 */
final class SocketInternals {

    private SocketInternals() {
    }

    /** The Netty channel under a socket. */
    static Channel channel(Socket<?> socket) throws Exception {
        Field channelField = socket.getClass().getDeclaredField("channel");
        channelField.setAccessible(true);
        return (Channel) channelField.get(socket);
    }

    static boolean noDelay(Socket<?> socket) throws Exception {
        return channel(socket).config().getOption(ChannelOption.TCP_NODELAY);
    }

    static boolean keepAlive(Socket<?> socket) throws Exception {
        return channel(socket).config().getOption(ChannelOption.SO_KEEPALIVE);
    }

    /** TCP_KEEPIDLE, TCP_KEEPINTVL and TCP_KEEPCNT, in that order. */
    static int[] keepAliveTiming(Socket<?> socket) throws Exception {
        Channel channel = channel(socket);
        if (channel instanceof NioSocketChannel) {
            return new int[] { channel.config().getOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPIDLE)),
                    channel.config().getOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPINTERVAL)),
                    channel.config().getOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPCOUNT)) };
        }
        if (channel instanceof EpollSocketChannel) {
            return new int[] { channel.config().getOption(EpollChannelOption.TCP_KEEPIDLE),
                    channel.config().getOption(EpollChannelOption.TCP_KEEPINTVL),
                    channel.config().getOption(EpollChannelOption.TCP_KEEPCNT) };
        }
        if (channel instanceof IoUringSocketChannel) {
            return new int[] { channel.config().getOption(IoUringChannelOption.TCP_KEEPIDLE),
                    channel.config().getOption(IoUringChannelOption.TCP_KEEPINTVL),
                    channel.config().getOption(IoUringChannelOption.TCP_KEEPCNT) };
        }
        throw new AssertionError("unexpected channel type " + channel.getClass().getName());
    }

    /**
     * TCP_USER_TIMEOUT in milliseconds on epoll and io_uring; null on NIO (the JDK cannot
     * read it).
     */
    static Integer userTimeout(Socket<?> socket) throws Exception {
        Channel channel = channel(socket);
        if (channel instanceof EpollSocketChannel) {
            return channel.config().getOption(EpollChannelOption.TCP_USER_TIMEOUT);
        }
        if (channel instanceof IoUringSocketChannel) {
            return channel.config().getOption(IoUringChannelOption.TCP_USER_TIMEOUT);
        }
        return null;
    }

}
