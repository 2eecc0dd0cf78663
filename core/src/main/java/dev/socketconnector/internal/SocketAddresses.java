package dev.socketconnector.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

import dev.socketconnector.IpFamily;
import io.netty.channel.Channel;
import io.netty.util.NetUtil;
import org.jspecify.annotations.Nullable;

/**
 * A socket's local and remote IP addresses, families and ports, read from its channel
 * once connected ({@link NettySocket#cacheAddresses()}); null and -1 for what is not an
 * IP address (a unix socket) or not known yet. Immutable.
 *
 * @param localAddress the local IP address, or null
 * @param localFamily the local address's family, or null
 * @param localPort the local port, or -1
 * @param remoteAddress the remote IP address, or null
 * @param remoteFamily the remote address's family, or null
 * @param remotePort the remote port, or -1
 */
record SocketAddresses(@Nullable String localAddress, @Nullable IpFamily localFamily, int localPort,
        @Nullable String remoteAddress, @Nullable IpFamily remoteFamily, int remotePort) {

    /** Before connect, or not IP. */
    static final SocketAddresses NONE = new SocketAddresses(null, null, -1, null, null, -1);

    /** Reads the channel's addresses. Loop. */
    static SocketAddresses of(Channel channel) {
        String localAddress = null;
        IpFamily localFamily = null;
        int localPort = -1;
        String remoteAddress = null;
        IpFamily remoteFamily = null;
        int remotePort = -1;
        SocketAddress local = channel.localAddress();
        if (local instanceof InetSocketAddress inet) {
            InetAddress address = inet.getAddress();
            localAddress = NetUtil.toAddressString(address);
            localFamily = family(address);
            localPort = inet.getPort();
        }
        SocketAddress remote = channel.remoteAddress();
        if (remote instanceof InetSocketAddress inet) {
            InetAddress address = inet.getAddress();
            remoteAddress = NetUtil.toAddressString(address);
            remoteFamily = family(address);
            remotePort = inet.getPort();
        }
        return new SocketAddresses(localAddress, localFamily, localPort, remoteAddress, remoteFamily, remotePort);
    }

    private static IpFamily family(InetAddress address) {
        return (address.getAddress().length == 4) ? IpFamily.IPV4 : IpFamily.IPV6;
    }

}
