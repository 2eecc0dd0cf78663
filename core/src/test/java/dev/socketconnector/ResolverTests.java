package dev.socketconnector;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.netty.util.NetUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link Resolver#dns(InetSocketAddress...)} against a DNS server written in
 * the test ({@link TestDnsServer}: UDP on 127.0.0.1, TTL 1 s): a name is resolved again
 * at every connect attempt and its record TTL is honoured, every address of a name is
 * used, IPv6 and IPv4 interleaved; and {@link Resolver#dns()} still resolves
 * {@code localhost} (hosts file).
 */
@ExtendWith(LeakCheckExtension.class)
class ResolverTests {

    private static final Duration DELAY = Duration.ofMillis(250);

    private static final InetAddress V4 = NetUtil.LOCALHOST4;

    private static final InetAddress V6 = NetUtil.LOCALHOST6;

    private static SocketConnector connector(TestDnsServer dns) {
        return SocketConnector.builder()
            .resolver(Resolver.dns(dns.address()))
            .connectAttemptDelay(DELAY)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    }

    private static TcpSocketConnectOptions<Void> options(String host, int port, RecordingSocketHandler<Void> handler) {
        return TcpSocketConnectOptions.<Void>builder().hostname(host).port(port).socket(handler).build();
    }

    @Test
    void answerThatChangesBetweenTwoAttemptsSendsTheSecondToTheNewAddress() throws Exception {
        try (TestDnsServer dns = TestDnsServer.start();
                TestServer v6 = TestServer.tcp("::1", 50);
                TestServer v4 = TestServer.tcpOnPort(v6.port());
                SocketConnector connector = connector(dns)) {
            dns.answer("moving.test", V6);
            RecordingSocketHandler<Void> first = new RecordingSocketHandler<>();
            Socket<Void> socket = connector.connect(options("moving.test", v6.port(), first)).get(10, TimeUnit.SECONDS);
            assertThat(socket.remoteAddress()).isEqualTo("::1");
            socket.terminate();
            long moved = System.nanoTime();
            dns.answer("moving.test", V4);
            int asked = dns.questions().size();
            // within the record's TTL the cached answer still holds; once it has expired
            // the next attempt asks again and goes to the new address
            String remote;
            do {
                RecordingSocketHandler<Void> next = new RecordingSocketHandler<>();
                Socket<Void> again = connector.connect(options("moving.test", v6.port(), next))
                    .get(10, TimeUnit.SECONDS);
                remote = again.remoteAddress();
                again.terminate();
                if (!"127.0.0.1".equals(remote)) {
                    Thread.sleep(100);
                }
            }
            while (!"127.0.0.1".equals(remote)
                    && System.nanoTime() - moved < TimeUnit.SECONDS.toNanos(TestDnsServer.TTL_SECONDS + 2));
            assertThat(remote).isEqualTo("127.0.0.1");
            assertThat(Duration.ofNanos(System.nanoTime() - moved))
                .isLessThan(Duration.ofSeconds(TestDnsServer.TTL_SECONDS + 1));
            assertThat(dns.questions().size()).isGreaterThan(asked);
            assertThat(v4.acceptedCount()).isEqualTo(1);
        }
    }

    @Test
    void nameAnsweringDeadThenLiveConnectsToLive() throws Exception {
        try (TestDnsServer dns = TestDnsServer.start();
                TestServer live = TestServer.tcp();
                SocketConnector connector = connector(dns)) {
            // nothing listens on [::1]:port: the dead address refuses, the live one is
            // tried at once
            dns.answer("dead-live.test", V6, V4);
            RecordingSocketHandler<Void> handler = new RecordingSocketHandler<>();
            Socket<Void> socket = connector.connect(options("dead-live.test", live.port(), handler))
                .get(10, TimeUnit.SECONDS);
            assertThat(socket.remoteAddress()).isEqualTo("127.0.0.1");
            assertThat(dns.questions()).contains("dead-live.test A", "dead-live.test AAAA");
            socket.end();
            handler.awaitClose();
            assertThat(handler.events()).containsExactly("open", "close");
        }
    }

    @Test
    void bothFamiliesAreTriedInterleavedStartingWithThePreferredOne() throws Exception {
        // Netty asks for both families and returns the JVM's preferred one first
        // (java.net.preferIPv6Addresses); that family drops SYNs here, the other
        // listens on the same port: the connect opens on the other family once
        // connectAttemptDelay has passed
        boolean v6First = NetUtil.isIpV6AddressesPreferred();
        try (TestDnsServer dns = TestDnsServer.start();
                TestServer live = TestServer.tcp(v6First ? "127.0.0.1" : "::1", 50);
                SaturatedListener dropping = SaturatedListener.open(v6First ? "::1" : "127.0.0.1", live.port());
                SocketConnector connector = connector(dns)) {
            dns.answer("both.test", V4, V6);
            RecordingSocketHandler<Void> handler = new RecordingSocketHandler<>();
            long start = System.nanoTime();
            Socket<Void> socket = connector.connect(options("both.test", live.port(), handler))
                .get(10, TimeUnit.SECONDS);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(socket.remoteAddress()).isEqualTo(v6First ? "127.0.0.1" : "::1");
            assertThat(millis).isGreaterThanOrEqualTo(DELAY.toMillis() - 20).isLessThan(DELAY.toMillis() + 300);
            assertThat(dropping.acceptAll()).isZero();
            socket.terminate();
            handler.awaitClose();
            assertThat(handler.events()).containsExactly("open", "close");
        }
    }

    @Test
    void unknownNameFailsWithEnotfound() throws Exception {
        try (TestDnsServer dns = TestDnsServer.start(); SocketConnector connector = connector(dns)) {
            RecordingSocketHandler<Void> handler = new RecordingSocketHandler<>();
            Throwable error = SocketConnectTests.failure(connector.connect(options("nowhere.test", 7, handler)));
            assertThat(error).isInstanceOfSatisfying(SocketConnectException.class,
                    (ex) -> assertThat(ex.code()).isEqualTo("ENOTFOUND"));
            assertThat(handler.events()).containsExactly("connectError");
        }
    }

    @Test
    void systemDnsResolverStillResolvesLocalhostFromTheHostsFile() throws Exception {
        try (TestServer live = TestServer.tcp();
                SocketConnector connector = SocketConnector.builder().resolver(Resolver.dns()).build()) {
            RecordingSocketHandler<Void> handler = new RecordingSocketHandler<>();
            Socket<Void> socket = connector.connect(options("localhost", live.port(), handler))
                .get(10, TimeUnit.SECONDS);
            assertThat(socket.remoteAddress()).isEqualTo("127.0.0.1");
            socket.terminate();
            handler.awaitClose();
        }
    }

    @Test
    void resolverValuesNameWhatTheyAre() {
        assertThat(Resolver.jdk()).hasToString("jdk");
        assertThat(Resolver.jdk().isDns()).isFalse();
        assertThat(Resolver.dns()).hasToString("dns");
        assertThat(Resolver.dns().servers()).isEmpty();
        InetSocketAddress server = new InetSocketAddress("127.0.0.1", 53);
        assertThat(Resolver.dns(server).servers()).containsExactly(server);
        assertThat(Resolver.dns(server)).isEqualTo(Resolver.dns(new InetSocketAddress("127.0.0.1", 53)));
        assertThatIllegalArgumentException().isThrownBy(() -> Resolver.dns(new InetSocketAddress[0]))
            .withMessageContaining("dns servers must not be empty");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> Resolver.dns(InetSocketAddress.createUnresolved("dns.example", 53)))
            .withMessageContaining("must be an IP address");
        assertThat(List.of(Resolver.jdk(), Resolver.dns())).doesNotHaveDuplicates();
    }

}
