package dev.socketconnector.benchmarks;

import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;

/**
 * Reads what this process has spent: CPU time (all threads, user and system), and the
 * parts of it that a short run spends warming up rather than working. On a shared or
 * noisy machine the CPU a client spends per operation compares more steadily than
 * wall-clock rates; the compile time says how much of a run was JIT warm-up.
 */
final class CpuClock {

    private CpuClock() {
    }

    /**
     * Returns what the process has spent so far.
     * @return the reading
     */
    static Reading now() {
        return new Reading(processCpuNanos(), compileMillis(), gcMillis());
    }

    /** Returns the process CPU time in nanoseconds, or -1 when the JVM cannot tell. */
    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    /**
     * Returns the JIT compilers' accumulated time in milliseconds (HotSpot: the sum of
     * every compilation's elapsed time, all compiler threads), or -1 when the JVM does
     * not keep it.
     */
    static long compileMillis() {
        CompilationMXBean compilation = ManagementFactory.getCompilationMXBean();
        if (compilation == null || !compilation.isCompilationTimeMonitoringSupported()) {
            return -1;
        }
        return compilation.getTotalCompilationTime();
    }

    /**
     * Returns the collectors' accumulated collection time in milliseconds (G1: its
     * pauses, and its concurrent cycles on JDKs that count them), or -1 when no collector
     * tells.
     */
    private static long gcMillis() {
        long total = -1;
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            long time = collector.getCollectionTime();
            if (time >= 0) {
                total = Math.max(total, 0) + time;
            }
        }
        return total;
    }

    /**
     * What the process had spent at one instant; each field is -1 when the JVM cannot
     * tell.
     *
     * @param cpuNanos process CPU time, all threads
     * @param compileMillis JIT compile time ({@link #compileMillis()})
     * @param gcMillis collection time ({@link #gcMillis()})
     */
    record Reading(long cpuNanos, long compileMillis, long gcMillis) {

        /**
         * Returns the CPU nanoseconds spent since {@code start}, or -1 when either
         * reading lacks them.
         */
        long cpuNanosSince(Reading start) {
            return since(this.cpuNanos, start.cpuNanos);
        }

        /** Returns the compile milliseconds since {@code start}, or -1. */
        long compileMillisSince(Reading start) {
            return since(this.compileMillis, start.compileMillis);
        }

        /** Returns the collection milliseconds since {@code start}, or -1. */
        long gcMillisSince(Reading start) {
            return since(this.gcMillis, start.gcMillis);
        }

        private static long since(long now, long then) {
            return (now >= 0 && then >= 0) ? now - then : -1;
        }

    }

}
