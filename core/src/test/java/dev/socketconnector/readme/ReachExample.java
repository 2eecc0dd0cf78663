package dev.socketconnector.readme;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

import dev.socketconnector.Resolver;
import dev.socketconnector.SocketConnector;
import dev.socketconnector.SocketHandler;
import dev.socketconnector.TcpSocketConnectOptions;

/**
 * The README's "Reaching the peer" example; compiled only (it dials hosts outside
 * loopback).
 */
final class ReachExample {

    private ReachExample() {
    }

    static void connect(SocketHandler<Void> handler) {
        // @formatter:off
        // readme:begin
        // handler is a SocketHandler<Void>
        SocketConnector connector = SocketConnector.builder()
            .resolver(Resolver.dns())                            // Netty's DNS client: record TTLs honoured
            .connectAttemptDelay(Duration.ofMillis(250))         // Happy Eyeballs stagger (the default)
            .build();
        connector.connect(TcpSocketConnectOptions.<Void>builder()
            .addresses(List.of(                                  // tried in order, each name resolved again
                InetSocketAddress.createUnresolved("db1.example", 5432),
                InetSocketAddress.createUnresolved("db2.example", 5432)))
            .socket(handler).build());
        // readme:end
        // @formatter:on
    }

}
