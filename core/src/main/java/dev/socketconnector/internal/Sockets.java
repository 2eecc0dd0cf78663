package dev.socketconnector.internal;

import dev.socketconnector.Socket;
import dev.socketconnector.SocketHandler;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;

/**
 * Behaviour behind the public API's default methods.
 */
public final class Sockets {

    private static final InternalLogger logger = InternalLoggerFactory.getInstance(SocketHandler.class);

    private Sockets() {
    }

    /**
     * The default {@link SocketHandler#error(Socket, Throwable)}: logs the exception and closes the socket
     * with it as {@code close}'s error.
     * @param socket the socket
     * @param error the exception
     */
    public static void defaultError(Socket<?> socket, Throwable error) {
        logger.warn("Unhandled error on socket {} (no error handler); closing it", socket, error);
        if (socket instanceof NettySocket<?> nettySocket) {
            nettySocket.closeWithError(error);
        }
        else {
            socket.terminate();
        }
    }
}
