package dev.socketconnector;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link ManagedEndpoint} reconnects: immutable; {@link #DEFAULT},
 * {@link #builder()}, {@link #toBuilder()}.
 * <p>
 * Attempt n after a failure (n &gt;= 1) waits {@code initialBackoff × multiplier^(n-1)},
 * capped at {@code maxBackoff}, spread uniformly by ±{@code jitter}. A connection that
 * closes before {@code stableAfter} counts as a failed attempt; the count resets only
 * once a connection has stayed up {@code stableAfter}.
 */
public final class ReconnectPolicy {

    /** The default initial backoff: 1 s. */
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofSeconds(1);

    /** The default maximum backoff: 30 s. */
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(30);

    /** The default multiplier: 2.0. */
    public static final double DEFAULT_MULTIPLIER = 2.0;

    /** The default jitter: 0.2 (±20 %). */
    public static final double DEFAULT_JITTER = 0.2;

    /** The default time a connection must stay up before the backoff resets: 10 s. */
    public static final Duration DEFAULT_STABLE_AFTER = Duration.ofSeconds(10);

    /**
     * Every default: enabled, 1 s to 30 s, ×2, ±20 %, stable after 10 s, no offline
     * buffer.
     */
    public static final ReconnectPolicy DEFAULT = builder().build();

    private final boolean enabled;

    private final Duration initialBackoff;

    private final Duration maxBackoff;

    private final double multiplier;

    private final double jitter;

    private final Duration stableAfter;

    private final int offlineBufferSize;

    private ReconnectPolicy(Builder builder) {
        this.enabled = builder.enabled;
        this.initialBackoff = builder.initialBackoff;
        this.maxBackoff = builder.maxBackoff;
        this.multiplier = builder.multiplier;
        this.jitter = builder.jitter;
        this.stableAfter = builder.stableAfter;
        this.offlineBufferSize = builder.offlineBufferSize;
    }

    /**
     * {@return a builder with every default}
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * {@return a builder holding this policy's values}
     */
    public Builder toBuilder() {
        return new Builder().enabled(this.enabled)
            .initialBackoff(this.initialBackoff)
            .maxBackoff(this.maxBackoff)
            .multiplier(this.multiplier)
            .jitter(this.jitter)
            .stableAfter(this.stableAfter)
            .offlineBufferSize(this.offlineBufferSize);
    }

    /**
     * {@return whether the endpoint reconnects; when false a failure or close moves it to
     * STOPPED}
     */
    public boolean enabled() {
        return this.enabled;
    }

    /**
     * {@return the delay before the first attempt after a failure}
     */
    public Duration initialBackoff() {
        return this.initialBackoff;
    }

    /**
     * {@return the longest delay between attempts}
     */
    public Duration maxBackoff() {
        return this.maxBackoff;
    }

    /**
     * {@return the factor by which each further failed attempt lengthens the delay}
     */
    public double multiplier() {
        return this.multiplier;
    }

    /**
     * {@return the fraction by which each delay is spread, uniformly up or down}
     */
    public double jitter() {
        return this.jitter;
    }

    /**
     * {@return how long a connection must stay up before the backoff resets}
     */
    public Duration stableAfter() {
        return this.stableAfter;
    }

    /**
     * {@return how many bytes {@code write} accepts while not connected; 0 for none}
     */
    public int offlineBufferSize() {
        return this.offlineBufferSize;
    }

    /**
     * Returns the delay before attempt {@code attempt} after failures:
     * {@code initialBackoff ×
     * multiplier^(attempt-1)}, capped at {@code maxBackoff}, spread by the jitter.
     * @param attempt 1 or more
     * @param random a number in [0, 1) choosing the point in the jitter window
     * @return the delay, never negative
     */
    public Duration backoff(int attempt, double random) {
        double initial = this.initialBackoff.toNanos();
        double max = this.maxBackoff.toNanos();
        double delay = Math.min(max, initial * Math.pow(this.multiplier, Math.max(0, attempt - 1)));
        double jittered = delay * (1.0 + this.jitter * (2.0 * random - 1.0));
        return Duration.ofNanos((long) Math.max(0.0, jittered));
    }

    @Override
    public boolean equals(Object other) {
        return (other instanceof ReconnectPolicy that) && this.enabled == that.enabled
                && this.initialBackoff.equals(that.initialBackoff) && this.maxBackoff.equals(that.maxBackoff)
                && Double.compare(this.multiplier, that.multiplier) == 0
                && Double.compare(this.jitter, that.jitter) == 0 && this.stableAfter.equals(that.stableAfter)
                && this.offlineBufferSize == that.offlineBufferSize;
    }

    @Override
    public int hashCode() {
        return Objects.hash(this.enabled, this.initialBackoff, this.maxBackoff, this.multiplier, this.jitter,
                this.stableAfter, this.offlineBufferSize);
    }

    @Override
    public String toString() {
        return "ReconnectPolicy[enabled=" + this.enabled + ", initialBackoff=" + this.initialBackoff + ", maxBackoff="
                + this.maxBackoff + ", multiplier=" + this.multiplier + ", jitter=" + this.jitter + ", stableAfter="
                + this.stableAfter + ", offlineBufferSize=" + this.offlineBufferSize + "]";
    }

    /**
     * Builds a {@link ReconnectPolicy}; {@link #build()} validates and names the
     * offending setting.
     */
    public static final class Builder {

        private boolean enabled = true;

        private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;

        private Duration maxBackoff = DEFAULT_MAX_BACKOFF;

        private double multiplier = DEFAULT_MULTIPLIER;

        private double jitter = DEFAULT_JITTER;

        private Duration stableAfter = DEFAULT_STABLE_AFTER;

        private int offlineBufferSize;

        private Builder() {
        }

        /**
         * Sets whether the endpoint reconnects. Default true.
         * @param enabled whether to reconnect
         * @return this builder
         */
        public Builder enabled(boolean enabled) {
            this.enabled = enabled;
            return this;
        }

        /**
         * Sets the delay before the first attempt after a failure. Default
         * {@link #DEFAULT_INITIAL_BACKOFF}.
         * @param initialBackoff positive
         * @return this builder
         */
        public Builder initialBackoff(Duration initialBackoff) {
            this.initialBackoff = Objects.requireNonNull(initialBackoff, "initialBackoff");
            return this;
        }

        /**
         * Sets the longest delay. Default {@link #DEFAULT_MAX_BACKOFF}.
         * @param maxBackoff at least {@code initialBackoff}
         * @return this builder
         */
        public Builder maxBackoff(Duration maxBackoff) {
            this.maxBackoff = Objects.requireNonNull(maxBackoff, "maxBackoff");
            return this;
        }

        /**
         * Sets the factor between consecutive delays. Default
         * {@link #DEFAULT_MULTIPLIER}.
         * @param multiplier at least 1
         * @return this builder
         */
        public Builder multiplier(double multiplier) {
            this.multiplier = multiplier;
            return this;
        }

        /**
         * Sets the spread of each delay. Default {@link #DEFAULT_JITTER}.
         * @param jitter from 0 to 1
         * @return this builder
         */
        public Builder jitter(double jitter) {
            this.jitter = jitter;
            return this;
        }

        /**
         * Sets how long a connection must stay up before the backoff resets. Default
         * {@link #DEFAULT_STABLE_AFTER}.
         * @param stableAfter zero or positive
         * @return this builder
         */
        public Builder stableAfter(Duration stableAfter) {
            this.stableAfter = Objects.requireNonNull(stableAfter, "stableAfter");
            return this;
        }

        /**
         * Sets how many bytes {@code write} accepts while the endpoint is not connected.
         * Default 0: such a write returns -1.
         * @param offlineBufferSize zero or positive
         * @return this builder
         */
        public Builder offlineBufferSize(int offlineBufferSize) {
            this.offlineBufferSize = offlineBufferSize;
            return this;
        }

        /**
         * Builds the policy.
         * @return the policy
         * @throws IllegalArgumentException naming the setting when a value is out of
         * range
         */
        public ReconnectPolicy build() {
            if (this.initialBackoff.isNegative() || this.initialBackoff.isZero()) {
                throw new IllegalArgumentException("initialBackoff must be positive, was " + this.initialBackoff);
            }
            if (this.maxBackoff.compareTo(this.initialBackoff) < 0) {
                throw new IllegalArgumentException("maxBackoff must be at least initialBackoff (" + this.initialBackoff
                        + "), was " + this.maxBackoff);
            }
            if (!(this.multiplier >= 1.0) || Double.isInfinite(this.multiplier)) {
                throw new IllegalArgumentException("multiplier must be at least 1, was " + this.multiplier);
            }
            if (!(this.jitter >= 0.0 && this.jitter <= 1.0)) {
                throw new IllegalArgumentException("jitter must be between 0 and 1, was " + this.jitter);
            }
            if (this.stableAfter.isNegative()) {
                throw new IllegalArgumentException("stableAfter must not be negative, was " + this.stableAfter);
            }
            if (this.offlineBufferSize < 0) {
                throw new IllegalArgumentException(
                        "offlineBufferSize must not be negative, was " + this.offlineBufferSize);
            }
            return new ReconnectPolicy(this);
        }

    }

}
