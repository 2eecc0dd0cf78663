package dev.socketconnector.internal;

import java.net.InetSocketAddress;

import dev.socketconnector.Resolver;
import dev.socketconnector.Transport;
import io.netty.channel.ChannelFactory;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.resolver.AddressResolverGroup;
import io.netty.resolver.dns.DnsAddressResolverGroup;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.DnsServerAddressStreamProviders;
import io.netty.resolver.dns.SequentialDnsServerAddressStreamProvider;

/**
 * Makes the connector's resolver group: the bounded JDK lookup
 * ({@link HostResolverGroup}) or Netty's asynchronous DNS resolver
 * ({@code Resolver.dns}), whose queries run on the connector's own event loops over the
 * transport's datagram channel (one resolver and record cache per loop; record TTLs
 * honoured; {@code /etc/resolv.conf} and the hosts file read by Netty).
 */
final class DnsResolvers {

    private DnsResolvers() {
    }

    /**
     * Returns the resolver group for {@code resolver}.
     * @param resolver the connector's resolver setting
     * @param transport the transport the loops run
     * @param jdk the JDK lookup to use when the setting is {@code jdk()}
     * @return the group
     */
    static AddressResolverGroup<InetSocketAddress> group(Resolver resolver, NettyTransport transport,
            HostResolver jdk) {
        if (!resolver.isDns()) {
            return new HostResolverGroup(jdk);
        }
        jdk.close();
        DnsNameResolverBuilder builder = new DnsNameResolverBuilder()
            .datagramChannelFactory(datagrams(transport.transport()));
        if (!resolver.servers().isEmpty()) {
            builder.nameServerProvider(new SequentialDnsServerAddressStreamProvider(resolver.servers()));
        }
        else {
            builder.nameServerProvider(DnsServerAddressStreamProviders.platformDefault());
        }
        return new DnsAddressResolverGroup(builder);
    }

    private static ChannelFactory<? extends DatagramChannel> datagrams(Transport transport) {
        return switch (transport) {
            case EPOLL -> EpollTransport.datagramChannels();
            case IO_URING -> IoUringTransport.datagramChannels();
            default -> NioDatagramChannel::new;
        };
    }

}
