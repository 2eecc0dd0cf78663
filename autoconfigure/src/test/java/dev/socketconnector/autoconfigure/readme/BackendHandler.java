package dev.socketconnector.autoconfigure.readme;

import dev.socketconnector.Socket;
import dev.socketconnector.SocketHandler;
import dev.socketconnector.autoconfigure.SocketEndpoint;

import org.springframework.stereotype.Component;

// @formatter:off
// readme:begin
@Component
@SocketEndpoint("backend")
class BackendHandler implements SocketHandler<Void> {

    @Override
    public void open(Socket<Void> socket) {
        socket.write("HELLO\n");
    }

    @Override
    public void data(Socket<Void> socket, byte[] data) {
        // runs on the socket's event loop: hand blocking work to an executor
    }
}
// readme:end
// @formatter:on
