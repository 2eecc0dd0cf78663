package dev.socketconnector;

import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;

/**
 * Validation shared by the options builders; every message names the option.
 */
final class Options {

    /** The longest unix socket path Linux accepts, in bytes ({@code sun_path} is 108 bytes with its NUL). */
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
        required(hostname, "hostname");
        String trimmed = hostname.strip();
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

    static String validUnixPath(@Nullable String unix) {
        required(unix, "unix");
        if (unix.isEmpty()) {
            throw new IllegalArgumentException("unix must not be empty");
        }
        if (unix.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("unix must not contain a NUL character");
        }
        int length = unix.getBytes(StandardCharsets.UTF_8).length;
        if (length > MAX_UNIX_PATH_BYTES) {
            throw new IllegalArgumentException("unix must be at most " + MAX_UNIX_PATH_BYTES
                    + " bytes long (was " + length + ")");
        }
        return unix;
    }
}
