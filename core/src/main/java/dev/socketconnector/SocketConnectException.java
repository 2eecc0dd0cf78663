package dev.socketconnector;

import java.net.ConnectException;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * A connect that failed: refused, unix path missing, name not resolved, or timed out.
 * <p>
 * Carries Node's error {@link #code() code} ({@code ECONNREFUSED}, {@code ENOENT},
 * {@code ENOTFOUND}, {@code ETIMEDOUT}, ...) and {@link #syscall() syscall}
 * ({@code connect}, {@code getaddrinfo}); the message names the target, as Node's does
 * ({@code "connect ECONNREFUSED 127.0.0.1:1"}).
 */
public final class SocketConnectException extends ConnectException {

    private static final long serialVersionUID = 1L;

    /** Node's error code, such as {@code ECONNREFUSED}. */
    private final String code;

    /** The failing system call, such as {@code connect}. */
    private final String syscall;

    /** The address or path that was dialled, as text. */
    private final String target;

    /**
     * Creates an exception for a failed connect.
     * @param code Node's error code, such as {@code ECONNREFUSED}
     * @param syscall the failing call, such as {@code connect} or {@code getaddrinfo}
     * @param target the address or path that was dialled, as text
     * @param cause the underlying exception, or null
     */
    public SocketConnectException(String code, String syscall, String target, @Nullable Throwable cause) {
        super(syscall + " " + code + " " + target);
        this.code = Objects.requireNonNull(code, "code");
        this.syscall = Objects.requireNonNull(syscall, "syscall");
        this.target = Objects.requireNonNull(target, "target");
        if (cause != null) {
            initCause(cause);
        }
    }

    /**
     * {@return Node's error code, such as {@code ECONNREFUSED}}
     */
    public String code() {
        return this.code;
    }

    /**
     * {@return the system call that failed, such as {@code connect} or
     * {@code getaddrinfo}}
     */
    public String syscall() {
        return this.syscall;
    }

    /**
     * {@return the address or path that was dialled}
     */
    public String target() {
        return this.target;
    }

    /**
     * {@return a new, equal exception (same code, syscall, target and cause): Bun hands
     * out two objects}
     */
    public SocketConnectException copy() {
        SocketConnectException copy = new SocketConnectException(this.code, this.syscall, this.target, getCause());
        copy.setStackTrace(getStackTrace());
        return copy;
    }

    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof SocketConnectException that && this.code.equals(that.code)
                && this.syscall.equals(that.syscall) && this.target.equals(that.target);
    }

    @Override
    public int hashCode() {
        return Objects.hash(this.code, this.syscall, this.target);
    }

}
