package dev.socketconnector.managed;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.socketconnector.Await;
import dev.socketconnector.EndpointState;
import dev.socketconnector.ManagedEndpoint;
import dev.socketconnector.ReconnectPolicy;
import dev.socketconnector.Socket;
import dev.socketconnector.SocketConnector;
import dev.socketconnector.SocketHandler;
import dev.socketconnector.SocketTransportException;
import dev.socketconnector.TcpSocketConnectOptions;
import dev.socketconnector.TestServer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A managed endpoint whose peer goes silent: the read-idle timeout closes the socket with
 * ETIMEDOUT and the endpoint reconnects (to the same peer here, which accepts again).
 */
class ManagedEndpointIdleTests {

    @Test
    void readIdleCloseIsFollowedByAReconnect() throws Exception {
        List<Throwable> causes = new CopyOnWriteArrayList<>();
        List<String> transitions = new CopyOnWriteArrayList<>();
        ReconnectPolicy policy = ReconnectPolicy.builder()
            .initialBackoff(Duration.ofMillis(50))
            .maxBackoff(Duration.ofMillis(100))
            .build();
        try (TestServer server = TestServer.tcp();
                SocketConnector connector = SocketConnector.builder()
                    .endpoint("silent",
                            TcpSocketConnectOptions.builder()
                                .hostname("127.0.0.1")
                                .port(server.port())
                                .socket(new SocketHandler<Object>() {
                                })
                                .readIdleTimeout(Duration.ofMillis(400))
                                .build())
                    .build()) {
            ManagedEndpoint endpoint = connector.manage("silent", policy, (managed, previous, current, cause) -> {
                transitions.add(previous + "->" + current);
                if (cause != null) {
                    causes.add(cause);
                }
            });
            Socket<?> first = endpoint.whenConnected().get(10, TimeUnit.SECONDS);
            List<TestServer.Peer> peers = new ArrayList<>();
            peers.add(server.accept());
            long start = System.nanoTime();
            // the state turns CONNECTED before the listener hears of it: wait for both
            Await.until("a second connection after the idle close", Duration.ofSeconds(5),
                    () -> server.acceptedCount() >= 2 && endpoint.state() == EndpointState.CONNECTED
                            && transitions.stream().filter("CONNECTING->CONNECTED"::equals).count() >= 2);
            long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(endpoint.socket()).isNotSameAs(first);
            assertThat(elapsed).as("idle close after 400 ms, then a reconnect").isBetween(350L, 3000L);
            assertThat(transitions).containsSubsequence("CONNECTING->CONNECTED", "CONNECTED->BACKING_OFF",
                    "BACKING_OFF->CONNECTING", "CONNECTING->CONNECTED");
            assertThat(causes).first().isInstanceOf(SocketTransportException.class);
            assertThat(((SocketTransportException) causes.get(0)).code()).isEqualTo("ETIMEDOUT");
            for (TestServer.Peer peer : peers) {
                peer.close();
            }
        }
    }

}
