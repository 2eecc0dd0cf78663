package dev.socketconnector.internal.tls;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A bounds-checked big-endian reader over part of an array, for TLS handshake messages; a
 * read past the end throws {@code IllegalArgumentException("truncated TLS message")}.
 */
final class TlsReader {

    private final byte[] data;

    private int position;

    private final int end;

    TlsReader(byte[] data, int offset, int end) {
        if (end > data.length || offset > end) {
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
        return this.data[this.position] & 0xff;
    }

    int u8() {
        check(1);
        return this.data[this.position++] & 0xff;
    }

    int u16() {
        check(2);
        int value = ((this.data[this.position] & 0xff) << 8) | (this.data[this.position + 1] & 0xff);
        this.position += 2;
        return value;
    }

    byte[] bytes(int count) {
        check(count);
        byte[] bytes = Arrays.copyOfRange(this.data, this.position, this.position + count);
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
