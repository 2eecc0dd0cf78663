package dev.socketconnector.internal;

import dev.socketconnector.Transport;
import io.netty.channel.ChannelFactory;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringChannelOption;
import io.netty.channel.uring.IoUringDatagramChannel;
import io.netty.channel.uring.IoUringDomainSocketChannel;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringSocketChannel;
import org.jspecify.annotations.Nullable;

/**
 * The io_uring transport: every reference to Netty's {@code io.netty.channel.uring}
 * classes lives here, so that {@link NettyTransport} works without the optional
 * {@code netty-transport-classes-io_uring} jar. Loaded only after
 * {@link NettyTransport#unavailabilityCause(Transport)} has found the classes on the
 * class path.
 */
final class IoUringTransport {

    private IoUringTransport() {
    }

    static @Nullable Throwable unavailabilityCause() {
        return IoUring.isAvailable() ? null : IoUring.unavailabilityCause();
    }

    static NettyTransport create() {
        return new NettyTransport(Transport.IO_URING, IoUringIoHandler.newFactory(), IoUringSocketChannel::new,
                IoUringDomainSocketChannel::new, DomainSocketAddress::new, IoUringChannelOption.TCP_KEEPIDLE,
                IoUringChannelOption.TCP_KEEPINTVL, IoUringChannelOption.TCP_KEEPCNT,
                IoUringChannelOption.TCP_USER_TIMEOUT);
    }

    /**
     * {@return the transport's UDP channels, for Netty's DNS resolver}
     */
    static ChannelFactory<? extends DatagramChannel> datagramChannels() {
        return IoUringDatagramChannel::new;
    }

}
