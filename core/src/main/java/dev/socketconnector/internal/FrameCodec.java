package dev.socketconnector.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import dev.socketconnector.Framing;
import io.netty.buffer.ByteBuf;
import org.jspecify.annotations.Nullable;

/**
 * One {@link Framing} (other than {@code none()}) as the write path and the pipeline use
 * it: the checks a payload must pass, the bytes around it on the wire, and a new decoder
 * for each channel ({@link FrameDecoders}). Immutable and shared by every socket of that
 * framing; any thread.
 */
final class FrameCodec {

    private static final byte[] NEW_LINE = { '\n' };

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final Framing framing;

    /** The delimiter written after each payload, or null (length-prefixed, fixed). */
    private final byte @Nullable [] delimiter;

    /** The length field's size in bytes, 0 without one. */
    private final int lengthFieldBytes;

    /** The longest payload a write may send. */
    private final int maxLength;

    /** The one payload length a write must send ({@code fixed}), or -1. */
    private final int fixedLength;

    private final boolean lines;

    private FrameCodec(Framing framing) {
        this.framing = framing;
        if (framing instanceof Framing.Lines lines) {
            this.delimiter = NEW_LINE;
            this.lengthFieldBytes = 0;
            this.maxLength = lines.maxLength();
            this.fixedLength = -1;
            this.lines = true;
        }
        else if (framing instanceof Framing.Delimiter delimiter) {
            this.delimiter = delimiter.delimiter();
            this.lengthFieldBytes = 0;
            this.maxLength = delimiter.maxLength();
            this.fixedLength = -1;
            this.lines = false;
        }
        else if (framing instanceof Framing.LengthPrefixed prefixed) {
            this.delimiter = null;
            this.lengthFieldBytes = prefixed.lengthFieldBytes();
            this.maxLength = prefixed.effectiveMaxLength();
            this.fixedLength = -1;
            this.lines = false;
        }
        else if (framing instanceof Framing.Fixed fixed) {
            this.delimiter = null;
            this.lengthFieldBytes = 0;
            this.maxLength = fixed.frameLength();
            this.fixedLength = fixed.frameLength();
            this.lines = false;
        }
        else {
            throw new IllegalArgumentException("unknown framing " + framing);
        }
    }

    /**
     * Returns the codec of {@code framing}, or null for {@code none()} (raw bytes, the
     * unframed path).
     * @param framing the framing
     * @return the codec, or null
     */
    static @Nullable FrameCodec of(Framing framing) {
        return (framing instanceof Framing.None) ? null : new FrameCodec(framing);
    }

    Framing framing() {
        return this.framing;
    }

    /** A new decoder for one channel's pipeline. */
    FrameDecoders.FrameDecoder newDecoder() {
        return FrameDecoders.newDecoder(this.framing);
    }

    /**
     * Checks a payload's length and returns its frame's size on the wire.
     * @throws IllegalArgumentException naming the limit and its value
     */
    int wireLength(int payloadLength) {
        if (this.fixedLength >= 0) {
            if (payloadLength != this.fixedLength) {
                throw new IllegalArgumentException(
                        "a fixed(" + this.fixedLength + ") frame must be exactly frameLength " + this.fixedLength
                                + " bytes (was " + payloadLength + ")");
            }
            return payloadLength;
        }
        if (payloadLength > this.maxLength) {
            throw new IllegalArgumentException("the frame's payload of "
                    + payloadLength + " bytes is longer than " + ((this.lengthFieldBytes > 0)
                            ? "the length field of " + this.lengthFieldBytes + " bytes and " : "")
                    + "maxLength " + this.maxLength);
        }
        byte[] delimiter = this.delimiter;
        return payloadLength + this.lengthFieldBytes + ((delimiter != null) ? delimiter.length : 0);
    }

    /**
     * Checks that a payload does not contain the delimiter (nor, for lines, end with
     * {@code '\r'}, which the peer would drop).
     * @throws IllegalArgumentException naming the delimiter and where it was found
     */
    void checkContent(byte[] data, int offset, int length) {
        byte[] delimiter = this.delimiter;
        if (delimiter == null) {
            return;
        }
        int found = indexOf(data, offset, length, delimiter);
        if (found < 0 && delimiter.length > 1) {
            found = overlap(data, offset, length, delimiter);
        }
        if (found >= 0) {
            throw new IllegalArgumentException(containsDelimiter(found - offset));
        }
        if (this.lines && length > 0 && data[offset + length - 1] == '\r') {
            throw new IllegalArgumentException(
                    "a lines() payload must not end with '\\r' (the peer drops a '\\r' before '\\n')");
        }
    }

    /** {@link #checkContent(byte[], int, int)} for the remaining bytes of a buffer. */
    void checkContent(ByteBuffer data) {
        if (this.delimiter == null) {
            return;
        }
        if (data.hasArray()) {
            checkContent(data.array(), data.arrayOffset() + data.position(), data.remaining());
            return;
        }
        byte[] copy = new byte[data.remaining()];
        data.duplicate().get(copy);
        checkContent(copy, 0, copy.length);
    }

    private String containsDelimiter(int at) {
        return this.lines ? "a lines() payload must not contain '\\n' (found at byte " + at + ")"
                : "a delimiter() payload must not contain the delimiter, nor end with bytes that form it with the "
                        + "delimiter that follows (found at byte " + at + ")";
    }

    private static int indexOf(byte[] data, int offset, int length, byte[] delimiter) {
        byte first = delimiter[0];
        int last = offset + length - delimiter.length;
        int from = offset;
        while (from <= last) {
            int found = indexOfByte(data, from, last + 1, first);
            if (found < 0) {
                return -1;
            }
            if (matches(data, found, delimiter)) {
                return found;
            }
            from = found + 1;
        }
        return -1;
    }

    /**
     * The first index of {@code value} in {@code data[from, to)}, or -1: eight bytes at a
     * time (SWAR), so that checking a payload costs less than copying it.
     */
    static int indexOfByte(byte[] data, int from, int to, byte value) {
        long pattern = (value & 0xFFL) * 0x0101010101010101L;
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long word = (long) LONGS.get(data, i) ^ pattern;
            long zeros = (word - 0x0101010101010101L) & ~word & 0x8080808080808080L;
            if (zeros != 0) {
                // the lowest flagged byte is the first match (borrows only flag bytes
                // above a real match)
                return i + (Long.numberOfTrailingZeros(zeros) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (data[i] == value) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Where the delimiter would first be found in the payload followed by the delimiter,
     * when that is before the payload's end (its tail and the delimiter's head form one),
     * else -1.
     */
    private static int overlap(byte[] data, int offset, int length, byte[] delimiter) {
        int end = offset + length;
        for (int i = Math.max(offset, end - delimiter.length + 1); i < end; i++) {
            boolean match = true;
            for (int j = 0; j < delimiter.length && match; j++) {
                byte b = (i + j < end) ? data[i + j] : delimiter[i + j - end];
                match = b == delimiter[j];
            }
            if (match) {
                return i;
            }
        }
        return -1;
    }

    private static boolean matches(byte[] data, int at, byte[] delimiter) {
        for (int j = 1; j < delimiter.length; j++) {
            if (data[at + j] != delimiter[j]) {
                return false;
            }
        }
        return true;
    }

    /** Writes what goes before a payload: its length field, if any. */
    void writeHeader(ByteBuf buffer, int payloadLength) {
        switch (this.lengthFieldBytes) {
            case 1 -> buffer.writeByte(payloadLength);
            case 2 -> buffer.writeShort(payloadLength);
            case 4 -> buffer.writeInt(payloadLength);
            case 8 -> buffer.writeLong(payloadLength);
            default -> {
            }
        }
    }

    /** Writes what goes after a payload: its delimiter, if any. */
    void writeTrailer(ByteBuf buffer) {
        byte[] delimiter = this.delimiter;
        if (delimiter != null) {
            if (delimiter.length == 1) {
                buffer.writeByte(delimiter[0]);
            }
            else {
                buffer.writeBytes(delimiter);
            }
        }
    }

    @Override
    public String toString() {
        return this.framing.toString();
    }

}
