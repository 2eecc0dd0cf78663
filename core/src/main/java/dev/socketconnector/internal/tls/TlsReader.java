package dev.socketconnector.internal.tls;

import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * A bounds-checked big-endian reader over part of an array or of a buffer (where a
 * handshake message arrived, not copied), for TLS handshake messages; a read past the end
 * throws {@code IllegalArgumentException("truncated TLS message")}. Reads by absolute
 * index: the buffer's reader index is left alone.
 */
final class TlsReader {

    private final ByteBuf data;

    private int position;

    private final int end;

    TlsReader(byte[] data, int offset, int end) {
        this(Unpooled.wrappedBuffer(data), offset, end);
    }

    /**
     * Reads {@code data} from index {@code offset} to {@code end} (absolute indexes,
     * within its written bytes); the caller keeps the buffer alive while reading.
     */
    TlsReader(ByteBuf data, int offset, int end) {
        if (end > data.writerIndex() || offset < 0 || offset > end) {
            throw new IllegalArgumentException("truncated TLS message");
        }
        this.data = data;
        this.position = offset;
        this.end = end;
    }

    boolean more() {
        return this.position < this.end;
    }

    int remaining() {
        return this.end - this.position;
    }

    int peek() {
        check(1);
        return this.data.getUnsignedByte(this.position);
    }

    int u8() {
        check(1);
        return this.data.getUnsignedByte(this.position++);
    }

    int u16() {
        check(2);
        int value = this.data.getUnsignedShort(this.position);
        this.position += 2;
        return value;
    }

    byte[] bytes(int count) {
        check(count);
        byte[] bytes = new byte[count];
        this.data.getBytes(this.position, bytes);
        this.position += count;
        return bytes;
    }

    void skip(int count) {
        check(count);
        this.position += count;
    }

    TlsReader sub(int count) {
        check(count);
        TlsReader reader = new TlsReader(this.data, this.position, this.position + count);
        this.position += count;
        return reader;
    }

    List<Integer> u16List() {
        List<Integer> values = new ArrayList<>();
        while (remaining() >= 2) {
            values.add(u16());
        }
        return List.copyOf(values);
    }

    private void check(int count) {
        if (count < 0 || this.position + count > this.end) {
            throw new IllegalArgumentException("truncated TLS message");
        }
    }

}
