package dev.socketconnector.internal;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

import dev.socketconnector.IpFamily;
import io.netty.channel.Channel;
import io.netty.util.NetUtil;
import org.jspecify.annotations.Nullable;

/**
 * A socket's local and remote IP socket addresses, read from its channel once connected
 * ({@link NettySocket#cacheAddresses()}); their text, family and port are worked out when
 * a getter asks (most sockets never ask: building the strings at every open cost a
 * connect more than the lookup later). Null and -1 for what is not an IP address (a unix
 * socket) or not known yet. Immutable.
 *
 * @param local the local IP socket address, or null
 * @param remote the remote IP socket address, or null
 */
record SocketAddresses(@Nullable InetSocketAddress local, @Nullable InetSocketAddress remote) {

    /** Before connect, or not IP. */
    static final SocketAddresses NONE = new SocketAddresses(null, null);

    /** Reads the channel's addresses. Loop. */
    static SocketAddresses of(Channel channel) {
        return new SocketAddresses(inet(channel.localAddress()), inet(channel.remoteAddress()));
    }

    /**
     * {@return the local IP address in its shortest text form, or null}
     */
    @Nullable String localAddress() {
        return text(this.local);
    }

    /**
     * {@return the local address's family, or null}
     */
    @Nullable IpFamily localFamily() {
        return family(this.local);
    }

    /**
     * {@return the local port, or -1}
     */
    int localPort() {
        return port(this.local);
    }

    /**
     * {@return the remote IP address in its shortest text form, or null}
     */
    @Nullable String remoteAddress() {
        return text(this.remote);
    }

    /**
     * {@return the remote address's family, or null}
     */
    @Nullable IpFamily remoteFamily() {
        return family(this.remote);
    }

    /**
     * {@return the remote port, or -1}
     */
    int remotePort() {
        return port(this.remote);
    }

    private static @Nullable InetSocketAddress inet(@Nullable SocketAddress address) {
        return (address instanceof InetSocketAddress inet && inet.getAddress() != null) ? inet : null;
    }

    private static @Nullable String text(@Nullable InetSocketAddress address) {
        return (address != null) ? NetUtil.toAddressString(address.getAddress()) : null;
    }

    private static @Nullable IpFamily family(@Nullable InetSocketAddress address) {
        if (address == null) {
            return null;
        }
        return (address.getAddress() instanceof Inet4Address) ? IpFamily.IPV4 : IpFamily.IPV6;
    }

    private static int port(@Nullable InetSocketAddress address) {
        return (address != null) ? address.getPort() : -1;
    }

}
