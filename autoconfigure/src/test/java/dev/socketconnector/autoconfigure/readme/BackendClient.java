package dev.socketconnector.autoconfigure.readme;

import dev.socketconnector.Socket;
import dev.socketconnector.ManagedEndpoint;
import dev.socketconnector.autoconfigure.SocketEndpointRegistry;

import org.springframework.stereotype.Service;

// @formatter:off
// readme:begin
@Service
class BackendClient {

    private final SocketEndpointRegistry endpoints;

    BackendClient(SocketEndpointRegistry endpoints) {
        this.endpoints = endpoints;
    }

    boolean send(String line) {
        ManagedEndpoint backend = this.endpoints.endpoint("backend");
        Socket<?> socket = backend.socket();          // null unless CONNECTED
        return socket != null && socket.write(line + "\n") > 0;
    }
}
// readme:end
// @formatter:on
