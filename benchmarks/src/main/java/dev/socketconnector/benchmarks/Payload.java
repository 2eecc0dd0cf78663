package dev.socketconnector.benchmarks;

/**
 * The bytes a ping-pong connection sends: a pattern that differs per connection and
 * round, so that a stale, duplicated, reordered or flipped byte in the echo is caught.
 */
public final class Payload {

    private Payload() {
    }

    /**
     * Returns byte {@code index} of round {@code round} of connection {@code connection}.
     * @param connection the connection number
     * @param round the round number
     * @param index the byte's position in the message
     * @return the byte
     */
    public static byte at(int connection, int round, int index) {
        return (byte) (index * 31 + round * 7 + connection * 13 + (index >>> 8));
    }

    /**
     * Fills {@code message} with round {@code round} of connection {@code connection}.
     * @param message the array to fill
     * @param connection the connection number
     * @param round the round number
     */
    public static void fill(byte[] message, int connection, int round) {
        for (int i = 0; i < message.length; i++) {
            message[i] = at(connection, round, i);
        }
    }

    /**
     * Fills a throughput chunk with a pattern (the count server checks only the length).
     * @param size the chunk size
     * @return the chunk
     */
    public static byte[] chunk(int size) {
        byte[] chunk = new byte[size];
        fill(chunk, 0, 0);
        return chunk;
    }

    /**
     * Describes a mismatch in the echo as a one-line failure message.
     * @param connection the connection number
     * @param round the round number
     * @param index the byte's position
     * @param actual the byte received
     * @return the failure
     */
    public static BenchmarkFailure mismatch(int connection, int round, int index, byte actual) {
        return new BenchmarkFailure("echo mismatch on connection " + connection + ", round " + round + ", byte " + index
                + ": expected " + (at(connection, round, index) & 0xff) + " but got " + (actual & 0xff));
    }

}
