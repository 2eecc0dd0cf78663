package dev.socketconnector.managed;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.socketconnector.Await;
import dev.socketconnector.EndpointState;
import dev.socketconnector.ManagedEndpoint;
import dev.socketconnector.ReconnectPolicy;
import dev.socketconnector.Resolver;
import dev.socketconnector.Socket;
import dev.socketconnector.SocketConnector;
import dev.socketconnector.SocketHandler;
import dev.socketconnector.TcpSocketConnectOptions;
import dev.socketconnector.TestDnsServer;
import dev.socketconnector.TestServer;
import io.netty.util.NetUtil;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A managed endpoint runs its whole address list, and its name's resolution, again at
 * every reconnect: after a drop, a first address that now refuses gives way to the next
 * one, and a name whose DNS answer changed leads to the new address.
 */
class ManagedEndpointAddressesTests {

    private static final ReconnectPolicy QUICK = ReconnectPolicy.builder()
        .initialBackoff(Duration.ofMillis(50))
        .maxBackoff(Duration.ofMillis(200))
        .jitter(0)
        .build();

    private static SocketHandler<Object> quiet() {
        return new SocketHandler<>() {
        };
    }

    @Test
    void afterADropTheFirstAddressRefusesAndTheEndpointReconnectsToTheSecond() throws Exception {
        TestServer first = TestServer.tcp();
        try (TestServer second = TestServer.tcp();
                SocketConnector connector = SocketConnector.builder()
                    .endpoint("peer",
                            TcpSocketConnectOptions.builder()
                                .addresses(List.of(new InetSocketAddress("127.0.0.1", first.port()),
                                        new InetSocketAddress("127.0.0.1", second.port())))
                                .socket(quiet())
                                .build())
                    .build()) {
            ManagedEndpoint endpoint = connector.manage("peer", QUICK);
            Socket<?> socket = endpoint.whenConnected().get(10, TimeUnit.SECONDS);
            assertThat(socket.remotePort()).isEqualTo(first.port());
            // the first peer goes away (its listener too): the drop, then a refusal there
            first.close();
            Await.until("reconnected to the second address", Duration.ofSeconds(10),
                    () -> endpoint.state() == EndpointState.CONNECTED && endpoint.socket() != socket);
            Socket<?> again = endpoint.socket();
            assertThat(again).isNotNull();
            assertThat(again.remotePort()).isEqualTo(second.port());
            assertThat(endpoint.reconnects()).isEqualTo(1);
        }
        finally {
            first.close();
        }
    }

    @Test
    void afterADropTheNameIsResolvedAgainAndItsNewAddressIsUsed() throws Exception {
        try (TestDnsServer dns = TestDnsServer.start();
                TestServer v6 = TestServer.tcp("::1", 50);
                TestServer v4 = TestServer.tcpOnPort(v6.port());
                SocketConnector connector = SocketConnector.builder()
                    .resolver(Resolver.dns(dns.address()))
                    .endpoint("peer",
                            TcpSocketConnectOptions.builder()
                                .hostname("moving.test")
                                .port(v6.port())
                                .socket(quiet())
                                .build())
                    .build()) {
            dns.answer("moving.test", NetUtil.LOCALHOST6);
            ManagedEndpoint endpoint = connector.manage("peer", QUICK);
            Socket<?> socket = endpoint.whenConnected().get(10, TimeUnit.SECONDS);
            assertThat(socket.remoteAddress()).isEqualTo("::1");
            // the service moves; once the old record's TTL has passed, the peer drops us
            dns.answer("moving.test", NetUtil.LOCALHOST4);
            Thread.sleep(TimeUnit.SECONDS.toMillis(TestDnsServer.TTL_SECONDS) + 100);
            socket.terminate();
            Await.until("reconnected", Duration.ofSeconds(10),
                    () -> endpoint.state() == EndpointState.CONNECTED && endpoint.socket() != socket);
            Socket<?> again = endpoint.socket();
            assertThat(again).isNotNull();
            assertThat(again.remoteAddress()).isEqualTo("127.0.0.1");
        }
    }

}
