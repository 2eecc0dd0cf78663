package dev.socketconnector.benchmarks;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * Parses a command's {@code --name value} and {@code --flag} options and returns them
 * typed.
 */
public final class BenchOptions {

    private static final Set<String> FLAGS = Set.of("tls", "insecure");

    private final Map<String, String> values;

    private BenchOptions(Map<String, String> values) {
        this.values = values;
    }

    /**
     * Parses options that follow the command name.
     * @param args the arguments after the command
     * @return the options
     * @throws IllegalArgumentException naming an option that has no value or is given
     * twice
     */
    public static BenchOptions parse(String[] args) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "' (options are --name value)");
            }
            String name = arg.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq > 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            else if (FLAGS.contains(name)) {
                value = "true";
            }
            else {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("option --" + name + " needs a value");
                }
                value = args[++i];
            }
            if (values.put(name, value) != null) {
                throw new IllegalArgumentException("option --" + name + " is given twice");
            }
        }
        return new BenchOptions(values);
    }

    /**
     * Returns a string option.
     * @param name the option name without dashes
     * @param defaultValue the value when absent
     * @return the value, or the default
     */
    public String string(String name, String defaultValue) {
        return this.values.getOrDefault(name, defaultValue);
    }

    /**
     * Returns a string option, or null when it is absent.
     * @param name the option name without dashes
     * @return the value, or null
     */
    public @Nullable String optional(String name) {
        return this.values.get(name);
    }

    /**
     * Returns a required string option.
     * @param name the option name without dashes
     * @return the value
     * @throws IllegalArgumentException naming the option when it is absent
     */
    public String required(String name) {
        String value = this.values.get(name);
        if (value == null) {
            throw new IllegalArgumentException("option --" + name + " is required");
        }
        return value;
    }

    /**
     * Returns a positive long option; accepts the suffixes k, m, g (powers of 1024) and,
     * for readability, underscores.
     * @param name the option name without dashes
     * @param defaultValue the value when absent, or -1 to make the option required
     * @return the value
     * @throws IllegalArgumentException naming the option when it is absent, malformed or
     * not positive
     */
    public long size(String name, long defaultValue) {
        String text = this.values.get(name);
        if (text == null) {
            if (defaultValue < 0) {
                throw new IllegalArgumentException("option --" + name + " is required");
            }
            return defaultValue;
        }
        String t = text.trim().toLowerCase(java.util.Locale.ROOT).replace("_", "");
        long multiplier = 1;
        if (t.endsWith("k") || t.endsWith("m") || t.endsWith("g")) {
            char unit = t.charAt(t.length() - 1);
            multiplier = unit == 'k' ? 1024L : unit == 'm' ? 1024L * 1024 : 1024L * 1024 * 1024;
            t = t.substring(0, t.length() - 1);
        }
        long value;
        try {
            value = Math.multiplyExact(Long.parseLong(t), multiplier);
        }
        catch (NumberFormatException | ArithmeticException ex) {
            throw new IllegalArgumentException("option --" + name + " must be a number (was '" + text + "')");
        }
        if (value <= 0) {
            throw new IllegalArgumentException("option --" + name + " must be positive (was '" + text + "')");
        }
        return value;
    }

    /**
     * Returns a positive int option; see {@link #size(String, long)}.
     * @param name the option name without dashes
     * @param defaultValue the value when absent, or -1 to make the option required
     * @return the value
     * @throws IllegalArgumentException naming the option when it is absent, malformed,
     * not positive or too large
     */
    public int intSize(String name, int defaultValue) {
        long value = size(name, defaultValue);
        if (value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("option --" + name + " must be at most " + Integer.MAX_VALUE);
        }
        return (int) value;
    }

    /**
     * Returns whether a flag is present.
     * @param name the flag name without dashes
     * @return true when given
     */
    public boolean flag(String name) {
        String value = this.values.get(name);
        return value != null && !"false".equals(value);
    }

    /**
     * Returns the connection target: {@code --unix PATH} or {@code --host H --port P}.
     * @param unixAllowed whether the command accepts {@code --unix}
     * @return the target
     */
    public Target target(boolean unixAllowed) {
        String unix = this.values.get("unix");
        if (unix != null) {
            if (!unixAllowed) {
                throw new IllegalArgumentException("option --unix is not supported by this command");
            }
            return new Target(null, -1, unix);
        }
        int port = intSize("port", -1);
        if (port > 65535) {
            throw new IllegalArgumentException("option --port must be between 1 and 65535 (was " + port + ")");
        }
        return new Target(string("host", "127.0.0.1"), port, null);
    }

    /**
     * Where a client connects: a host and port, or a unix socket path.
     *
     * @param host the host, null for a unix socket
     * @param port the port, -1 for a unix socket
     * @param unix the unix socket path, null for TCP
     */
    public record Target(@Nullable String host, int port, @Nullable String unix) {

        @Override
        public String toString() {
            return this.unix != null ? "unix:" + this.unix : this.host + ":" + this.port;
        }
    }

}
