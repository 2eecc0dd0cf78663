package dev.socketconnector;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Bounded waits on a condition for tests of every module: polls every 5 ms until the
 * condition holds or the limit passes, instead of a fixed sleep.
 */
public final class Await {

    private static final long POLL_MILLIS = 5;

    private Await() {
    }

    /**
     * Waits until {@code condition} holds, at most {@code within}, and fails with an
     * {@link AssertionError} naming {@code what} if it does not.
     * @param what what is awaited, for the failure message
     * @param within the limit
     * @param condition the condition
     * @throws InterruptedException if interrupted while waiting
     */
    public static void until(String what, Duration within, BooleanSupplier condition) throws InterruptedException {
        if (!poll(within, condition)) {
            throw new AssertionError("timed out after " + within + " waiting for " + what);
        }
    }

    /**
     * Waits until {@code condition} holds, at most {@code within}, and returns whether it
     * held; the caller asserts.
     * @param within the limit
     * @param condition the condition
     * @return whether the condition held within the limit
     * @throws InterruptedException if interrupted while waiting
     */
    public static boolean poll(Duration within, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(POLL_MILLIS);
        }
        return true;
    }

}
