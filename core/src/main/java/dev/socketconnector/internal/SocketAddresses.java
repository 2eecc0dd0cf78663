package dev.socketconnector.internal;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

import dev.socketconnector.IpFamily;
import io.netty.util.NetUtil;
import org.jspecify.annotations.Nullable;

/**
 * What a socket's address getters answer from its channel's IP socket addresses
 * ({@link NettySocket#cacheAddresses()}): their text, family and port, worked out when a
 * getter asks (most sockets never ask: building the strings at every open cost a connect
 * more than the lookup later). Null and -1 for what is not an IP address (a unix socket)
 * or not known yet.
 */
final class SocketAddresses {

    private SocketAddresses() {
    }

    /**
     * {@return {@code address} when it is an IP socket address with an address, else
     * null}
     */
    static @Nullable InetSocketAddress inet(@Nullable SocketAddress address) {
        return (address instanceof InetSocketAddress inet && inet.getAddress() != null) ? inet : null;
    }

    /**
     * {@return the address in its shortest text form, or null}
     */
    static @Nullable String text(@Nullable InetSocketAddress address) {
        return (address != null) ? NetUtil.toAddressString(address.getAddress()) : null;
    }

    /**
     * {@return the address's family, or null}
     */
    static @Nullable IpFamily family(@Nullable InetSocketAddress address) {
        if (address == null) {
            return null;
        }
        return (address.getAddress() instanceof Inet4Address) ? IpFamily.IPV4 : IpFamily.IPV6;
    }

    /**
     * {@return the port, or -1}
     */
    static int port(@Nullable InetSocketAddress address) {
        return (address != null) ? address.getPort() : -1;
    }

}
