package dev.socketconnector.reliability;

import java.util.SplittableRandom;

/**
 * A deterministic stream of random bytes made chunk by chunk from a seed, so a sender and
 * an independent checker produce the same bytes without holding hundreds of MiB.
 */
final class StreamSource {

    static final int CHUNK = 64 * 1024;

    private final SplittableRandom random;

    private final byte[] chunk = new byte[CHUNK];

    private int position = CHUNK;

    StreamSource(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /**
     * Returns the current chunk, refilled when used up; {@link #offset()} is where unused
     * bytes start.
     */
    byte[] chunk() {
        if (this.position == CHUNK) {
            this.random.nextBytes(this.chunk);
            this.position = 0;
        }
        return this.chunk;
    }

    int offset() {
        return this.position;
    }

    void consume(int count) {
        this.position += count;
    }

    /**
     * Checks the next bytes of the stream against {@code data}.
     * @return the index of the first byte that differs, or -1
     */
    int verify(byte[] data) {
        int index = 0;
        while (index < data.length) {
            byte[] expected = chunk();
            int count = Math.min(data.length - index, CHUNK - this.position);
            if (!java.util.Arrays.equals(expected, this.position, this.position + count, data, index, index + count)) {
                for (int i = 0; i < count; i++) {
                    if (expected[this.position + i] != data[index + i]) {
                        return index + i;
                    }
                }
            }
            this.position += count;
            index += count;
        }
        return -1;
    }

}
