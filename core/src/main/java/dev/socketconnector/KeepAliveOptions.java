package dev.socketconnector;

import java.time.Duration;
import java.util.Objects;

/**
 * TCP keep-alive and TCP_USER_TIMEOUT for every TCP socket of a connector
 * ({@link SocketConnectorBuilder#keepAlive(KeepAliveOptions)}): immutable;
 * {@link #DISABLED}, {@link #builder()}, {@link #toBuilder()}.
 * <p>
 * When enabled, SO_KEEPALIVE is set with TCP_KEEPIDLE ({@link #idle()}), TCP_KEEPINTVL
 * ({@link #interval()}) and TCP_KEEPCNT ({@link #count()}) on every transport (NIO
 * through the JDK's {@code jdk.net.ExtendedSocketOptions}). The defaults are Bun's:
 * probes after 1 s idle, every 1 s, 10 of them. A peer that stops answering is then found
 * after about {@code idle + interval × count} on a quiet connection; with data in flight
 * the kernel's retransmissions decide (about 15 minutes on Linux) unless
 * {@link #userTimeout()} is set.
 * <p>
 * {@link #userTimeout()} sets TCP_USER_TIMEOUT on epoll and io_uring: how long sent data
 * may stay unacknowledged before the kernel closes the connection with {@code ETIMEDOUT};
 * it applies whether or not keep-alive is enabled. The JDK has no such option, so a
 * connector on NIO with a user timeout fails to build; use {@code readIdleTimeout} with a
 * {@code heartbeat} there.
 */
public final class KeepAliveOptions {

    /** The default idle time before the first probe: 1 s (Bun's). */
    public static final Duration DEFAULT_IDLE = Duration.ofSeconds(1);

    /** The default time between probes: 1 s (Bun's). */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);

    /**
     * The default number of unanswered probes before the connection is dropped: 10
     * (Bun's).
     */
    public static final int DEFAULT_COUNT = 10;

    /** The default user timeout: zero, the kernel's own (none). */
    public static final Duration DEFAULT_USER_TIMEOUT = Duration.ZERO;

    /** The longest idle and interval Linux accepts: 32767 s. */
    static final long MAX_SECONDS = 32767;

    /** The largest probe count Linux accepts: 127. */
    static final int MAX_COUNT = 127;

    /** Keep-alive off and no user timeout: the connector's default. */
    public static final KeepAliveOptions DISABLED = builder().build();

    private final boolean enabled;

    private final Duration idle;

    private final Duration interval;

    private final int count;

    private final Duration userTimeout;

    private KeepAliveOptions(Builder builder) {
        this.enabled = builder.enabled;
        this.idle = builder.idle;
        this.interval = builder.interval;
        this.count = builder.count;
        this.userTimeout = builder.userTimeout;
    }

    /**
     * Returns a builder with every setting at its default (disabled).
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * {@return a builder holding these settings}
     */
    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.enabled = this.enabled;
        builder.idle = this.idle;
        builder.interval = this.interval;
        builder.count = this.count;
        builder.userTimeout = this.userTimeout;
        return builder;
    }

    /**
     * {@return whether SO_KEEPALIVE is set}
     */
    public boolean enabled() {
        return this.enabled;
    }

    /**
     * {@return the idle time before the first probe (TCP_KEEPIDLE), whole seconds}
     */
    public Duration idle() {
        return this.idle;
    }

    /**
     * {@return the time between probes (TCP_KEEPINTVL), whole seconds}
     */
    public Duration interval() {
        return this.interval;
    }

    /**
     * {@return the number of unanswered probes before the connection is dropped
     * (TCP_KEEPCNT)}
     */
    public int count() {
        return this.count;
    }

    /**
     * {@return how long sent data may stay unacknowledged (TCP_USER_TIMEOUT), zero for
     * the kernel's default; epoll and io_uring only}
     */
    public Duration userTimeout() {
        return this.userTimeout;
    }

    @Override
    public boolean equals(Object other) {
        return (other instanceof KeepAliveOptions that) && this.enabled == that.enabled && this.idle.equals(that.idle)
                && this.interval.equals(that.interval) && this.count == that.count
                && this.userTimeout.equals(that.userTimeout);
    }

    @Override
    public int hashCode() {
        return Objects.hash(this.enabled, this.idle, this.interval, this.count, this.userTimeout);
    }

    @Override
    public String toString() {
        return "KeepAliveOptions[enabled=" + this.enabled + ", idle=" + this.idle + ", interval=" + this.interval
                + ", count=" + this.count + ", userTimeout=" + this.userTimeout + "]";
    }

    /**
     * Builds {@link KeepAliveOptions}; {@link #build()} validates and names the setting
     * that is invalid.
     */
    public static final class Builder {

        private boolean enabled;

        private Duration idle = DEFAULT_IDLE;

        private Duration interval = DEFAULT_INTERVAL;

        private int count = DEFAULT_COUNT;

        private Duration userTimeout = DEFAULT_USER_TIMEOUT;

        private Builder() {
        }

        /**
         * Sets whether SO_KEEPALIVE is set on new TCP sockets (default false).
         * @param enabled whether to enable keep-alive
         * @return this builder
         */
        public Builder enabled(boolean enabled) {
            this.enabled = enabled;
            return this;
        }

        /**
         * Sets the idle time before the first probe (default 1 s): whole seconds, 1 s to
         * 32767 s.
         * @param idle the idle time
         * @return this builder
         */
        public Builder idle(Duration idle) {
            this.idle = Objects.requireNonNull(idle, "idle");
            return this;
        }

        /**
         * Sets the time between probes (default 1 s): whole seconds, 1 s to 32767 s.
         * @param interval the interval
         * @return this builder
         */
        public Builder interval(Duration interval) {
            this.interval = Objects.requireNonNull(interval, "interval");
            return this;
        }

        /**
         * Sets the number of unanswered probes before the connection is dropped (default
         * 10): 1 to 127.
         * @param count the count
         * @return this builder
         */
        public Builder count(int count) {
            this.count = count;
            return this;
        }

        /**
         * Sets TCP_USER_TIMEOUT (default zero: the kernel's default): how long sent data
         * (or keep-alive probes) may stay unacknowledged before the connection closes
         * with {@code ETIMEDOUT}; zero or 1 ms to {@value Integer#MAX_VALUE} ms, rounded
         * down to milliseconds. Applies whether or not keep-alive is enabled; epoll and
         * io_uring only (a connector on NIO with a user timeout fails to build).
         * @param userTimeout the user timeout, zero for none
         * @return this builder
         */
        public Builder userTimeout(Duration userTimeout) {
            this.userTimeout = Objects.requireNonNull(userTimeout, "userTimeout");
            return this;
        }

        /**
         * Validates and builds the settings.
         * @return the settings
         * @throws IllegalArgumentException naming the setting that is invalid
         */
        public KeepAliveOptions build() {
            wholeSeconds(this.idle, "idle");
            wholeSeconds(this.interval, "interval");
            if (this.count < 1 || this.count > MAX_COUNT) {
                throw new IllegalArgumentException(
                        "count must be between 1 and " + MAX_COUNT + " (was " + this.count + ")");
            }
            if (this.userTimeout.isNegative() || (!this.userTimeout.isZero() && this.userTimeout.toMillis() < 1)
                    || this.userTimeout.compareTo(Duration.ofMillis(Integer.MAX_VALUE)) > 0) {
                throw new IllegalArgumentException(
                        "userTimeout must be zero (the kernel's default) or between 1 ms and " + Integer.MAX_VALUE
                                + " ms (was " + this.userTimeout + ")");
            }
            return new KeepAliveOptions(this);
        }

        private static void wholeSeconds(Duration value, String setting) {
            if (value.getNano() != 0 || value.getSeconds() < 1 || value.getSeconds() > MAX_SECONDS) {
                throw new IllegalArgumentException(
                        setting + " must be whole seconds between 1 s and " + MAX_SECONDS + " s (was " + value + ")");
            }
        }

    }

}
