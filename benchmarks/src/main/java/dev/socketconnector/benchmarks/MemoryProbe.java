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
     * Keeps the idle connections open for the seconds given by the system property
     * {@code benchmarks.idle.holdSeconds} (default 0: returns at once), so a heap
     * histogram ({@code jcmd <pid> GC.class_histogram}) or a heap dump can be taken while
     * they are held. Logs the process id to stderr first.
     */
    public static void holdIfAsked() {
        hold("benchmarks.idle.holdSeconds", "holding the idle connections");
    }

    /**
     * Pauses at the "before" point (after the warm-up and its full GC, before the idle
     * connections open) for the seconds given by the system property
     * {@code benchmarks.idle.holdBeforeSeconds} (default 0: returns at once), so the
     * process's memory can be read there too (a native-memory baseline,
     * {@code /proc/<pid>/smaps}). Logs the process id to stderr first.
     */
    public static void holdBeforeIfAsked() {
        hold("benchmarks.idle.holdBeforeSeconds", "holding before the idle connections open");
    }

    private static void hold(String property, String what) {
        long seconds = Long.getLong(property, 0);
        if (seconds <= 0) {
            return;
        }
        BenchmarkMain.log("%s for %d s (pid %d)", what, seconds, ProcessHandle.current().pid());
        try {
            Thread.sleep(seconds * 1000);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Returns the resident set size once it has settled: reads {@code VmRSS} every 100 ms
     * until two reads in a row differ by at most 64 KiB (at most 20 reads, 2 s), so
     * memory still being touched after the last connection opened (a JIT compilation
     * finishing, an allocator arena) is counted where it belongs rather than at a random
     * point.
     * @return bytes resident, the last of the reads
     * @throws BenchmarkFailure when /proc is not available (not Linux)
     */
    public static long residentBytesSettled() {
        long previous = residentBytes();
        for (int i = 0; i < 20; i++) {
            try {
                Thread.sleep(100);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                break;
            }
            long current = residentBytes();
            if (Math.abs(current - previous) <= 64 * 1024) {
                return current;
            }
            previous = current;
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
