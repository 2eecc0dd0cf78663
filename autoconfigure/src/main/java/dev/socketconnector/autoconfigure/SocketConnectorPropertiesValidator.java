package dev.socketconnector.autoconfigure;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.socketconnector.TlsOptions;
import dev.socketconnector.autoconfigure.SocketConnectorProperties.Endpoint;
import dev.socketconnector.autoconfigure.SocketConnectorProperties.Reconnect;
import dev.socketconnector.autoconfigure.SocketConnectorProperties.RequestReply;
import dev.socketconnector.autoconfigure.SocketConnectorProperties.Tls;
import org.jspecify.annotations.Nullable;

import org.springframework.util.StringUtils;
import org.springframework.util.unit.DataSize;

/**
 * Checks {@link SocketConnectorProperties} before anything is built, so a bad value fails
 * startup with its full property path and the allowed values instead of a builder's
 * message.
 */
final class SocketConnectorPropertiesValidator {

    /** The longest unix socket path Linux accepts, in bytes. */
    private static final int MAX_UNIX_PATH_BYTES = 107;

    private static final String PREFIX = SocketConnectorProperties.PREFIX;

    private SocketConnectorPropertiesValidator() {
    }

    /**
     * Checks every property.
     * @param properties the properties
     * @throws InvalidSocketConnectorPropertyException for the first invalid value
     */
    static void validate(SocketConnectorProperties properties) {
        if (properties.getEventLoopThreads() < 0) {
            throw invalid(PREFIX + ".event-loop-threads", properties.getEventLoopThreads(), "must not be negative",
                    "0 (one per core) or a positive number of threads");
        }
        positive(PREFIX + ".connect-timeout", properties.getConnectTimeout());
        if (properties.getConnectTimeout().toMillis() > Integer.MAX_VALUE) {
            throw invalid(PREFIX + ".connect-timeout", properties.getConnectTimeout(), "is too long",
                    "a duration of at most " + Integer.MAX_VALUE + "ms");
        }
        notNegative(PREFIX + ".shutdown-timeout", properties.getShutdownTimeout());
        notNegative(PREFIX + ".keep-alive.initial-delay", properties.getKeepAlive().getInitialDelay());
        DataSize low = properties.getWriteBuffer().getLowWaterMark();
        DataSize high = properties.getWriteBuffer().getHighWaterMark();
        bytes(PREFIX + ".write-buffer.low-water-mark", low);
        bytes(PREFIX + ".write-buffer.high-water-mark", high);
        if (high.toBytes() < low.toBytes()) {
            throw invalid(PREFIX + ".write-buffer.high-water-mark", high,
                    "must not be below write-buffer.low-water-mark (" + low + ")",
                    "a size of at least socket.connector.write-buffer.low-water-mark");
        }
        tls(PREFIX + ".tls", properties.getTls());
        for (Map.Entry<String, Endpoint> entry : properties.getEndpoints().entrySet()) {
            endpoint(entry.getKey(), entry.getValue());
        }
    }

    private static void endpoint(String name, Endpoint endpoint) {
        String prefix = PREFIX + ".endpoints." + name;
        if (!StringUtils.hasText(name) || "none".equals(name)) {
            throw problem(prefix, null,
                    "'" + name + "' cannot name an endpoint ('none' tags sockets opened " + "without one)",
                    "Choose another name under socket.connector.endpoints.");
        }
        boolean hasHostname = StringUtils.hasText(endpoint.getHostname());
        boolean hasUnix = StringUtils.hasText(endpoint.getUnix());
        if (hasHostname && hasUnix) {
            throw problem(prefix + ".unix", endpoint.getUnix(), "both hostname and unix are set",
                    "Set either '" + prefix + ".hostname' and '" + prefix + ".port' for TCP, or '" + prefix
                            + ".unix' for a unix domain socket, not both.");
        }
        if (!hasHostname && !hasUnix) {
            throw problem(prefix + ".hostname", null, "the endpoint has no address",
                    "Set '" + prefix + ".hostname' and '" + prefix + ".port' for TCP, or '" + prefix
                            + ".unix' for a unix domain socket.");
        }
        Integer port = endpoint.getPort();
        if (hasHostname) {
            if (port == null) {
                throw invalid(prefix + ".port", null, "a TCP endpoint needs a port", "a port between 1 and 65535");
            }
            if (port < 1 || port > 65535) {
                throw invalid(prefix + ".port", port, "port out of range", "a port between 1 and 65535");
            }
        }
        else {
            if (port != null) {
                throw problem(prefix + ".port", port, "a unix socket endpoint has no port",
                        "Remove '" + prefix + ".port', or use hostname and port instead of unix.");
            }
            String unix = Objects.requireNonNull(endpoint.getUnix(), "unix");
            int length = unix.getBytes(StandardCharsets.UTF_8).length;
            if (length > MAX_UNIX_PATH_BYTES) {
                throw invalid(prefix + ".unix", endpoint.getUnix(), "the path is " + length + " bytes long",
                        "a path of at most " + MAX_UNIX_PATH_BYTES + " bytes");
            }
        }
        tls(prefix + ".tls", endpoint.getTls());
        reconnect(prefix + ".reconnect", endpoint.getReconnect());
        long offline = endpoint.getOfflineBufferSize().toBytes();
        if (offline < 0 || offline > Integer.MAX_VALUE) {
            throw invalid(prefix + ".offline-buffer-size", endpoint.getOfflineBufferSize(), "must be between 0 and 2GB",
                    "a size such as 0 (writes while disconnected return -1) or 64KB");
        }
        requestReply(prefix + ".request-reply", endpoint.getRequestReply());
    }

    private static void requestReply(String prefix, RequestReply requestReply) {
        Duration timeout = requestReply.getTimeout();
        if (timeout != null) {
            positive(prefix + ".timeout", timeout);
        }
        Integer maxInFlight = requestReply.getMaxInFlight();
        if (maxInFlight != null && maxInFlight < 1) {
            throw invalid(prefix + ".max-in-flight", maxInFlight, "must be at least 1",
                    "a number of requests of at least 1, such as 1024");
        }
    }

    private static void reconnect(String prefix, Reconnect reconnect) {
        positive(prefix + ".initial-backoff", reconnect.getInitialBackoff());
        positive(prefix + ".max-backoff", reconnect.getMaxBackoff());
        if (reconnect.getMaxBackoff().compareTo(reconnect.getInitialBackoff()) < 0) {
            throw invalid(prefix + ".max-backoff", reconnect.getMaxBackoff(),
                    "must not be below initial-backoff (" + reconnect.getInitialBackoff() + ")",
                    "a duration of at least '" + prefix + ".initial-backoff'");
        }
        if (!(reconnect.getMultiplier() >= 1.0) || Double.isInfinite(reconnect.getMultiplier())) {
            throw invalid(prefix + ".multiplier", reconnect.getMultiplier(), "must be at least 1",
                    "a finite number of at least 1 (1 keeps the delay constant)");
        }
        if (!(reconnect.getJitter() >= 0.0 && reconnect.getJitter() <= 1.0)) {
            throw invalid(prefix + ".jitter", reconnect.getJitter(), "must be between 0 and 1",
                    "a number from 0 (no jitter) to 1");
        }
        notNegative(prefix + ".stable-after", reconnect.getStableAfter());
    }

    private static void tls(String prefix, Tls tls) {
        version(prefix + ".min-version", tls.getMinVersion());
        version(prefix + ".max-version", tls.getMaxVersion());
        if (tls.getMinVersion() != null && tls.getMaxVersion() != null
                && tls.getMinVersion().compareTo(tls.getMaxVersion()) > 0) {
            throw invalid(prefix + ".max-version", tls.getMaxVersion(),
                    "is below min-version (" + tls.getMinVersion() + ")",
                    "a version of at least '" + prefix + ".min-version'");
        }
        if (tls.getBundle() != null && !StringUtils.hasText(tls.getBundle())) {
            throw invalid(prefix + ".bundle", tls.getBundle(), "must not be blank",
                    "the name of a spring.ssl.bundle.* bundle");
        }
        noBlankEntry(prefix + ".alpn", tls.getAlpn());
        protocolNames(prefix + ".alpn", tls.getAlpn());
        noBlankEntry(prefix + ".ciphers", tls.getCiphers());
    }

    private static void version(String property, @Nullable String version) {
        if (version != null && !TlsOptions.VERSIONS.contains(version)) {
            throw invalid(property, version, "unknown TLS version",
                    "one of " + String.join(", ", TlsOptions.VERSIONS.stream().sorted().toList()));
        }
    }

    private static void noBlankEntry(String property, @Nullable List<String> values) {
        if (values != null && values.stream().anyMatch((value) -> !StringUtils.hasText(value))) {
            throw invalid(property, values, "contains an empty entry", "a list of non-empty names");
        }
    }

    private static void protocolNames(String property, @Nullable List<String> names) {
        if (names != null && names.stream()
            .anyMatch((name) -> name.length() > 255 || !name.chars().allMatch((c) -> c > 0x20 && c < 0x7f))) {
            throw invalid(property, names, "contains a name that is not 1 to 255 printable ASCII characters",
                    "ALPN protocol names such as h2 or http/1.1");
        }
    }

    private static void positive(String property, Duration duration) {
        if (duration.isNegative() || duration.isZero()) {
            throw invalid(property, duration, "must be positive", "a positive duration, such as 500ms or 10s");
        }
    }

    private static void notNegative(String property, Duration duration) {
        if (duration.isNegative()) {
            throw invalid(property, duration, "must not be negative", "0 or a positive duration, such as 10s");
        }
    }

    private static void bytes(String property, DataSize size) {
        if (size.toBytes() < 1 || size.toBytes() > Integer.MAX_VALUE) {
            throw invalid(property, size, "out of range", "a size from 1B to " + Integer.MAX_VALUE + "B");
        }
    }

    private static InvalidSocketConnectorPropertyException problem(String property, @Nullable Object value,
            String reason, String action) {
        return new InvalidSocketConnectorPropertyException(property, value, reason, action);
    }

    private static InvalidSocketConnectorPropertyException invalid(String property, @Nullable Object value,
            String reason, String allowed) {
        return new InvalidSocketConnectorPropertyException(property, value, reason,
                "Update your application's configuration: set '" + property + "' to " + allowed + ".");
    }

}
