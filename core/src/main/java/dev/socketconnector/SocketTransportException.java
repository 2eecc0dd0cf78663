package dev.socketconnector;

import java.net.SocketException;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * A transport failure on an open socket, such as a reset by the peer; it is the
 * {@code error} argument of {@link SocketHandler#close(Socket, Throwable)}.
 * <p>
 * Carries Node's error {@link #code() code} ({@code ECONNRESET}, {@code EPIPE},
 * {@code EIO}, ...) and {@link #syscall() syscall} ({@code read}, {@code write}).
 */
public final class SocketTransportException extends SocketException {

    private static final long serialVersionUID = 1L;

    /** Node's error code, such as {@code ECONNRESET}. */
    private final String code;

    /** The failing system call, such as {@code read}. */
    private final String syscall;

    /**
     * Creates an exception for a transport failure.
     * @param code Node's error code, such as {@code ECONNRESET}
     * @param syscall the failing call, {@code read} or {@code write}
     * @param cause the underlying exception, or null
     */
    public SocketTransportException(String code, String syscall, @Nullable Throwable cause) {
        super(code + ": " + describe(code) + ", " + syscall);
        this.code = Objects.requireNonNull(code, "code");
        this.syscall = Objects.requireNonNull(syscall, "syscall");
        if (cause != null) {
            initCause(cause);
        }
    }

    /**
     * {@return Node's error code, such as {@code ECONNRESET}}
     */
    public String code() {
        return this.code;
    }

    /**
     * {@return the system call that failed, {@code read} or {@code write}}
     */
    public String syscall() {
        return this.syscall;
    }

    private static String describe(String code) {
        return switch (code) {
            case "ECONNRESET" -> "connection reset by peer";
            case "EPIPE" -> "broken pipe";
            case "ETIMEDOUT" -> "connection timed out";
            default -> "i/o error";
        };
    }

}
