package dev.socketconnector.sample;

import dev.socketconnector.Socket;
import dev.socketconnector.ManagedEndpoint;
import dev.socketconnector.autoconfigure.SocketEndpointRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Pings the endpoint {@code echo} every {@code sample.echo.heartbeat} while it is
 * connected; the echoes become the round-trip times on the page. Runs on Spring's
 * scheduler thread, never on an event loop, and does not wait for the echo.
 */
@Component
final class Heartbeat {

    private static final Log logger = LogFactory.getLog(Heartbeat.class);

    private final SocketEndpointRegistry endpoints;

    private final EchoHandler handler;

    Heartbeat(SocketEndpointRegistry endpoints, EchoHandler handler) {
        this.endpoints = endpoints;
        this.handler = handler;
    }

    @Scheduled(fixedRateString = "${sample.echo.heartbeat:1s}")
    void ping() {
        ManagedEndpoint echo = this.endpoints.endpoint("echo");
        Socket<?> socket = (echo != null) ? echo.socket() : null;
        if (socket != null) {
            this.handler.ping(socket).exceptionally((failure) -> {
                logger.debug("Heartbeat on socket " + socket.id() + " got no echo: " + failure);
                return null;
            });
        }
    }

}
