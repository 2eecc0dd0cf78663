package dev.socketconnector.readme;

// @formatter:off
// readme:begin
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.socketconnector.Socket;
import dev.socketconnector.SocketConnector;
import dev.socketconnector.SocketHandler;
import dev.socketconnector.TcpSocketConnectOptions;

public final class Hello {

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]); // an echo server on 127.0.0.1
        CompletableFuture<Void> closed = new CompletableFuture<>();
        try (SocketConnector connector = SocketConnector.create()) {
            connector.connect(TcpSocketConnectOptions.<Void>builder()
                    .hostname("127.0.0.1").port(port)
                    .socket(new SocketHandler<>() {
                        @Override
                        public void open(Socket<Void> socket) {
                            socket.write("hello\n");
                        }

                        @Override
                        public void data(Socket<Void> socket, byte[] data) {
                            System.out.print(new String(data, StandardCharsets.UTF_8));
                            socket.end();
                        }

                        @Override
                        public void close(Socket<Void> socket, Throwable error) {
                            System.out.println("closed" + (error != null ? ": " + error : ""));
                            closed.complete(null);
                        }
                    })
                    .build())
                .join();
            // leaving the try block closes the connector, which ends every socket: wait for ours first
            closed.get(10, TimeUnit.SECONDS);
        }
    }
}
// readme:end
// @formatter:on
