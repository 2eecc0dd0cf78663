package dev.socketconnector.internal;

import java.io.FileNotFoundException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.NoSuchFileException;
import java.util.Locale;

import dev.socketconnector.SocketConnectException;
import dev.socketconnector.SocketTransportException;
import io.netty.channel.ConnectTimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * Maps JDK and Netty I/O exceptions to Node's error codes ({@code ECONNREFUSED},
 * {@code ECONNRESET}, ...). The JDK reports errno only through the message text
 * ({@code "Connection refused"}), so the mapping reads it.
 */
final class ErrorCodes {

    private ErrorCodes() {
    }

    /**
     * Returns the exception for a failed connect.
     * @param cause what Netty or the resolver reported
     * @param target the address or path dialled
     * @return the exception
     */
    static SocketConnectException connectFailure(Throwable cause, String target) {
        if (cause instanceof SocketConnectException connectException) {
            return connectException;
        }
        if (cause instanceof UnknownHostException) {
            return new SocketConnectException("ENOTFOUND", "getaddrinfo", target, cause);
        }
        if (cause instanceof ConnectTimeoutException || cause instanceof SocketTimeoutException) {
            return new SocketConnectException("ETIMEDOUT", "connect", target, cause);
        }
        String code = codeOf(cause);
        if (code == null) {
            code = (cause instanceof ConnectException) ? "ECONNREFUSED"
                    : (cause instanceof NoRouteToHostException) ? "EHOSTUNREACH" : "ECONNABORTED";
        }
        return new SocketConnectException(code, "connect", target, cause);
    }

    /**
     * Returns the exception for a transport failure on an open socket, or null when the
     * cause is not one (an already closed channel).
     * @param cause the I/O exception
     * @param syscall {@code read} or {@code write}
     * @return the exception, or null
     */
    static @Nullable SocketTransportException transportFailure(Throwable cause, String syscall) {
        if (cause instanceof SocketTransportException transportException) {
            return transportException;
        }
        if (cause instanceof ClosedChannelException) {
            return null;
        }
        String code = codeOf(cause);
        return new SocketTransportException((code != null) ? code : "EIO", syscall, cause);
    }

    /**
     * Returns Node's code for the errno an exception's message names, or null.
     * @param cause the exception
     * @return the code, or null
     */
    static @Nullable String codeOf(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof FileNotFoundException || t instanceof NoSuchFileException) {
                // epoll and io_uring report a unix connect to a missing path as a
                // FileNotFoundException without a
                // message (Netty's native Errors), NIO as "No such file or directory"
                return "ENOENT";
            }
            String message = t.getMessage();
            if (message == null) {
                continue;
            }
            String text = message.toLowerCase(Locale.ROOT);
            if (text.contains("connection refused")) {
                return "ECONNREFUSED";
            }
            if (text.contains("connection reset")) {
                return "ECONNRESET";
            }
            if (text.contains("broken pipe")) {
                return "EPIPE";
            }
            if (text.contains("no such file or directory")) {
                return "ENOENT";
            }
            if (text.contains("permission denied")) {
                return "EACCES";
            }
            if (text.contains("resource temporarily unavailable")) {
                return "EAGAIN";
            }
            if (text.contains("connection timed out")) {
                return "ETIMEDOUT";
            }
            if (text.contains("no route to host")) {
                return "EHOSTUNREACH";
            }
            if (text.contains("network is unreachable")) {
                return "ENETUNREACH";
            }
            if (text.contains("not a socket") || text.contains("socket operation on non-socket")) {
                return "ENOTSOCK";
            }
            if (text.contains("address already in use")) {
                return "EADDRINUSE";
            }
            if (text.contains("cannot assign requested address")) {
                return "EADDRNOTAVAIL";
            }
        }
        return null;
    }

}
