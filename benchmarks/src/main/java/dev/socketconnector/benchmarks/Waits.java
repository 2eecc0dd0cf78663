package dev.socketconnector.benchmarks;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Waits on futures with a bound and turns every failure into a {@link BenchmarkFailure}
 * with a one-line message.
 */
final class Waits {

    private Waits() {
    }

    static <T> T await(Future<T> future, Duration timeout, Supplier<String> what) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (ExecutionException ex) {
            Throwable cause = ex.getCause() != null ? ex.getCause() : ex;
            if (cause instanceof BenchmarkFailure failure) {
                throw failure;
            }
            throw new BenchmarkFailure(what.get() + " failed: " + BenchmarkMain.oneLine(cause), cause);
        }
        catch (TimeoutException ex) {
            throw new BenchmarkFailure(what.get() + " timed out after " + timeout.toSeconds() + " s");
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new BenchmarkFailure(what.get() + " was interrupted", ex);
        }
    }

    static BenchmarkFailure failure(String message, Throwable cause) {
        if (cause instanceof BenchmarkFailure failure) {
            return failure;
        }
        return new BenchmarkFailure(message + ": " + BenchmarkMain.oneLine(cause), cause);
    }

    static <T> CompletableFuture<T> failed(CompletableFuture<T> future, String message, Throwable cause) {
        future.completeExceptionally(failure(message, cause));
        return future;
    }

}
