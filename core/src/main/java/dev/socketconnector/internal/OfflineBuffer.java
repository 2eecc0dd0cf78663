package dev.socketconnector.internal;

import java.util.ArrayDeque;
import java.util.Arrays;

import org.jspecify.annotations.Nullable;

/**
 * A managed endpoint's offline buffer: copies of the bytes written while it has no
 * connected socket, in order, up to the policy's {@code offlineBufferSize}; sent first on
 * the next connect. Not thread-safe: guarded by the endpoint's lock.
 */
final class OfflineBuffer {

    private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();

    private int bytes;

    /**
     * Copies as much of {@code data} as fits below {@code capacity}.
     * @return the bytes accepted (0 when full)
     */
    int offer(byte[] data, int capacity) {
        int room = capacity - this.bytes;
        int accepted = Math.min(room, data.length);
        if (accepted > 0) {
            byte[] copy = (accepted == data.length) ? data.clone() : Arrays.copyOf(data, accepted);
            this.chunks.add(copy);
            this.bytes += accepted;
        }
        return accepted;
    }

    /**
     * Copies all of {@code data} if it fits below {@code capacity} (a frame, on an
     * endpoint with a framing: sent as one write later), else nothing.
     * @return {@code data.length}, or 0 when it does not fit
     */
    int offerWhole(byte[] data, int capacity) {
        if (data.length > capacity - this.bytes) {
            return 0;
        }
        this.chunks.add(data.clone());
        this.bytes += data.length;
        return data.length;
    }

    /** Takes the oldest chunk, or returns null when the buffer is empty. */
    byte @Nullable [] poll() {
        byte[] chunk = this.chunks.poll();
        if (chunk != null) {
            this.bytes -= chunk.length;
        }
        return chunk;
    }

    /**
     * Drops everything buffered.
     * @return the bytes dropped
     */
    int clear() {
        int dropped = this.bytes;
        this.chunks.clear();
        this.bytes = 0;
        return dropped;
    }

}
