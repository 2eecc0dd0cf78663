package dev.socketconnector.benchmarks;

/**
 * Thrown when a benchmark run fails: a refused connection, a short read, a byte that
 * differs, a timeout. A run that loses or corrupts a byte is a failed run, never a slow
 * one.
 */
public final class BenchmarkFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates a failure with a one-line message.
     * @param message what went wrong, on one line
     */
    public BenchmarkFailure(String message) {
        super(message);
    }

    /**
     * Creates a failure with a one-line message and its cause.
     * @param message what went wrong, on one line
     * @param cause the underlying error
     */
    public BenchmarkFailure(String message, Throwable cause) {
        super(message, cause);
    }

}
