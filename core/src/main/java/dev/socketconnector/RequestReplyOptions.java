package dev.socketconnector;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * Request/reply over a framed socket: the {@code requestReply} option of
 * {@link TcpSocketConnectOptions.Builder#requestReply(RequestReplyOptions)} and
 * {@link UnixSocketOptions.Builder#requestReply(RequestReplyOptions)}, which enables
 * {@link Socket#request(byte[])} and {@link ManagedEndpoint#request(byte[])}. It needs a
 * {@link Framing} other than {@link Framing#none()}: a request is one frame and its reply
 * is one frame.
 * <p>
 * <b>Matching.</b> Without a {@link Builder#correlationId(Function) correlationId}
 * (pipelined, the default) replies match pending requests in the order the requests were
 * written, even when many threads call {@code request} at once; every frame that arrives
 * while a request is pending is taken as its reply, so a protocol whose peer also pushes
 * frames of its own needs a correlation id. With a correlation id, the function is
 * applied to each request payload (it must return a non-null id, unique among the pending
 * requests) and to each received frame: a frame whose id matches a pending request is its
 * reply; any other frame (null id, or an id that matches nothing) goes to
 * {@link SocketHandler#data(Socket, byte[]) data}. Frames that complete a request never
 * reach {@code data}.
 * <p>
 * <b>Limits.</b> Each request has a {@link Builder#timeout(Duration) timeout}; at most
 * {@link Builder#maxInFlight(int) maxInFlight} requests are pending on one socket, and a
 * request beyond it fails at once: requests never queue without bound. A pipelined
 * request that timed out keeps its place (its reply still comes, and then goes to
 * {@code data}) and its slot until that reply arrives.
 * <p>
 * Immutable; {@link #DEFAULT}, {@link #builder()}, {@link #toBuilder()}.
 */
public final class RequestReplyOptions {

    /** The default timeout of each request: 30 s. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    /** The default limit of pending requests per socket: 1024. */
    public static final int DEFAULT_MAX_IN_FLIGHT = 1024;

    /** Every default: pipelined, 30 s per request, at most 1024 pending. */
    public static final RequestReplyOptions DEFAULT = builder().build();

    private final Duration timeout;

    private final int maxInFlight;

    private final @Nullable Function<byte[], @Nullable Object> correlationId;

    private RequestReplyOptions(Builder builder) {
        this.timeout = builder.timeout;
        this.maxInFlight = builder.maxInFlight;
        this.correlationId = builder.correlationId;
    }

    /**
     * {@return a builder with every default}
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * {@return a builder holding these options' values}
     */
    public Builder toBuilder() {
        Builder builder = new Builder().timeout(this.timeout).maxInFlight(this.maxInFlight);
        builder.correlationId = this.correlationId;
        return builder;
    }

    /**
     * {@return how long each request waits for its reply}
     */
    public Duration timeout() {
        return this.timeout;
    }

    /**
     * {@return the most requests pending on one socket at a time}
     */
    public int maxInFlight() {
        return this.maxInFlight;
    }

    /**
     * {@return the function that extracts a correlation id from a request or a frame, or
     * null when replies are matched in order (pipelined)}
     */
    public @Nullable Function<byte[], @Nullable Object> correlationId() {
        return this.correlationId;
    }

    @Override
    public boolean equals(Object other) {
        return (other instanceof RequestReplyOptions that) && this.timeout.equals(that.timeout)
                && this.maxInFlight == that.maxInFlight && Objects.equals(this.correlationId, that.correlationId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(this.timeout, this.maxInFlight, this.correlationId);
    }

    @Override
    public String toString() {
        return "RequestReplyOptions[timeout=" + this.timeout + ", maxInFlight=" + this.maxInFlight + ", "
                + ((this.correlationId != null) ? "correlationId" : "pipelined") + "]";
    }

    /**
     * Builds {@link RequestReplyOptions}; {@link #build()} validates and names the
     * offending setting.
     */
    public static final class Builder {

        private Duration timeout = DEFAULT_TIMEOUT;

        private int maxInFlight = DEFAULT_MAX_IN_FLIGHT;

        private @Nullable Function<byte[], @Nullable Object> correlationId;

        private Builder() {
        }

        /**
         * Sets how long each request waits for its reply before its future fails with a
         * {@link java.util.concurrent.TimeoutException}. Default
         * {@link #DEFAULT_TIMEOUT}.
         * @param timeout positive
         * @return this builder
         */
        public Builder timeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * Sets the most requests pending on one socket at a time; a request beyond it
         * fails at once with a {@link java.util.concurrent.RejectedExecutionException}.
         * Default {@link #DEFAULT_MAX_IN_FLIGHT}.
         * @param maxInFlight at least 1
         * @return this builder
         */
        public Builder maxInFlight(int maxInFlight) {
            this.maxInFlight = maxInFlight;
            return this;
        }

        /**
         * Matches replies by a correlation id instead of in order. The function runs on
         * the caller's thread for each request payload, where it must return a non-null
         * id (compared with {@code equals}), and on the socket's event loop for each
         * received frame, where null means "not a reply" (the frame goes to
         * {@code data}). It must be fast and must not block; an exception it throws for a
         * frame goes to the handler's {@code error} and the frame to {@code data}.
         * Default none: pipelined.
         * @param correlationId the id of a payload or frame, or null to match in order
         * @return this builder
         */
        public Builder correlationId(@Nullable Function<byte[], @Nullable Object> correlationId) {
            this.correlationId = correlationId;
            return this;
        }

        /**
         * Validates and builds the options.
         * @return the options
         * @throws IllegalArgumentException naming the setting when a value is out of
         * range
         */
        public RequestReplyOptions build() {
            if (this.timeout.isNegative() || this.timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, was " + this.timeout);
            }
            if (this.maxInFlight < 1) {
                throw new IllegalArgumentException("maxInFlight must be at least 1, was " + this.maxInFlight);
            }
            return new RequestReplyOptions(this);
        }

    }

}
