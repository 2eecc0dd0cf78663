package dev.socketconnector.readme;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import dev.socketconnector.KeepAliveOptions;
import dev.socketconnector.SocketConnector;
import dev.socketconnector.SocketHandler;
import dev.socketconnector.TcpSocketConnectOptions;

/**
 * The README's dead-peer example; compiled only (its user timeout needs epoll or
 * io_uring, and it dials a host outside loopback). What it configures is tested in
 * {@code KeepAliveOptionsTests}, {@code ReadIdleAndHeartbeatTests} and
 * {@code reliability.DeadPeerTests}.
 */
final class DeadPeerExample {

    private DeadPeerExample() {
    }

    static SocketConnector connect(SocketHandler<Void> handler) {
        // @formatter:off
        // readme:begin
        // handler is a SocketHandler<Void>
        SocketConnector connector = SocketConnector.builder()
            .keepAlive(KeepAliveOptions.builder()
                .enabled(true)
                .idle(Duration.ofSeconds(30))                   // first probe after 30 s without traffic
                .interval(Duration.ofSeconds(5))                // then one every 5 s
                .count(3)                                       // dropped after 3 unanswered probes
                .userTimeout(Duration.ofSeconds(20))            // sent data unacknowledged for 20 s: ETIMEDOUT
                .build())
            .readIdleTimeout(Duration.ofMinutes(5))             // default of every connect
            .build();
        connector.connect(TcpSocketConnectOptions.<Void>builder()
            .hostname("backend.example.com").port(7000).socket(handler)
            .heartbeat(Duration.ofSeconds(10), "PING\n".getBytes(StandardCharsets.UTF_8)) // after 10 s without a write
            .readIdleTimeout(Duration.ofSeconds(25))            // the peer answers PING: 25 s of silence, it is gone
            .build());
        // readme:end
        // @formatter:on
        return connector;
    }

}
