package dev.socketconnector;

import java.io.IOException;
import java.util.Objects;

/**
 * Bad framing from the peer on a socket with a {@link Framing} other than
 * {@link Framing#none()}; the {@code error} argument of
 * {@link SocketHandler#error(Socket, Throwable)}.
 * <ul>
 * <li>{@link #ERR_FRAME_TOO_LONG}: a length field announced, or an unterminated frame
 * grew to, more than {@code maxLength}; the socket then closes with this exception as
 * {@code close}'s error.</li>
 * <li>{@link #ERR_PARTIAL_FRAME}: the stream ended inside a frame; reported before
 * {@code end}.</li>
 * </ul>
 */
public final class FrameException extends IOException {

    /** A frame longer than {@code maxLength}. */
    public static final String ERR_FRAME_TOO_LONG = "ERR_FRAME_TOO_LONG";

    /** The stream ended inside a frame. */
    public static final String ERR_PARTIAL_FRAME = "ERR_PARTIAL_FRAME";

    private static final long serialVersionUID = 1L;

    /** {@link #ERR_FRAME_TOO_LONG} or {@link #ERR_PARTIAL_FRAME}. */
    private final String code;

    /**
     * Creates the exception.
     * @param code {@link #ERR_FRAME_TOO_LONG} or {@link #ERR_PARTIAL_FRAME}
     * @param message what was wrong, with the limit and the value
     */
    public FrameException(String code, String message) {
        super(code + ": " + message);
        this.code = Objects.requireNonNull(code, "code");
    }

    /**
     * {@return the error code: {@link #ERR_FRAME_TOO_LONG} or {@link #ERR_PARTIAL_FRAME}}
     */
    public String code() {
        return this.code;
    }

}
