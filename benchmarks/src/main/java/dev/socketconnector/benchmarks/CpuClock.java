package dev.socketconnector.benchmarks;

import java.lang.management.ManagementFactory;

/**
 * Reads the CPU time this process has used (all threads, user and system): on a shared or
 * noisy machine the CPU a client spends per operation compares more steadily than
 * wall-clock rates.
 */
final class CpuClock {

    private CpuClock() {
    }

    /** Returns the process CPU time in nanoseconds, or -1 when the JVM cannot tell. */
    static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

}
