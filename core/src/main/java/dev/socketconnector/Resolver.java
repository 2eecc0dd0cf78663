package dev.socketconnector;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * How the connector turns a host name into addresses, at every connect attempt (a managed
 * endpoint's reconnect resolves again). Set with
 * {@link SocketConnectorBuilder#resolver(Resolver)}; immutable.
 * <p>
 * {@link #jdk()} (the default) asks the JVM ({@code InetAddress.getAllByName}), so a name
 * resolves as it does for every other program on the host: the system's resolver with its
 * {@code nsswitch.conf} sources (hosts file, DNS, mDNS, LDAP, a VPN's split DNS), at the
 * price of the JVM's address cache ({@code networkaddress.cache.ttl}, 30 s by default)
 * and of a blocking lookup, run off the event loops (one lookup per name shared by
 * concurrent connects, at most 8 running and 256 queued). {@link #dns()} asks DNS servers
 * directly with Netty's asynchronous resolver: it honours each record's TTL and ignores
 * the JVM's cache, reads {@code /etc/resolv.conf} and the hosts file (so
 * {@code localhost} resolves), but knows no other name source. The default is
 * {@code jdk()} because users expect a name to resolve as it does for {@code curl} on the
 * same machine; choose {@code dns()} when a service moves often and its TTL must be
 * followed.
 * <p>
 * Both resolvers return every address of a name; a connect tries them all (RFC 8305 Happy
 * Eyeballs, see {@link SocketConnectorBuilder#connectAttemptDelay(java.time.Duration)}),
 * IPv6 and IPv4 interleaved, starting with the family of the resolver's first answer (the
 * JVM's {@code java.net.preferIPv6Addresses} decides it on both).
 */
public final class Resolver {

    private static final Resolver JDK = new Resolver(false, List.of());

    private static final Resolver DNS = new Resolver(true, List.of());

    private final boolean dns;

    private final List<InetSocketAddress> servers;

    private Resolver(boolean dns, List<InetSocketAddress> servers) {
        this.dns = dns;
        this.servers = servers;
    }

    /**
     * Returns the JVM's resolver ({@code InetAddress.getAllByName}): the default.
     * @return the resolver
     */
    public static Resolver jdk() {
        return JDK;
    }

    /**
     * Returns Netty's DNS resolver asking the system's DNS servers (from
     * {@code /etc/resolv.conf}).
     * @return the resolver
     */
    public static Resolver dns() {
        return DNS;
    }

    /**
     * Returns Netty's DNS resolver asking these DNS servers, in order (the next one when
     * a server does not answer).
     * @param servers the servers' addresses (resolved, port included), at least one
     * @return the resolver
     * @throws IllegalArgumentException when no server is given, one is null or unresolved
     */
    public static Resolver dns(InetSocketAddress... servers) {
        Objects.requireNonNull(servers, "servers");
        if (servers.length == 0) {
            throw new IllegalArgumentException("dns servers must not be empty (use Resolver.dns() for the system's)");
        }
        for (InetSocketAddress server : servers) {
            if (server == null) {
                throw new IllegalArgumentException("dns servers must not contain null");
            }
            if (server.isUnresolved()) {
                throw new IllegalArgumentException(
                        "dns server " + server.getHostString() + ":" + server.getPort() + " must be an IP address");
            }
        }
        return new Resolver(true, List.of(servers));
    }

    /**
     * {@return whether this is Netty's DNS resolver ({@code dns()}), false for
     * {@code jdk()}}
     */
    public boolean isDns() {
        return this.dns;
    }

    /**
     * {@return the DNS servers asked, in order; empty for the system's servers and for
     * {@code jdk()}}
     */
    public List<InetSocketAddress> servers() {
        return this.servers;
    }

    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof Resolver resolver && resolver.dns == this.dns && resolver.servers.equals(this.servers);
    }

    @Override
    public int hashCode() {
        return Boolean.hashCode(this.dns) * 31 + this.servers.hashCode();
    }

    @Override
    public String toString() {
        if (!this.dns) {
            return "jdk";
        }
        return this.servers.isEmpty() ? "dns" : "dns" + this.servers;
    }

}
