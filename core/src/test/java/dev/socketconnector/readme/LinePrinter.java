package dev.socketconnector.readme;

// @formatter:off
// readme:begin
import java.nio.charset.StandardCharsets;

import dev.socketconnector.Framing;
import dev.socketconnector.Socket;
import dev.socketconnector.SocketHandler;
import dev.socketconnector.TcpSocketConnectOptions;

final class LinePrinter implements SocketHandler<Void> {

    static TcpSocketConnectOptions<Void> options(int port) {
        return TcpSocketConnectOptions.<Void>builder()
            .hostname("127.0.0.1").port(port)
            .framing(Framing.lines(8 * 1024)) // '\n' ends a frame; a longer line: ERR_FRAME_TOO_LONG
            .socket(new LinePrinter())
            .build();
    }

    @Override
    public void open(Socket<Void> socket) {
        socket.write("HELLO"); // sends "HELLO\n", all or nothing: 5, or 0 (write it again in drain)
    }

    @Override
    public void data(Socket<Void> socket, byte[] line) { // one whole line, without "\n" or "\r\n"
        System.out.println(new String(line, StandardCharsets.UTF_8));
    }
}
// readme:end
// @formatter:on
