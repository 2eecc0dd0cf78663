package dev.socketconnector.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads this process's resident memory (from /proc) and the heap in use after a full GC.
 */
public final class MemoryProbe {

    private MemoryProbe() {
    }

    /**
     * Runs full GCs until the heap in use stops shrinking (at most five) and returns it.
     * @return bytes of heap in use
     */
    public static long heapAfterFullGc() {
        long previous = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            try {
                Thread.sleep(100);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                break;
            }
            long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            if (used >= previous) {
                return used;
            }
            previous = used;
        }
        return previous;
    }

    /**
     * Returns the resident set size of this process.
     * @return bytes resident, from {@code VmRSS} in /proc/self/status
     * @throws BenchmarkFailure when /proc is not available (not Linux)
     */
    public static long residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    String kb = line.substring(6).trim().split("\\s+")[0];
                    return Long.parseLong(kb) * 1024;
                }
            }
        }
        catch (IOException | RuntimeException ex) {
            throw new BenchmarkFailure("cannot read VmRSS from /proc/self/status: " + ex, ex);
        }
        throw new BenchmarkFailure("no VmRSS line in /proc/self/status");
    }

}
