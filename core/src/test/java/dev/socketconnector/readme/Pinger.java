package dev.socketconnector.readme;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.socketconnector.Framing;
import dev.socketconnector.RequestReplyOptions;
import dev.socketconnector.Socket;
import dev.socketconnector.SocketConnector;
import dev.socketconnector.SocketHandler;
import dev.socketconnector.TcpSocketConnectOptions;

final class Pinger {

    private Pinger() {
    }

    // @formatter:off
    // readme:begin
    static String ping(SocketConnector connector, int port) throws Exception {
        Socket<Void> socket = connector.connect(TcpSocketConnectOptions.<Void>builder()
                .hostname("127.0.0.1").port(port)
                .framing(Framing.lines(64 * 1024))           // a request is one line, and so is its reply
                .requestReply(RequestReplyOptions.builder()
                    .timeout(Duration.ofSeconds(5))          // each request's own deadline
                    .maxInFlight(256)                        // the 257th pending request fails at once
                    .build())                                // no correlationId: replies come in order
                .socket(new SocketHandler<Void>() {
                    @Override
                    public void data(Socket<Void> socket, byte[] frame) {
                        // only frames that answer no request: pushes, replies after their timeout
                    }
                })
                .build())
            .get(10, TimeUnit.SECONDS);
        CompletableFuture<byte[]> reply = socket.request("PING");  // from any thread
        return new String(reply.get(5, TimeUnit.SECONDS), StandardCharsets.UTF_8);
    }
    // readme:end
    // @formatter:on

}
