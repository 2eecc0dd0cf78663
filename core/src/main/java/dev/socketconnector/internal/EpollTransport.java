package dev.socketconnector.internal;

import dev.socketconnector.Transport;
import io.netty.channel.ChannelFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.unix.DomainSocketAddress;
import org.jspecify.annotations.Nullable;

/**
 * The epoll transport: every reference to Netty's {@code io.netty.channel.epoll} classes
 * lives here, so that {@link NettyTransport} works without the optional
 * {@code netty-transport-classes-epoll} jar. Loaded only after
 * {@link NettyTransport#unavailabilityCause(Transport)} has found the classes on the
 * class path.
 */
final class EpollTransport {

    private EpollTransport() {
    }

    static @Nullable Throwable unavailabilityCause() {
        return Epoll.isAvailable() ? null : Epoll.unavailabilityCause();
    }

    static NettyTransport create() {
        return new NettyTransport(Transport.EPOLL, EpollIoHandler.newFactory(), EpollSocketChannel::new,
                EpollDomainSocketChannel::new, DomainSocketAddress::new, EpollChannelOption.TCP_KEEPIDLE,
                EpollChannelOption.TCP_KEEPINTVL, EpollChannelOption.TCP_KEEPCNT, EpollChannelOption.TCP_USER_TIMEOUT);
    }

    /**
     * {@return the transport's UDP channels, for Netty's DNS resolver}
     */
    static ChannelFactory<? extends DatagramChannel> datagramChannels() {
        return EpollDatagramChannel::new;
    }

}
