package dev.socketconnector.internal.tls;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * A minimal DER reader, enough for PKCS#1/SEC1 keys and the certificate fields Node
 * reports.
 */
final class TlsDer {

    static final int INTEGER = 0x02;

    static final int BIT_STRING = 0x03;

    static final int OCTET_STRING = 0x04;

    static final int OID = 0x06;

    static final int SEQUENCE = 0x30;

    static final int SET = 0x31;

    private final byte[] data;

    private int position;

    private final int end;

    TlsDer(byte[] data) {
        this(data, 0, data.length);
    }

    private TlsDer(byte[] data, int offset, int end) {
        this.data = data;
        this.position = offset;
        this.end = end;
    }

    /** One element: its tag and content. */
    record Element(int tag, byte[] content) {

        TlsDer reader() {
            return new TlsDer(this.content);
        }

        BigInteger integer() {
            return new BigInteger(this.content);
        }

        String oid() {
            return TlsDer.oid(this.content);
        }

        /** Returns a BIT STRING's bits without the unused-bits byte. */
        byte[] bits() {
            return Arrays.copyOfRange(this.content, 1, this.content.length);
        }
    }

    boolean hasMore() {
        return this.position < this.end;
    }

    int peekTag() {
        require(1);
        return this.data[this.position] & 0xff;
    }

    Element next() {
        require(2);
        int tag = this.data[this.position++] & 0xff;
        int length = this.data[this.position++] & 0xff;
        if (length > 0x80) {
            int count = length & 0x7f;
            if (count > 3) {
                throw new IllegalArgumentException("DER length too large");
            }
            require(count);
            length = 0;
            for (int i = 0; i < count; i++) {
                length = (length << 8) | (this.data[this.position++] & 0xff);
            }
        }
        else if (length == 0x80) {
            throw new IllegalArgumentException("indefinite DER length");
        }
        require(length);
        byte[] content = Arrays.copyOfRange(this.data, this.position, this.position + length);
        this.position += length;
        return new Element(tag, content);
    }

    Element next(int expectedTag) {
        Element element = next();
        if (element.tag() != expectedTag) {
            throw new IllegalArgumentException("DER tag " + Integer.toHexString(element.tag()) + " where "
                    + Integer.toHexString(expectedTag) + " was expected");
        }
        return element;
    }

    private void require(int count) {
        if (count < 0 || this.position + count > this.end) {
            throw new IllegalArgumentException("truncated DER");
        }
    }

    static String oid(byte[] content) {
        StringBuilder text = new StringBuilder();
        long value = 0;
        boolean first = true;
        for (byte b : content) {
            value = (value << 7) | (b & 0x7f);
            if ((b & 0x80) == 0) {
                if (first) {
                    int head = (int) Math.min(value / 40, 2);
                    text.append(head).append('.').append(value - head * 40L);
                    first = false;
                }
                else {
                    text.append('.').append(value);
                }
                value = 0;
            }
        }
        return text.toString();
    }

}
