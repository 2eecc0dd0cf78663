package dev.socketconnector.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.management.JMException;
import javax.management.ObjectName;

/**
 * Reads this process's resident memory (from /proc), as it is and after trimming the
 * native heap, and the heap in use after a full GC.
 */
public final class MemoryProbe {

    /**
     * How long {@link #residentBytesTrimmed()} waits before it trims, in milliseconds,
     * unless the system property {@code benchmarks.idle.trimWaitMillis} says otherwise:
     * HotSpot's arena chunk pool (where a JIT compilation's memory goes when it ends) is
     * freed to the C heap by a task that runs every 5 s, and only freed memory can be
     * trimmed.
     */
    static final long TRIM_WAIT_MILLIS = 5500;

    private static final ObjectName DIAGNOSTIC_COMMAND = diagnosticCommand();

    static {
        // the platform MBean server and the command's MBean info are built by the first
        // call, a few hundred KB of heap: here, when the class is first used (by the
        // first heap read), so that the heap read before the connections open already
        // holds them
        trimNativeHeap();
    }

    private MemoryProbe() {
    }

    /**
     * The resident set size read both ways at one point: as it is, and with the native
     * heap trimmed.
     *
     * @param untrimmed bytes resident as {@link #residentBytesSettled()} reads them
     * @param trimmed bytes resident after {@link #residentBytesTrimmed()}, or -1 when
     * this JVM cannot trim its native heap
     */
    public record Resident(long untrimmed, long trimmed) {

    }

    /**
     * Reads the resident set size as it is (settled), then trimmed: the "after" point.
     * @return both reads
     * @throws BenchmarkFailure when /proc is not available (not Linux)
     */
    public static Resident resident() {
        long untrimmed = residentBytesSettled();
        return new Resident(untrimmed, residentBytesTrimmed());
    }

    /**
     * Reads the resident set size trimmed, as the baseline of both figures: the "before"
     * point. An untrimmed baseline would subtract whatever the allocators kept at that
     * moment (2-3 MB of compiler memory, often), and a trim made there for the trimmed
     * figure releases it before the "after" read: the untrimmed delta then read as low as
     * 1.4 KB per connection. From a trimmed baseline the untrimmed delta is the growth
     * with what the allocators keep at the "after" point, never below the trimmed one.
     * @return the trimmed read as both, or the settled read and -1 when this JVM cannot
     * trim
     * @throws BenchmarkFailure when /proc is not available (not Linux)
     */
    public static Resident baseline() {
        long trimmed = residentBytesTrimmed();
        return (trimmed >= 0) ? new Resident(trimmed, trimmed) : new Resident(residentBytesSettled(), -1);
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
     * Returns the resident set size once the native heap has been trimmed: waits
     * {@link #TRIM_WAIT_MILLIS} (HotSpot's arena chunk pool is freed meanwhile), asks the
     * JVM to give the C heap's free memory back to the system ({@code jcmd <pid>
     * System.trim_native_heap}, through the DiagnosticCommand MBean: glibc keeps memory a
     * JIT compilation freed resident until then), then reads {@code VmRSS}. What is left
     * is what the process holds, not what the allocator happened to keep.
     * @return bytes resident after the trim, or -1 when this JVM cannot trim (then the
     * reason is logged)
     * @throws BenchmarkFailure when /proc is not available (not Linux)
     */
    public static long residentBytesTrimmed() {
        try {
            Thread.sleep(Long.getLong("benchmarks.idle.trimWaitMillis", TRIM_WAIT_MILLIS));
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        return trimNativeHeap() ? residentBytes() : -1;
    }

    /**
     * Asks the JVM to trim its native heap (the diagnostic command
     * {@code System.trim_native_heap}, in JDK 17.0.9 and later, on glibc).
     * @return whether the JVM trimmed it; when not, the reason is logged
     */
    static boolean trimNativeHeap() {
        try {
            Object result = ManagementFactory.getPlatformMBeanServer()
                .invoke(DIAGNOSTIC_COMMAND, "systemTrimNativeHeap", new Object[0], new String[0]);
            String text = String.valueOf(result);
            if (text.contains("RSS")) {
                return true;
            }
            BenchmarkMain.log("the native heap was not trimmed: %s", text.trim());
        }
        catch (JMException | RuntimeException ex) {
            BenchmarkMain.log("the native heap cannot be trimmed on this JVM: %s", ex);
        }
        return false;
    }

    private static ObjectName diagnosticCommand() {
        try {
            return new ObjectName("com.sun.management:type=DiagnosticCommand");
        }
        catch (JMException ex) {
            throw new IllegalStateException(ex);
        }
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
