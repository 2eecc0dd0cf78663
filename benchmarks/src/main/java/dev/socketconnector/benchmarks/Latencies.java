package dev.socketconnector.benchmarks;

import java.util.Arrays;

/**
 * Merges per-connection round-trip times (nanoseconds) and returns percentiles in
 * microseconds.
 */
public final class Latencies {

    private final long[] sorted;

    /**
     * Merges and sorts the recorded round-trip times.
     * @param perConnection one array of nanosecond round-trip times per connection
     */
    public Latencies(long[][] perConnection) {
        int total = 0;
        for (long[] times : perConnection) {
            total += times.length;
        }
        this.sorted = new long[total];
        int at = 0;
        for (long[] times : perConnection) {
            System.arraycopy(times, 0, this.sorted, at, times.length);
            at += times.length;
        }
        Arrays.sort(this.sorted);
    }

    /**
     * Returns a percentile (nearest rank) in microseconds.
     * @param percentile between 0 (exclusive) and 100
     * @return the round-trip time in microseconds, 0 when nothing was recorded
     */
    public double percentileMicros(double percentile) {
        if (this.sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(percentile / 100.0 * this.sorted.length);
        return this.sorted[Math.max(0, Math.min(this.sorted.length - 1, rank - 1))] / 1000.0;
    }

}
