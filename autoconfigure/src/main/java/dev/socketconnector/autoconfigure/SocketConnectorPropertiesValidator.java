package dev.socketconnector.autoconfigure;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import dev.socketconnector.TlsOptions;
import dev.socketconnector.autoconfigure.SocketConnectorProperties.Endpoint;
import dev.socketconnector.autoconfigure.SocketConnectorProperties.Heartbeat;
import dev.socketconnector.autoconfigure.SocketConnectorProperties.KeepAlive;
import dev.socketconnector.autoconfigure.SocketConnectorProperties.Framing;
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
                    "0 (one per two cores, at least one) or a positive number of threads");
        }
        positive(PREFIX + ".connect-timeout", properties.getConnectTimeout());
        if (properties.getConnectTimeout().toMillis() > Integer.MAX_VALUE) {
            throw invalid(PREFIX + ".connect-timeout", properties.getConnectTimeout(), "is too long",
                    "a duration of at most " + Integer.MAX_VALUE + "ms");
        }
        notNegative(PREFIX + ".shutdown-timeout", properties.getShutdownTimeout());
        notNegative(PREFIX + ".keep-alive.initial-delay", properties.getKeepAlive().getInitialDelay());
        keepAlive(PREFIX + ".keep-alive", properties.getKeepAlive());
        idleTimeout(PREFIX + ".read-idle-timeout", properties.getReadIdleTimeout());
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
        reach(properties);
        for (Map.Entry<String, Endpoint> entry : properties.getEndpoints().entrySet()) {
            endpoint(entry.getKey(), entry.getValue());
        }
    }

    /** connect-attempt-delay, resolver and dns.servers. */
    private static void reach(SocketConnectorProperties properties) {
        Duration delay = properties.getConnectAttemptDelay();
        notNegative(PREFIX + ".connect-attempt-delay", delay);
        if (delay.compareTo(properties.getConnectTimeout()) > 0) {
            throw invalid(PREFIX + ".connect-attempt-delay", delay,
                    "must not exceed connect-timeout (" + properties.getConnectTimeout() + ")",
                    "a duration from 0 to socket.connector.connect-timeout, such as 250ms");
        }
        List<String> servers = properties.getDns().getServers();
        for (int i = 0; i < servers.size(); i++) {
            String property = PREFIX + ".dns.servers[" + i + "]";
            try {
                HostPorts.parseIp(servers.get(i));
            }
            catch (IllegalArgumentException ex) {
                throw invalid(property, servers.get(i), String.valueOf(ex.getMessage()),
                        "an IP address and port such as 10.0.0.2:53 or [fd00::53]:53");
            }
        }
        if (!servers.isEmpty() && properties.getResolver() != SocketConnectorProperties.ResolverType.DNS) {
            throw problem(PREFIX + ".dns.servers", servers,
                    "DNS servers are set but socket.connector.resolver is "
                            + properties.getResolver().name().toLowerCase(Locale.ROOT) + " (allowed: jdk, dns)",
                    "Set 'socket.connector.resolver' to dns to use these servers, or remove '" + PREFIX
                            + ".dns.servers'.");
        }
    }

    private static void addresses(String prefix, Endpoint endpoint, List<String> addresses) {
        if (StringUtils.hasText(endpoint.getHostname()) || endpoint.getPort() != null
                || StringUtils.hasText(endpoint.getUnix())) {
            throw problem(prefix + ".addresses", addresses, "addresses is set together with hostname, port or unix",
                    "Set either '" + prefix + ".addresses' (a failover list of host:port entries), or '" + prefix
                            + ".hostname' and '" + prefix + ".port', or '" + prefix + ".unix'.");
        }
        if (addresses.isEmpty()) {
            throw invalid(prefix + ".addresses", addresses, "must not be empty",
                    "a list of host:port entries such as db1.example:5432,[::1]:5432");
        }
        for (int i = 0; i < addresses.size(); i++) {
            try {
                HostPorts.parse(addresses.get(i));
            }
            catch (IllegalArgumentException ex) {
                throw invalid(prefix + ".addresses[" + i + "]", addresses.get(i), String.valueOf(ex.getMessage()),
                        "a host:port entry such as db1.example:5432, 10.0.0.7:5432 or [::1]:5432");
            }
        }
    }

    private static void endpoint(String name, Endpoint endpoint) {
        String prefix = PREFIX + ".endpoints." + name;
        if (!StringUtils.hasText(name) || "none".equals(name)) {
            throw problem(prefix, null,
                    "'" + name + "' cannot name an endpoint ('none' tags sockets opened " + "without one)",
                    "Choose another name under socket.connector.endpoints.");
        }
        List<String> addresses = endpoint.getAddresses();
        if (addresses != null) {
            addresses(prefix, endpoint, addresses);
            common(prefix, endpoint);
            return;
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
                            + ".unix' for a unix domain socket, or '" + prefix
                            + ".addresses' for a failover list of host:port entries.");
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
        common(prefix, endpoint);
    }

    /** What every endpoint has, whatever its address. */
    private static void common(String prefix, Endpoint endpoint) {
        tls(prefix + ".tls", endpoint.getTls());
        reconnect(prefix + ".reconnect", endpoint.getReconnect());
        idleTimeout(prefix + ".read-idle-timeout", endpoint.getReadIdleTimeout());
        heartbeat(prefix + ".heartbeat", endpoint.getHeartbeat());
        framing(prefix + ".framing", endpoint.getFraming());
        offlineBuffer(prefix, endpoint);
    }

    private static void offlineBuffer(String prefix, Endpoint endpoint) {
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

    // ---- keep-alive, read-idle timeout, heartbeat ----

    private static void keepAlive(String prefix, KeepAlive keepAlive) {
        if (keepAlive.getIdle() != null) {
            wholeSeconds(prefix + ".idle", keepAlive.getIdle());
        }
        wholeSeconds(prefix + ".interval", keepAlive.getInterval());
        if (keepAlive.getCount() < 1 || keepAlive.getCount() > 127) {
            throw invalid(prefix + ".count", keepAlive.getCount(), "out of range", "a number of probes from 1 to 127");
        }
        Duration userTimeout = keepAlive.getUserTimeout();
        if (userTimeout.isNegative() || (!userTimeout.isZero() && userTimeout.toMillis() < 1)
                || userTimeout.toMillis() > Integer.MAX_VALUE) {
            throw invalid(prefix + ".user-timeout", userTimeout, "out of range",
                    "0 (the kernel's default) or a duration from 1ms to " + Integer.MAX_VALUE + "ms, such as 30s");
        }
    }

    private static void wholeSeconds(String property, Duration duration) {
        if (duration.getNano() != 0 || duration.getSeconds() < 1 || duration.getSeconds() > 32767) {
            throw invalid(property, duration, "must be whole seconds from 1s to 32767s",
                    "a whole number of seconds from 1s to 32767s, such as 30s");
        }
    }

    private static void idleTimeout(String property, @Nullable Duration timeout) {
        if (timeout != null && (timeout.isNegative() || (!timeout.isZero() && timeout.toMillis() < 1)
                || timeout.toMillis() > Integer.MAX_VALUE)) {
            throw invalid(property, timeout, "out of range",
                    "0 (none) or a duration from 1ms to " + Integer.MAX_VALUE + "ms, such as 30s");
        }
    }

    private static void heartbeat(String prefix, Heartbeat heartbeat) {
        Duration interval = heartbeat.getInterval();
        if (interval == null) {
            if (heartbeat.getPayload() != null) {
                throw problem(prefix + ".interval", null, "a heartbeat payload is set without an interval",
                        "Set '" + prefix + ".interval' (such as 10s), or remove '" + prefix + ".payload'.");
            }
            return;
        }
        idleTimeout(prefix + ".interval", interval);
        if (!interval.isZero() && !StringUtils.hasLength(heartbeat.getPayload())) {
            throw invalid(prefix + ".payload", heartbeat.getPayload(), "a heartbeat needs a payload",
                    "the text to send, at least one character (UTF-8), such as PING");
        }
    }

    /** The values of {@code framing.type}. */
    static final List<String> FRAMING_TYPES = List.of("none", "lines", "delimiter", "length-prefixed", "fixed");

    private static void framing(String prefix, Framing framing) {
        String type = framing.getType();
        if (!FRAMING_TYPES.contains(type)) {
            throw invalid(prefix + ".type", type, "unknown framing type", "one of " + String.join(", ", FRAMING_TYPES));
        }
        if (framing.getDelimiter() != null && !"delimiter".equals(type)) {
            throw problem(prefix + ".delimiter", framing.getDelimiter(),
                    "a delimiter is set but framing.type is " + type,
                    "Set '" + prefix + ".type' to delimiter, or remove '" + prefix + ".delimiter'.");
        }
        if (framing.getFixedLength() != null && !"fixed".equals(type)) {
            throw problem(prefix + ".fixed-length", framing.getFixedLength(),
                    "a fixed length is set but framing.type is " + type,
                    "Set '" + prefix + ".type' to fixed, or remove '" + prefix + ".fixed-length'.");
        }
        switch (type) {
            case "lines", "delimiter", "length-prefixed" -> {
                long maxLength = framing.getMaxLength().toBytes();
                if (maxLength < 1 || maxLength > dev.socketconnector.Framing.MAX_FRAME_LENGTH) {
                    throw invalid(prefix + ".max-length", framing.getMaxLength(), "out of range",
                            "a size from 1B to " + dev.socketconnector.Framing.MAX_FRAME_LENGTH + "B, such as 64KB");
                }
                if ("delimiter".equals(type)) {
                    String delimiter = framing.getDelimiter();
                    if (delimiter == null || delimiter.isEmpty()) {
                        throw invalid(prefix + ".delimiter", delimiter, "framing.type delimiter needs a delimiter",
                                "the text that ends each frame, such as \"\\r\\n\" or \"|\"");
                    }
                    int bytes = delimiter.getBytes(StandardCharsets.UTF_8).length;
                    if (bytes > 1024) {
                        throw invalid(prefix + ".delimiter", delimiter, "the delimiter is " + bytes + " bytes long",
                                "a text of at most 1024 bytes in UTF-8");
                    }
                }
                if ("length-prefixed".equals(type)) {
                    int field = framing.getLengthFieldBytes();
                    if (field != 1 && field != 2 && field != 4 && field != 8) {
                        throw invalid(prefix + ".length-field-bytes", field, "unsupported length field size",
                                "1, 2, 4 or 8");
                    }
                }
            }
            case "fixed" -> {
                Integer length = framing.getFixedLength();
                if (length == null || length < 1 || length > dev.socketconnector.Framing.MAX_FRAME_LENGTH) {
                    throw invalid(prefix + ".fixed-length", length,
                            (length == null) ? "framing.type fixed needs a fixed-length" : "out of range",
                            "the length of every frame in bytes, from 1 to "
                                    + dev.socketconnector.Framing.MAX_FRAME_LENGTH);
                }
            }
            default -> {
            }
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
