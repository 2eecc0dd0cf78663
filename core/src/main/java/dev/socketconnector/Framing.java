package dev.socketconnector;

import java.util.Arrays;

/**
 * How a socket cuts its byte stream into messages: the {@code framing} option of
 * {@link TcpSocketConnectOptions.Builder#framing(Framing)},
 * {@link UnixSocketOptions.Builder#framing(Framing)} and, as the default for every
 * connect, {@link SocketConnectorBuilder#framing(Framing)}.
 * <p>
 * With a framing other than {@link #none()}, {@link SocketHandler#data(Socket, byte[])}
 * receives exactly one whole frame per call (the payload only: no delimiter, no length
 * field; an empty frame as an empty array), and each {@code write(...)} or
 * {@code end(data)} sends exactly one frame, all or nothing: it returns the payload's
 * length when the whole frame was accepted, 0 when the outbound buffer cannot take it now
 * (write it again on {@code drain}), -1 when the socket is closed. Frames written from
 * several threads never interleave. A payload the framing cannot send (too long, holding
 * the delimiter, of another length than {@code fixed(n)}) throws
 * {@link IllegalArgumentException} naming the limit and its value.
 * <p>
 * Bad framing from the peer is reported as a {@link FrameException}: a frame longer than
 * {@code maxLength} (the decoder fails as soon as a length field announces more or an
 * unterminated frame grows past it, and never holds more than about {@code maxLength}
 * bytes of one frame) calls {@code error} with {@link FrameException#ERR_FRAME_TOO_LONG},
 * then closes the socket with that exception as {@code close}'s error; a stream that ends
 * inside a frame calls {@code error} with {@link FrameException#ERR_PARTIAL_FRAME} before
 * {@code end}.
 * <p>
 * {@link Socket#bytesWritten()} and {@link Socket#bytesRead()} count payload bytes.
 * Instances are immutable values; invalid settings throw {@link IllegalArgumentException}
 * naming the setting.
 */
public sealed interface Framing
        permits Framing.None, Framing.Lines, Framing.Delimiter, Framing.LengthPrefixed, Framing.Fixed {

    /**
     * The largest {@code maxLength} (and {@code fixed} length): a frame with its
     * delimiter or length field must fit in one Java array.
     */
    int MAX_FRAME_LENGTH = Integer.MAX_VALUE - 16;

    /**
     * Raw bytes, as Bun: {@code data} receives what each read returned, {@code write} may
     * accept part of its argument. The default.
     * @return the raw framing
     */
    static Framing none() {
        return None.INSTANCE;
    }

    /**
     * Lines: {@code '\n'} ends a frame, and a {@code '\r'} before it is dropped (so
     * {@code "\r\n"} works too). A write sends the payload then {@code '\n'}; a payload
     * that contains {@code '\n'} or ends with {@code '\r'} is rejected.
     * @param maxLength the longest payload in bytes, without the line end, at least 1
     * @return the framing
     */
    static Framing lines(int maxLength) {
        return new Lines(maxLength);
    }

    /**
     * A delimiter ends each frame. A write sends the payload then the delimiter; a
     * payload that contains the delimiter is rejected.
     * @param delimiter the delimiter, at least one byte (copied)
     * @param maxLength the longest payload in bytes, without the delimiter, at least 1
     * @return the framing
     */
    static Framing delimiter(byte[] delimiter, int maxLength) {
        return new Delimiter(delimiter, maxLength);
    }

    /**
     * A big-endian unsigned length field before each frame, counting the payload only. A
     * write sends the field then the payload.
     * @param lengthFieldBytes the length field's size: 1, 2, 4 or 8 bytes
     * @param maxLength the longest payload in bytes, at least 1; a field of 1 or 2 bytes
     * also limits it (to 255 or 65535)
     * @return the framing
     */
    static Framing lengthPrefixed(int lengthFieldBytes, int maxLength) {
        return new LengthPrefixed(lengthFieldBytes, maxLength);
    }

    /**
     * Records of one fixed length: each frame is exactly {@code frameLength} bytes, and a
     * write must pass exactly that many.
     * @param frameLength the frame length in bytes, at least 1
     * @return the framing
     */
    static Framing fixed(int frameLength) {
        return new Fixed(frameLength);
    }

    private static int validLength(int value, String setting) {
        if (value < 1 || value > MAX_FRAME_LENGTH) {
            throw new IllegalArgumentException(
                    setting + " must be between 1 and " + MAX_FRAME_LENGTH + " bytes (was " + value + ")");
        }
        return value;
    }

    /**
     * Raw bytes: {@link Framing#none()}.
     */
    final class None implements Framing {

        static final None INSTANCE = new None();

        private None() {
        }

        @Override
        public String toString() {
            return "Framing.none()";
        }

    }

    /**
     * Lines: {@link Framing#lines(int)}.
     *
     * @param maxLength the longest payload in bytes, without the line end
     */
    record Lines(int maxLength) implements Framing {

        /**
         * Validates the settings.
         * @param maxLength the longest payload in bytes, without the line end
         */
        public Lines {
            validLength(maxLength, "maxLength");
        }

        @Override
        public String toString() {
            return "Framing.lines(" + this.maxLength + ")";
        }

    }

    /**
     * A delimiter: {@link Framing#delimiter(byte[], int)}.
     *
     * @param delimiter the delimiter (a copy is returned)
     * @param maxLength the longest payload in bytes, without the delimiter
     */
    record Delimiter(byte[] delimiter, int maxLength) implements Framing {

        /**
         * Validates the settings and copies the delimiter.
         * @param delimiter the delimiter, at least one byte
         * @param maxLength the longest payload in bytes, without the delimiter
         */
        public Delimiter {
            if (delimiter == null || delimiter.length == 0) {
                throw new IllegalArgumentException("delimiter must be at least one byte");
            }
            if (delimiter.length > 1024) {
                throw new IllegalArgumentException(
                        "delimiter must be at most 1024 bytes (was " + delimiter.length + ")");
            }
            delimiter = delimiter.clone();
            validLength(maxLength, "maxLength");
        }

        /**
         * {@return a copy of the delimiter}
         */
        @Override
        public byte[] delimiter() {
            return this.delimiter.clone();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Delimiter that && this.maxLength == that.maxLength
                    && Arrays.equals(this.delimiter, that.delimiter);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(this.delimiter) + this.maxLength;
        }

        @Override
        public String toString() {
            return "Framing.delimiter(" + Arrays.toString(this.delimiter) + ", " + this.maxLength + ")";
        }

    }

    /**
     * A length prefix: {@link Framing#lengthPrefixed(int, int)}.
     *
     * @param lengthFieldBytes the length field's size: 1, 2, 4 or 8 bytes
     * @param maxLength the longest payload in bytes (a field of 1 or 2 bytes may limit it
     * further)
     */
    record LengthPrefixed(int lengthFieldBytes, int maxLength) implements Framing {

        /**
         * Validates the settings.
         * @param lengthFieldBytes the length field's size: 1, 2, 4 or 8 bytes
         * @param maxLength the longest payload in bytes
         */
        public LengthPrefixed {
            if (lengthFieldBytes != 1 && lengthFieldBytes != 2 && lengthFieldBytes != 4 && lengthFieldBytes != 8) {
                throw new IllegalArgumentException(
                        "lengthFieldBytes must be 1, 2, 4 or 8 (was " + lengthFieldBytes + ")");
            }
            validLength(maxLength, "maxLength");
        }

        /**
         * {@return the longest payload: {@code maxLength}, or less when the length field
         * cannot express it}
         */
        public int effectiveMaxLength() {
            return switch (this.lengthFieldBytes) {
                case 1 -> Math.min(this.maxLength, 0xFF);
                case 2 -> Math.min(this.maxLength, 0xFFFF);
                default -> this.maxLength;
            };
        }

        @Override
        public String toString() {
            return "Framing.lengthPrefixed(" + this.lengthFieldBytes + ", " + this.maxLength + ")";
        }

    }

    /**
     * Fixed-length records: {@link Framing#fixed(int)}.
     *
     * @param frameLength the frame length in bytes
     */
    record Fixed(int frameLength) implements Framing {

        /**
         * Validates the settings.
         * @param frameLength the frame length in bytes
         */
        public Fixed {
            validLength(frameLength, "frameLength");
        }

        @Override
        public String toString() {
            return "Framing.fixed(" + this.frameLength + ")";
        }

    }

}
