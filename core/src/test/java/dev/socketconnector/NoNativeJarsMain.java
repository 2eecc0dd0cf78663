package dev.socketconnector;

/**
 * Run by {@link TransportTests} in a child JVM whose class path lacks Netty's epoll,
 * io_uring and unix-common jars: prints the default connector's transport and the error
 * of an explicit EPOLL, one per line.
 */
public final class NoNativeJarsMain {

    private NoNativeJarsMain() {
    }

    public static void main(String[] args) {
        try (SocketConnector connector = SocketConnector.create()) {
            System.out.println(connector);
        }
        try {
            SocketConnector.builder().transport(Transport.EPOLL).build().close();
            System.out.println("EPOLL built");
        }
        catch (IllegalStateException ex) {
            System.out.println(ex.getMessage());
        }
    }

}
