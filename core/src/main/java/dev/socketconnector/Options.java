package dev.socketconnector;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Validation shared by the options builders; every message names the option.
 */
final class Options {

    /**
     * The longest unix socket path Linux accepts, in bytes ({@code sun_path} is 108 bytes
     * with its NUL).
     */
    static final int MAX_UNIX_PATH_BYTES = 107;

    private Options() {
    }

    static <T> T required(@Nullable T value, String option) {
        if (value == null) {
            throw new IllegalArgumentException(option + " is required");
        }
        return value;
    }

    static String validHostname(@Nullable String hostname) {
        String trimmed = required(hostname, "hostname").strip();
        if (trimmed.isEmpty()) {
            throw new IllegalArgumentException("hostname must not be empty");
        }
        if (trimmed.startsWith("[") && trimmed.endsWith("]")) {
            trimmed = trimmed.substring(1, trimmed.length() - 1);
        }
        if (trimmed.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("hostname must not contain a NUL character");
        }
        return trimmed;
    }

    static void validPort(int port) {
        if (port == -1) {
            throw new IllegalArgumentException("port is required");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be between 1 and 65535 (was " + port + ")");
        }
    }

    static String validUnixPath(@Nullable String path) {
        String unix = required(path, "unix");
        if (unix.isEmpty()) {
            throw new IllegalArgumentException("unix must not be empty");
        }
        if (unix.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("unix must not contain a NUL character");
        }
        int length = unix.getBytes(StandardCharsets.UTF_8).length;
        if (length > MAX_UNIX_PATH_BYTES) {
            throw new IllegalArgumentException(
                    "unix must be at most " + MAX_UNIX_PATH_BYTES + " bytes long (was " + length + ")");
        }
        return unix;
    }

    /**
     * Checks the TLS fields that need no material: ALPN names, versions and ciphers.
     * @param alpn the ALPN names or null
     * @param minVersion the lowest version or null
     * @param maxVersion the highest version or null
     * @param ciphers the ciphers or null
     */
    static void validTlsRules(@Nullable List<String> alpn, @Nullable String minVersion, @Nullable String maxVersion,
            @Nullable List<String> ciphers) {
        if (alpn != null) {
            if (alpn.isEmpty()) {
                throw new IllegalArgumentException("alpnProtocols must not be empty");
            }
            for (String name : alpn) {
                if (name.isEmpty() || name.length() > 255 || !name.chars().allMatch((c) -> c > 0x20 && c < 0x7f)) {
                    throw new IllegalArgumentException(
                            "alpnProtocols must be 1 to 255 printable ASCII characters" + " each (was '" + name + "')");
                }
            }
        }
        validTlsVersion(minVersion, "minVersion");
        validTlsVersion(maxVersion, "maxVersion");
        if (minVersion != null && maxVersion != null && minVersion.compareTo(maxVersion) > 0) {
            throw new IllegalArgumentException(
                    "minVersion " + minVersion + " must not be above maxVersion " + maxVersion);
        }
        if (ciphers != null) {
            if (ciphers.isEmpty()) {
                throw new IllegalArgumentException("ciphers must not be empty");
            }
            for (String cipher : ciphers) {
                if (cipher.isBlank()) {
                    throw new IllegalArgumentException("ciphers must not contain a blank name");
                }
            }
        }
    }

    private static void validTlsVersion(@Nullable String version, String option) {
        if (version != null && !TlsOptions.VERSIONS.contains(version)) {
            throw new IllegalArgumentException(
                    option + " must be one of " + List.of("TLSv1.2", "TLSv1.3") + " (was '" + version + "')");
        }
    }

    // ---- readIdleTimeout and heartbeat (issue 16) ----

    /** The longest read-idle timeout and heartbeat interval: about 24.8 days. */
    static final Duration MAX_IDLE = Duration.ofMillis(Integer.MAX_VALUE);

    /**
     * Checks a read-idle timeout: zero (off) or 1 ms to {@link #MAX_IDLE}.
     * @param timeout the timeout, or null when unset
     */
    static void validReadIdleTimeout(@Nullable Duration timeout) {
        if (timeout != null && (timeout.isNegative() || (!timeout.isZero() && timeout.toMillis() < 1)
                || timeout.compareTo(MAX_IDLE) > 0)) {
            throw new IllegalArgumentException("readIdleTimeout must be zero (off) or between 1 ms and "
                    + MAX_IDLE.toMillis() + " ms (was " + timeout + ")");
        }
    }

    /**
     * Checks a heartbeat: an interval of zero (off), or of 1 ms to {@link #MAX_IDLE} with
     * a payload of at least one byte.
     * @param interval the interval, or null when unset
     * @param payload the payload, or null when unset
     */
    static void validHeartbeat(@Nullable Duration interval, byte @Nullable [] payload) {
        if (interval == null) {
            return;
        }
        if (interval.isNegative() || (!interval.isZero() && interval.toMillis() < 1)
                || interval.compareTo(MAX_IDLE) > 0) {
            throw new IllegalArgumentException("heartbeat interval must be zero (off) or between 1 ms and "
                    + MAX_IDLE.toMillis() + " ms (was " + interval + ")");
        }
        if (!interval.isZero() && (payload == null || payload.length == 0)) {
            throw new IllegalArgumentException("heartbeat payload must not be empty");
        }
    }

}
