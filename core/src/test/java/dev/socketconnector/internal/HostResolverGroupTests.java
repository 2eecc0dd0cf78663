package dev.socketconnector.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.netty.resolver.AddressResolver;
import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link HostResolverGroup}: the resolver group the connector gives to Netty's
 * {@code Bootstrap}. The lookup function is the resolver's seam and answers from a fixed
 * table (two addresses for one name), so that what reaches the system resolver can be
 * counted.
 */
class HostResolverGroupTests {

    private final List<String> lookups = new CopyOnWriteArrayList<>();

    private final DefaultEventExecutor executor = new DefaultEventExecutor();

    private final HostResolverGroup group = new HostResolverGroup(new HostResolver((host) -> {
        this.lookups.add(host);
        if (host.equals("two.test")) {
            return new InetAddress[] { InetAddress.getByAddress(host, new byte[] { 127, 0, 0, 1 }),
                    InetAddress.getByAddress(host, new byte[] { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 }) };
        }
        throw new UnknownHostException(host + ": no such name in the test table");
    }, 2, 4, 4, "test-dns"));

    @AfterEach
    void close() throws Exception {
        this.group.close();
        this.executor.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
    }

    @Test
    void resolveAllGivesEveryAddressWithThePortInTheLookupOrder() throws Exception {
        List<InetSocketAddress> all = resolver().resolveAll(InetSocketAddress.createUnresolved("two.test", 7000))
            .get(5, TimeUnit.SECONDS);
        assertThat(all).extracting(InetSocketAddress::getHostString).containsExactly("two.test", "two.test");
        assertThat(all).extracting((address) -> address.getAddress().getHostAddress())
            .containsExactly("127.0.0.1", "0:0:0:0:0:0:0:1");
        assertThat(all).extracting(InetSocketAddress::getPort).containsOnly(7000);
    }

    @Test
    void resolveGivesTheFirstAddressAsBootstrapDials() throws Exception {
        InetSocketAddress first = resolver().resolve(InetSocketAddress.createUnresolved("two.test", 7000))
            .get(5, TimeUnit.SECONDS);
        assertThat(first.getAddress().getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(first.getPort()).isEqualTo(7000);
    }

    @Test
    void ipLiteralsResolveWithoutALookup() throws Exception {
        InetSocketAddress v4 = resolver().resolve(InetSocketAddress.createUnresolved("127.0.0.1", 1))
            .get(5, TimeUnit.SECONDS);
        InetSocketAddress v6 = resolver().resolve(InetSocketAddress.createUnresolved("::1", 2))
            .get(5, TimeUnit.SECONDS);
        assertThat(v4.getAddress().getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(v6.getAddress().getHostAddress()).isEqualTo("0:0:0:0:0:0:0:1");
        assertThat(this.lookups).isEmpty();
    }

    @Test
    void invalidAndMalformedNamesFailWithoutALookup() {
        for (String name : List.of("service.invalid", "invalid", "bad..name", "-dash.test", "sp ace.test")) {
            assertThatExceptionOfType(ExecutionException.class)
                .isThrownBy(
                        () -> resolver().resolve(InetSocketAddress.createUnresolved(name, 1)).get(5, TimeUnit.SECONDS))
                .withCauseInstanceOf(UnknownHostException.class)
                .withMessageContaining("not a valid host name");
        }
        assertThat(this.lookups).isEmpty();
    }

    @Test
    void failedLookupReachesTheConnectOnTheEventLoopBeforeTheResolvePromiseFails() throws Exception {
        InetSocketAddress unresolved = InetSocketAddress.createUnresolved("missing.test", 1);
        List<String> order = new CopyOnWriteArrayList<>();
        this.group.expect(unresolved, (cause) -> order
            .add("connect:" + this.executor.inEventLoop() + ":" + cause.getClass().getSimpleName()));
        Future<InetSocketAddress> resolved = resolver().resolve(unresolved);
        resolved.addListener((done) -> order.add("promise:" + this.executor.inEventLoop()));
        assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> resolved.get(5, TimeUnit.SECONDS))
            .withCauseInstanceOf(UnknownHostException.class);
        this.executor.submit(() -> null).get(5, TimeUnit.SECONDS);
        assertThat(order).containsExactly("connect:true:UnknownHostException", "promise:true");
        assertThat(this.lookups).containsExactly("missing.test");
    }

    private AddressResolver<InetSocketAddress> resolver() {
        return this.group.getResolver(this.executor);
    }

}
