package dev.socketconnector;

/**
 * A program whose main returns right after connecting: run in a child JVM to check that a
 * referenced socket keeps the JVM alive and an unreferenced one does not. Arguments:
 * port, unref.
 */
public final class SocketHolderMain {

    private SocketHolderMain() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        boolean unref = Boolean.parseBoolean(args[1]);
        SocketConnector connector = SocketConnector.create();
        Socket<Void> socket = connector.connect(
                TcpSocketConnectOptions.<Void>builder().hostname("127.0.0.1").port(port).socket(new SocketHandler<>() {
                }).build())
            .get();
        if (unref) {
            socket.unref();
        }
    }

}
