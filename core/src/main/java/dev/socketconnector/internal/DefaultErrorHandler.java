package dev.socketconnector.internal;

import dev.socketconnector.Socket;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;

/**
 * The default {@code SocketHandler.error}: the one behaviour behind the public API's
 * default methods.
 */
public final class DefaultErrorHandler {

    /**
     * Logged under the handler interface's name, as before; a string so this class need
     * not import it.
     */
    private static final InternalLogger logger = InternalLoggerFactory.getInstance("dev.socketconnector.SocketHandler");

    private DefaultErrorHandler() {
    }

    /**
     * Logs the exception and closes the socket with it as {@code close}'s error. Runs on
     * the thread that called {@code SocketHandler.error}, the socket's event loop.
     * @param socket the socket
     * @param error the exception
     */
    public static void error(Socket<?> socket, Throwable error) {
        logger.warn("Unhandled error on socket {} (no error handler); closing it", socket, error);
        if (socket instanceof NettySocket<?> nettySocket) {
            nettySocket.closeWithError(error);
        }
        else {
            socket.terminate();
        }
    }

}
