package dev.socketconnector.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.socketconnector.TlsProvider;
import dev.socketconnector.Transport;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Configuration properties for socket-connector, under {@code socket.connector}: the defaults of every
 * connect and the named endpoints.
 * <p>
 * Values are checked when the connector is created; an invalid one fails startup with a message that names
 * the full property path and the allowed values.
 */
@ConfigurationProperties(SocketConnectorProperties.PREFIX)
public class SocketConnectorProperties {

    /** The prefix of every property. */
    public static final String PREFIX = "socket.connector";

    /**
     * Netty transport of the event loops: AUTO picks epoll, then io_uring, when their native jars load, NIO
     * otherwise. EPOLL and IO_URING need JDK 24+'s --enable-native-access=ALL-UNNAMED.
     */
    private Transport transport = Transport.AUTO;

    /** Number of event-loop threads; 0 means one per core. */
    private int eventLoopThreads = 0;

    /**
     * Time from connect() until the socket is open, DNS, TCP connect and TLS handshake included. Default unit
     * is milliseconds.
     */
    private Duration connectTimeout = Duration.ofSeconds(10);

    /**
     * Time a graceful shutdown waits for ended sockets before terminating them; capped by
     * spring.lifecycle.timeout-per-shutdown-phase. Default unit is milliseconds.
     */
    private Duration shutdownTimeout = Duration.ofSeconds(10);

    /** Whether sockets of named endpoints stay open after the peer's FIN, unless an endpoint says otherwise. */
    private boolean allowHalfOpen = false;

    /** Whether new sockets disable Nagle's algorithm (TCP_NODELAY), as Bun does. */
    private boolean noDelay = true;

    /** TCP keep-alive of new sockets. */
    private final KeepAlive keepAlive = new KeepAlive();

    /** Outbound buffer limits of every socket. */
    private final WriteBuffer writeBuffer = new WriteBuffer();

    /** TLS defaults: what a connect with TLS enabled uses unless it overrides a value. */
    private final Tls tls = new Tls();

    /** Named endpoints, by name. */
    private final Map<String, Endpoint> endpoints = new LinkedHashMap<>();

    public Transport getTransport() {
        return this.transport;
    }

    public void setTransport(Transport transport) {
        this.transport = transport;
    }

    public int getEventLoopThreads() {
        return this.eventLoopThreads;
    }

    public void setEventLoopThreads(int eventLoopThreads) {
        this.eventLoopThreads = eventLoopThreads;
    }

    public Duration getConnectTimeout() {
        return this.connectTimeout;
    }

    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public Duration getShutdownTimeout() {
        return this.shutdownTimeout;
    }

    public void setShutdownTimeout(Duration shutdownTimeout) {
        this.shutdownTimeout = shutdownTimeout;
    }

    public boolean isAllowHalfOpen() {
        return this.allowHalfOpen;
    }

    public void setAllowHalfOpen(boolean allowHalfOpen) {
        this.allowHalfOpen = allowHalfOpen;
    }

    public boolean isNoDelay() {
        return this.noDelay;
    }

    public void setNoDelay(boolean noDelay) {
        this.noDelay = noDelay;
    }

    public KeepAlive getKeepAlive() {
        return this.keepAlive;
    }

    public WriteBuffer getWriteBuffer() {
        return this.writeBuffer;
    }

    public Tls getTls() {
        return this.tls;
    }

    public Map<String, Endpoint> getEndpoints() {
        return this.endpoints;
    }

    /**
     * TCP keep-alive settings.
     */
    public static class KeepAlive {

        /** Whether new TCP sockets enable SO_KEEPALIVE. */
        private boolean enabled = false;

        /**
         * Idle time before the first keep-alive probe, rounded down to seconds (at least 1s when enabled);
         * 0 keeps the system's default. Default unit is milliseconds.
         */
        private Duration initialDelay = Duration.ofSeconds(0);

        public boolean isEnabled() {
            return this.enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public Duration getInitialDelay() {
            return this.initialDelay;
        }

        public void setInitialDelay(Duration initialDelay) {
            this.initialDelay = initialDelay;
        }
    }

    /**
     * Outbound buffer water marks.
     */
    public static class WriteBuffer {

        /** Buffered outbound size below which drain fires again. Default unit is bytes. */
        private DataSize lowWaterMark = DataSize.ofKilobytes(512);

        /** Buffered outbound size at which write() stops accepting bytes. Default unit is bytes. */
        private DataSize highWaterMark = DataSize.ofMegabytes(1);

        public DataSize getLowWaterMark() {
            return this.lowWaterMark;
        }

        public void setLowWaterMark(DataSize lowWaterMark) {
            this.lowWaterMark = lowWaterMark;
        }

        public DataSize getHighWaterMark() {
            return this.highWaterMark;
        }

        public void setHighWaterMark(DataSize highWaterMark) {
            this.highWaterMark = highWaterMark;
        }
    }

    /**
     * TLS settings. At the connector level they are the defaults of every TLS connect; on an endpoint, each
     * value that is set overrides the connector's.
     */
    public static class Tls {

        /**
         * Whether named endpoints use TLS (an endpoint may say otherwise). Defaults to true when a bundle is
         * named, false otherwise.
         */
        private @Nullable Boolean enabled;

        /** Name of the SSL bundle (spring.ssl.bundle.*) that supplies trust material and the client key. */
        private @Nullable String bundle;

        /** TLS implementation; AUTO uses BoringSSL when netty-tcnative loads, the JDK otherwise. */
        private @Nullable TlsProvider provider;

        /** Whether to fail the handshake when the peer's certificate is not trusted. Default true. */
        private @Nullable Boolean rejectUnauthorized;

        /** Server name sent with SNI and checked against the certificate; defaults to the hostname. */
        private @Nullable String serverName;

        /** ALPN protocols to offer, in order of preference. */
        private @Nullable List<String> alpn;

        /** Lowest TLS version to accept: TLSv1.2 or TLSv1.3. */
        private @Nullable String minVersion;

        /** Highest TLS version to accept: TLSv1.2 or TLSv1.3. */
        private @Nullable String maxVersion;

        /** Cipher suites to enable, by standard (IANA) or OpenSSL name; the provider's defaults if unset. */
        private @Nullable List<String> ciphers;

        public @Nullable Boolean getEnabled() {
            return this.enabled;
        }

        public void setEnabled(@Nullable Boolean enabled) {
            this.enabled = enabled;
        }

        public @Nullable String getBundle() {
            return this.bundle;
        }

        public void setBundle(@Nullable String bundle) {
            this.bundle = bundle;
        }

        public @Nullable TlsProvider getProvider() {
            return this.provider;
        }

        public void setProvider(@Nullable TlsProvider provider) {
            this.provider = provider;
        }

        public @Nullable Boolean getRejectUnauthorized() {
            return this.rejectUnauthorized;
        }

        public void setRejectUnauthorized(@Nullable Boolean rejectUnauthorized) {
            this.rejectUnauthorized = rejectUnauthorized;
        }

        public @Nullable String getServerName() {
            return this.serverName;
        }

        public void setServerName(@Nullable String serverName) {
            this.serverName = serverName;
        }

        public @Nullable List<String> getAlpn() {
            return this.alpn;
        }

        public void setAlpn(@Nullable List<String> alpn) {
            this.alpn = (alpn != null) ? new ArrayList<>(alpn) : null;
        }

        public @Nullable String getMinVersion() {
            return this.minVersion;
        }

        public void setMinVersion(@Nullable String minVersion) {
            this.minVersion = minVersion;
        }

        public @Nullable String getMaxVersion() {
            return this.maxVersion;
        }

        public void setMaxVersion(@Nullable String maxVersion) {
            this.maxVersion = maxVersion;
        }

        public @Nullable List<String> getCiphers() {
            return this.ciphers;
        }

        public void setCiphers(@Nullable List<String> ciphers) {
            this.ciphers = (ciphers != null) ? new ArrayList<>(ciphers) : null;
        }
    }

    /**
     * A named endpoint: where to connect, with which handler, and whether to keep it connected.
     */
    public static class Endpoint {

        /** Host name or IP address to connect to; set this and port, or unix. */
        private @Nullable String hostname;

        /** TCP port to connect to, 1 to 65535. */
        private @Nullable Integer port;

        /** Path of the unix domain socket to connect to, instead of hostname and port. */
        private @Nullable String unix;

        /** Bean name of the SocketHandler for this endpoint, unless a handler carries @SocketEndpoint. */
        private @Nullable String handler;

        /** Whether to connect once the application has started and keep the endpoint connected. */
        private boolean connectOnStartup = false;

        /** Whether the socket stays open after the peer's FIN; defaults to socket.connector.allow-half-open. */
        private @Nullable Boolean allowHalfOpen;

        /** TLS overrides for this endpoint: each value that is set replaces the connector's. */
        private final Tls tls = new Tls();

        /** Reconnect policy of a connect-on-startup endpoint. */
        private final Reconnect reconnect = new Reconnect();

        public @Nullable String getHostname() {
            return this.hostname;
        }

        public void setHostname(@Nullable String hostname) {
            this.hostname = hostname;
        }

        public @Nullable Integer getPort() {
            return this.port;
        }

        public void setPort(@Nullable Integer port) {
            this.port = port;
        }

        public @Nullable String getUnix() {
            return this.unix;
        }

        public void setUnix(@Nullable String unix) {
            this.unix = unix;
        }

        public @Nullable String getHandler() {
            return this.handler;
        }

        public void setHandler(@Nullable String handler) {
            this.handler = handler;
        }

        public boolean isConnectOnStartup() {
            return this.connectOnStartup;
        }

        public void setConnectOnStartup(boolean connectOnStartup) {
            this.connectOnStartup = connectOnStartup;
        }

        public @Nullable Boolean getAllowHalfOpen() {
            return this.allowHalfOpen;
        }

        public void setAllowHalfOpen(@Nullable Boolean allowHalfOpen) {
            this.allowHalfOpen = allowHalfOpen;
        }

        public Tls getTls() {
            return this.tls;
        }

        public Reconnect getReconnect() {
            return this.reconnect;
        }
    }

    /**
     * Reconnect policy: jittered exponential backoff between attempts.
     */
    public static class Reconnect {

        /** Whether to reconnect after a failed connect or a dropped connection. */
        private boolean enabled = true;

        /** Delay before the first reconnect attempt. Default unit is milliseconds. */
        private Duration initialBackoff = Duration.ofSeconds(1);

        /** Longest delay between two attempts. Default unit is milliseconds. */
        private Duration maxBackoff = Duration.ofSeconds(30);

        /** Factor applied to the delay after each failed attempt, 1 or more. */
        private double multiplier = 2.0;

        /** Random spread of each delay, from 0 (none) to 1 (anywhere between 0 and twice the delay). */
        private double jitter = 0.2;

        public boolean isEnabled() {
            return this.enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public Duration getInitialBackoff() {
            return this.initialBackoff;
        }

        public void setInitialBackoff(Duration initialBackoff) {
            this.initialBackoff = initialBackoff;
        }

        public Duration getMaxBackoff() {
            return this.maxBackoff;
        }

        public void setMaxBackoff(Duration maxBackoff) {
            this.maxBackoff = maxBackoff;
        }

        public double getMultiplier() {
            return this.multiplier;
        }

        public void setMultiplier(double multiplier) {
            this.multiplier = multiplier;
        }

        public double getJitter() {
            return this.jitter;
        }

        public void setJitter(double jitter) {
            this.jitter = jitter;
        }
    }
}
