package dev.socketconnector.autoconfigure;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.socketconnector.KeepAliveOptions;
import dev.socketconnector.TlsProvider;
import dev.socketconnector.Transport;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.convert.DurationUnit;
import org.springframework.util.unit.DataSize;

/**
 * Configuration properties for socket-connector, under {@code socket.connector}: the
 * defaults of every connect and the named endpoints.
 * <p>
 * Values are checked when the connector is created; an invalid one fails startup with a
 * message that names the full property path and the allowed values.
 */
@ConfigurationProperties(SocketConnectorProperties.PREFIX)
public class SocketConnectorProperties {

    /** The prefix of every property. */
    public static final String PREFIX = "socket.connector";

    /**
     * Netty transport of the event loops: AUTO picks epoll, then io_uring, when their
     * native jars load, NIO otherwise. EPOLL and IO_URING need JDK 24+'s
     * --enable-native-access=ALL-UNNAMED.
     */
    private Transport transport = Transport.AUTO;

    /** Number of event-loop threads; 0 means one per two cores, at least one. */
    private int eventLoopThreads = 0;

    /**
     * Time from connect() until the socket is open, DNS, TCP connect and TLS handshake
     * included. Default unit is milliseconds.
     */
    private Duration connectTimeout = Duration.ofSeconds(10);

    /**
     * Time a graceful shutdown waits for ended sockets before terminating them; capped by
     * spring.lifecycle.timeout-per-shutdown-phase. Default unit is milliseconds.
     */
    private Duration shutdownTimeout = Duration.ofSeconds(10);

    /**
     * Whether sockets of named endpoints stay open after the peer's FIN, unless an
     * endpoint says otherwise.
     */
    private boolean allowHalfOpen = false;

    /** Whether new sockets disable Nagle's algorithm (TCP_NODELAY), as Bun does. */
    private boolean noDelay = true;

    /** TCP keep-alive of new sockets. */
    private final KeepAlive keepAlive = new KeepAlive();

    /**
     * Time without receiving anything after which a socket is reset and closes with
     * ETIMEDOUT, for every endpoint that does not set its own; 0 for none. Default unit
     * is milliseconds.
     */
    private Duration readIdleTimeout = Duration.ZERO;

    /** Outbound buffer limits of every socket. */
    private final WriteBuffer writeBuffer = new WriteBuffer();

    /** TLS defaults: what a connect with TLS enabled uses unless it overrides a value. */
    private final Tls tls = new Tls();

    /** Named endpoints, by name. */
    private final Map<String, Endpoint> endpoints = new LinkedHashMap<>();

    /**
     * Happy Eyeballs stagger: how long an address attempt runs before the next address is
     * tried too. Default unit is milliseconds.
     */
    private Duration connectAttemptDelay = Duration.ofMillis(250);

    /**
     * How host names resolve, at every connect attempt: jdk (the system's resolver, as
     * every other program) or dns (Netty's DNS client: record TTLs honoured).
     */
    private ResolverType resolver = ResolverType.JDK;

    /** DNS client settings, used when resolver is dns. */
    private final Dns dns = new Dns();

    /**
     * {@return Netty transport of the event loops: AUTO picks io_uring or epoll when
     * their native jars load, NIO otherwise}
     */
    public Transport getTransport() {
        return this.transport;
    }

    /**
     * Sets Netty transport of the event loops: AUTO picks io_uring or epoll when their
     * native jars load, NIO otherwise.
     * @param transport the new value
     */
    public void setTransport(Transport transport) {
        this.transport = transport;
    }

    /**
     * {@return number of event-loop threads; 0 means Netty's default (twice the number of
     * cores)}
     */
    public int getEventLoopThreads() {
        return this.eventLoopThreads;
    }

    /**
     * Sets number of event-loop threads; 0 means Netty's default (twice the number of
     * cores).
     * @param eventLoopThreads the new value
     */
    public void setEventLoopThreads(int eventLoopThreads) {
        this.eventLoopThreads = eventLoopThreads;
    }

    /**
     * {@return time from connect() until the socket is open, DNS, TCP connect and TLS
     * handshake included}
     */
    public Duration getConnectTimeout() {
        return this.connectTimeout;
    }

    /**
     * Sets time from connect() until the socket is open, DNS, TCP connect and TLS
     * handshake included.
     * @param connectTimeout the new value
     */
    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    /**
     * {@return time a graceful shutdown waits for ended sockets before terminating them;
     * capped by spring.lifecycle.timeout-per-shutdown-phase}
     */
    public Duration getShutdownTimeout() {
        return this.shutdownTimeout;
    }

    /**
     * Sets time a graceful shutdown waits for ended sockets before terminating them;
     * capped by spring.lifecycle.timeout-per-shutdown-phase.
     * @param shutdownTimeout the new value
     */
    public void setShutdownTimeout(Duration shutdownTimeout) {
        this.shutdownTimeout = shutdownTimeout;
    }

    /**
     * {@return whether sockets of named endpoints stay open after the peer's FIN, unless
     * an endpoint says otherwise}
     */
    public boolean isAllowHalfOpen() {
        return this.allowHalfOpen;
    }

    /**
     * Sets whether sockets of named endpoints stay open after the peer's FIN, unless an
     * endpoint says otherwise.
     * @param allowHalfOpen the new value
     */
    public void setAllowHalfOpen(boolean allowHalfOpen) {
        this.allowHalfOpen = allowHalfOpen;
    }

    /**
     * {@return whether new sockets disable Nagle's algorithm (TCP_NODELAY), as Bun does}
     */
    public boolean isNoDelay() {
        return this.noDelay;
    }

    /**
     * Sets whether new sockets disable Nagle's algorithm (TCP_NODELAY), as Bun does.
     * @param noDelay the new value
     */
    public void setNoDelay(boolean noDelay) {
        this.noDelay = noDelay;
    }

    /**
     * {@return TCP keep-alive of new sockets}
     */
    public KeepAlive getKeepAlive() {
        return this.keepAlive;
    }

    /**
     * {@return time without receiving anything after which a socket is reset and closes
     * with ETIMEDOUT, for every endpoint that does not set its own; 0 for none}
     */
    public Duration getReadIdleTimeout() {
        return this.readIdleTimeout;
    }

    /**
     * Sets time without receiving anything after which a socket is reset and closes with
     * ETIMEDOUT, for every endpoint that does not set its own; 0 for none.
     * @param readIdleTimeout the new value
     */
    public void setReadIdleTimeout(Duration readIdleTimeout) {
        this.readIdleTimeout = readIdleTimeout;
    }

    /**
     * {@return outbound buffer limits of every socket}
     */
    public WriteBuffer getWriteBuffer() {
        return this.writeBuffer;
    }

    /**
     * {@return TLS defaults: what a connect with TLS enabled uses unless it overrides a
     * value}
     */
    public Tls getTls() {
        return this.tls;
    }

    /**
     * {@return named endpoints, by name}
     */
    public Map<String, Endpoint> getEndpoints() {
        return this.endpoints;
    }

    /**
     * {@return Happy Eyeballs stagger: how long an address attempt runs before the next
     * address is tried too}
     */
    public Duration getConnectAttemptDelay() {
        return this.connectAttemptDelay;
    }

    /**
     * Sets Happy Eyeballs stagger: how long an address attempt runs before the next
     * address is tried too.
     * @param connectAttemptDelay the new value
     */
    public void setConnectAttemptDelay(Duration connectAttemptDelay) {
        this.connectAttemptDelay = connectAttemptDelay;
    }

    /**
     * {@return how host names resolve, at every connect attempt}
     */
    public ResolverType getResolver() {
        return this.resolver;
    }

    /**
     * Sets how host names resolve, at every connect attempt.
     * @param resolver the new value
     */
    public void setResolver(ResolverType resolver) {
        this.resolver = resolver;
    }

    /**
     * {@return DNS client settings, used when resolver is dns}
     */
    public Dns getDns() {
        return this.dns;
    }

    /** How host names resolve: the values of {@code socket.connector.resolver}. */
    public enum ResolverType {

        /**
         * The JVM's resolver ({@code InetAddress.getAllByName}): the system's sources, as
         * every other program on the host; the JVM caches answers (30 s by default).
         */
        JDK,

        /**
         * Netty's DNS client: asks DNS servers directly, honours record TTLs, reads
         * resolv.conf and the hosts file.
         */
        DNS

    }

    /**
     * DNS client settings (resolver dns).
     */
    public static class Dns {

        /**
         * DNS servers to ask, in order, as host:port with an IP address ([::1]:53 for
         * IPv6); empty for the system's (resolv.conf).
         */
        private List<String> servers = new ArrayList<>();

        /**
         * {@return DNS servers to ask, in order, as host:port with an IP address; empty
         * for the system's}
         */
        public List<String> getServers() {
            return this.servers;
        }

        /**
         * Sets DNS servers to ask, in order, as host:port with an IP address; empty for
         * the system's.
         * @param servers the new value
         */
        public void setServers(List<String> servers) {
            this.servers = servers;
        }

    }

    /**
     * TCP keep-alive settings.
     */
    public static class KeepAlive {

        /** Whether new TCP sockets enable SO_KEEPALIVE. */
        private boolean enabled = false;

        /**
         * Idle time before the first keep-alive probe, rounded down to seconds (at least
         * 1s when enabled); 0 keeps the system's default. Default unit is milliseconds.
         */
        private Duration initialDelay = Duration.ofSeconds(0);

        /**
         * {@return whether new TCP sockets enable SO_KEEPALIVE}
         */
        public boolean isEnabled() {
            return this.enabled;
        }

        /**
         * Sets whether new TCP sockets enable SO_KEEPALIVE.
         * @param enabled the new value
         */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /**
         * {@return idle time before the first keep-alive probe, rounded down to seconds
         * (at least 1s when enabled); 0 keeps the system's default}
         */
        public Duration getInitialDelay() {
            return this.initialDelay;
        }

        /**
         * Sets idle time before the first keep-alive probe, rounded down to seconds (at
         * least 1s when enabled); 0 keeps the system's default.
         * @param initialDelay the new value
         */
        public void setInitialDelay(Duration initialDelay) {
            this.initialDelay = initialDelay;
        }

        // ---- the full form (KeepAliveOptions) ----

        /**
         * Idle time before the first keep-alive probe (TCP_KEEPIDLE), whole seconds from
         * 1s to 32767s; replaces initial-delay. Default unit is seconds.
         */
        @DurationUnit(ChronoUnit.SECONDS)
        private @Nullable Duration idle;

        /**
         * Time between keep-alive probes (TCP_KEEPINTVL), whole seconds from 1s to
         * 32767s. Default unit is seconds.
         */
        @DurationUnit(ChronoUnit.SECONDS)
        private Duration interval = KeepAliveOptions.DEFAULT_INTERVAL;

        /** Number of unanswered probes before the connection is dropped, 1 to 127. */
        private int count = KeepAliveOptions.DEFAULT_COUNT;

        /**
         * How long sent data may stay unacknowledged before the connection closes with
         * ETIMEDOUT (TCP_USER_TIMEOUT); 0 keeps the kernel's default. Epoll and io_uring
         * only: startup fails on NIO, where read-idle-timeout with a heartbeat does the
         * job. Default unit is milliseconds.
         */
        private Duration userTimeout = KeepAliveOptions.DEFAULT_USER_TIMEOUT;

        /**
         * {@return idle time before the first keep-alive probe (TCP_KEEPIDLE); replaces
         * initial-delay}
         */
        public @Nullable Duration getIdle() {
            return this.idle;
        }

        /**
         * Sets idle time before the first keep-alive probe (TCP_KEEPIDLE); replaces
         * initial-delay.
         * @param idle the new value
         */
        public void setIdle(@Nullable Duration idle) {
            this.idle = idle;
        }

        /**
         * {@return time between keep-alive probes (TCP_KEEPINTVL)}
         */
        public Duration getInterval() {
            return this.interval;
        }

        /**
         * Sets time between keep-alive probes (TCP_KEEPINTVL).
         * @param interval the new value
         */
        public void setInterval(Duration interval) {
            this.interval = interval;
        }

        /**
         * {@return number of unanswered probes before the connection is dropped}
         */
        public int getCount() {
            return this.count;
        }

        /**
         * Sets number of unanswered probes before the connection is dropped.
         * @param count the new value
         */
        public void setCount(int count) {
            this.count = count;
        }

        /**
         * {@return how long sent data may stay unacknowledged before the connection
         * closes with ETIMEDOUT (TCP_USER_TIMEOUT); 0 keeps the kernel's default}
         */
        public Duration getUserTimeout() {
            return this.userTimeout;
        }

        /**
         * Sets how long sent data may stay unacknowledged before the connection closes
         * with ETIMEDOUT (TCP_USER_TIMEOUT); 0 keeps the kernel's default.
         * @param userTimeout the new value
         */
        public void setUserTimeout(Duration userTimeout) {
            this.userTimeout = userTimeout;
        }

    }

    /**
     * Outbound buffer water marks.
     */
    public static class WriteBuffer {

        /**
         * Buffered outbound size below which drain fires again. Default unit is bytes.
         */
        private DataSize lowWaterMark = DataSize.ofKilobytes(512);

        /**
         * Buffered outbound size at which write() stops accepting bytes. Default unit is
         * bytes.
         */
        private DataSize highWaterMark = DataSize.ofMegabytes(1);

        /**
         * {@return buffered outbound size below which drain fires again}
         */
        public DataSize getLowWaterMark() {
            return this.lowWaterMark;
        }

        /**
         * Sets buffered outbound size below which drain fires again.
         * @param lowWaterMark the new value
         */
        public void setLowWaterMark(DataSize lowWaterMark) {
            this.lowWaterMark = lowWaterMark;
        }

        /**
         * {@return buffered outbound size at which write() stops accepting bytes}
         */
        public DataSize getHighWaterMark() {
            return this.highWaterMark;
        }

        /**
         * Sets buffered outbound size at which write() stops accepting bytes.
         * @param highWaterMark the new value
         */
        public void setHighWaterMark(DataSize highWaterMark) {
            this.highWaterMark = highWaterMark;
        }

    }

    /**
     * TLS settings. At the connector level they are the defaults of every TLS connect; on
     * an endpoint, each value that is set overrides the connector's.
     */
    public static class Tls {

        /**
         * Whether named endpoints use TLS (an endpoint may say otherwise). Defaults to
         * true when a bundle is named, false otherwise.
         */
        private @Nullable Boolean enabled;

        /**
         * Name of the SSL bundle (spring.ssl.bundle.*) that supplies trust material and
         * the client key.
         */
        private @Nullable String bundle;

        /**
         * TLS implementation; AUTO uses BoringSSL when netty-tcnative loads, the JDK
         * otherwise.
         */
        private @Nullable TlsProvider provider;

        /**
         * Whether to fail the handshake when the peer's certificate is not trusted.
         * Default true.
         */
        private @Nullable Boolean rejectUnauthorized;

        /**
         * Server name sent with SNI and checked against the certificate; defaults to the
         * hostname.
         */
        private @Nullable String serverName;

        /** ALPN protocols to offer, in order of preference. */
        private @Nullable List<String> alpn;

        /** Lowest TLS version to accept: TLSv1.2 or TLSv1.3. */
        private @Nullable String minVersion;

        /** Highest TLS version to accept: TLSv1.2 or TLSv1.3. */
        private @Nullable String maxVersion;

        /**
         * Cipher suites to enable, by standard (IANA) or OpenSSL name; the provider's
         * defaults if unset.
         */
        private @Nullable List<String> ciphers;

        /**
         * {@return whether named endpoints use TLS (an endpoint may say otherwise)}
         */
        public @Nullable Boolean getEnabled() {
            return this.enabled;
        }

        /**
         * Sets whether named endpoints use TLS (an endpoint may say otherwise).
         * @param enabled the new value
         */
        public void setEnabled(@Nullable Boolean enabled) {
            this.enabled = enabled;
        }

        /**
         * {@return name of the SSL bundle (spring.ssl.bundle.*) that supplies trust
         * material and the client key}
         */
        public @Nullable String getBundle() {
            return this.bundle;
        }

        /**
         * Sets name of the SSL bundle (spring.ssl.bundle.*) that supplies trust material
         * and the client key.
         * @param bundle the new value
         */
        public void setBundle(@Nullable String bundle) {
            this.bundle = bundle;
        }

        /**
         * {@return TLS implementation; AUTO uses BoringSSL when netty-tcnative loads, the
         * JDK otherwise}
         */
        public @Nullable TlsProvider getProvider() {
            return this.provider;
        }

        /**
         * Sets TLS implementation; AUTO uses BoringSSL when netty-tcnative loads, the JDK
         * otherwise.
         * @param provider the new value
         */
        public void setProvider(@Nullable TlsProvider provider) {
            this.provider = provider;
        }

        /**
         * {@return whether to fail the handshake when the peer's certificate is not
         * trusted}
         */
        public @Nullable Boolean getRejectUnauthorized() {
            return this.rejectUnauthorized;
        }

        /**
         * Sets whether to fail the handshake when the peer's certificate is not trusted.
         * @param rejectUnauthorized the new value
         */
        public void setRejectUnauthorized(@Nullable Boolean rejectUnauthorized) {
            this.rejectUnauthorized = rejectUnauthorized;
        }

        /**
         * {@return server name sent with SNI and checked against the certificate;
         * defaults to the hostname}
         */
        public @Nullable String getServerName() {
            return this.serverName;
        }

        /**
         * Sets server name sent with SNI and checked against the certificate; defaults to
         * the hostname.
         * @param serverName the new value
         */
        public void setServerName(@Nullable String serverName) {
            this.serverName = serverName;
        }

        /**
         * {@return ALPN protocols to offer, in order of preference}
         */
        public @Nullable List<String> getAlpn() {
            return this.alpn;
        }

        /**
         * Sets ALPN protocols to offer, in order of preference.
         * @param alpn the new value
         */
        public void setAlpn(@Nullable List<String> alpn) {
            this.alpn = (alpn != null) ? new ArrayList<>(alpn) : null;
        }

        /**
         * {@return lowest TLS version to accept: TLSv1.2 or TLSv1.3}
         */
        public @Nullable String getMinVersion() {
            return this.minVersion;
        }

        /**
         * Sets lowest TLS version to accept: TLSv1.2 or TLSv1.3.
         * @param minVersion the new value
         */
        public void setMinVersion(@Nullable String minVersion) {
            this.minVersion = minVersion;
        }

        /**
         * {@return highest TLS version to accept: TLSv1.2 or TLSv1.3}
         */
        public @Nullable String getMaxVersion() {
            return this.maxVersion;
        }

        /**
         * Sets highest TLS version to accept: TLSv1.2 or TLSv1.3.
         * @param maxVersion the new value
         */
        public void setMaxVersion(@Nullable String maxVersion) {
            this.maxVersion = maxVersion;
        }

        /**
         * {@return cipher suites to enable, by standard (IANA) or OpenSSL name; the
         * provider's defaults if unset}
         */
        public @Nullable List<String> getCiphers() {
            return this.ciphers;
        }

        /**
         * Sets cipher suites to enable, by standard (IANA) or OpenSSL name; the
         * provider's defaults if unset.
         * @param ciphers the new value
         */
        public void setCiphers(@Nullable List<String> ciphers) {
            this.ciphers = (ciphers != null) ? new ArrayList<>(ciphers) : null;
        }

    }

    /**
     * A named endpoint: where to connect, with which handler, and whether to keep it
     * connected.
     */
    public static class Endpoint {

        /** Host name or IP address to connect to; set this and port, or unix. */
        private @Nullable String hostname;

        /** TCP port to connect to, 1 to 65535. */
        private @Nullable Integer port;

        /** Path of the unix domain socket to connect to, instead of hostname and port. */
        private @Nullable String unix;

        /**
         * Ordered failover list of host:port entries ([::1]:port for IPv6), instead of
         * hostname and port; each is resolved again at every connect attempt.
         */
        private @Nullable List<String> addresses;

        /**
         * Bean name of the SocketHandler for this endpoint, unless a handler
         * carries @SocketEndpoint.
         */
        private @Nullable String handler;

        /**
         * Whether to connect once the application has started and keep the endpoint
         * connected.
         */
        private boolean connectOnStartup = false;

        /**
         * Whether the socket stays open after the peer's FIN; defaults to
         * socket.connector.allow-half-open.
         */
        private @Nullable Boolean allowHalfOpen;

        /**
         * TLS overrides for this endpoint: each value that is set replaces the
         * connector's.
         */
        private final Tls tls = new Tls();

        /** Reconnect policy of a connect-on-startup endpoint. */
        private final Reconnect reconnect = new Reconnect();

        /**
         * Bytes written through the managed endpoint while it is not connected, sent once
         * it is; 0 refuses.
         */
        private DataSize offlineBufferSize = DataSize.ofBytes(0);

        /**
         * How the byte stream is cut into messages: whole frames to the handler's data,
         * one frame per write.
         */
        private final Framing framing = new Framing();

        /**
         * {@return ordered failover list of host:port entries, instead of hostname and
         * port}
         */
        public @Nullable List<String> getAddresses() {
            return this.addresses;
        }

        /**
         * Sets ordered failover list of host:port entries ([::1]:port for IPv6), instead
         * of hostname and port.
         * @param addresses the new value
         */
        public void setAddresses(@Nullable List<String> addresses) {
            this.addresses = addresses;
        }

        /**
         * Request/reply (ManagedEndpoint.request, Socket.request), pipelined: replies
         * match requests in order. Setting any of its values enables it; it needs a
         * framing.
         */
        private final RequestReply requestReply = new RequestReply();

        /**
         * {@return host name or IP address to connect to; set this and port, or unix}
         */
        public @Nullable String getHostname() {
            return this.hostname;
        }

        /**
         * Sets host name or IP address to connect to; set this and port, or unix.
         * @param hostname the new value
         */
        public void setHostname(@Nullable String hostname) {
            this.hostname = hostname;
        }

        /**
         * {@return TCP port to connect to, 1 to 65535}
         */
        public @Nullable Integer getPort() {
            return this.port;
        }

        /**
         * Sets TCP port to connect to, 1 to 65535.
         * @param port the new value
         */
        public void setPort(@Nullable Integer port) {
            this.port = port;
        }

        /**
         * {@return path of the unix domain socket to connect to, instead of hostname and
         * port}
         */
        public @Nullable String getUnix() {
            return this.unix;
        }

        /**
         * Sets path of the unix domain socket to connect to, instead of hostname and
         * port.
         * @param unix the new value
         */
        public void setUnix(@Nullable String unix) {
            this.unix = unix;
        }

        /**
         * {@return bean name of the SocketHandler for this endpoint, unless a handler
         * carries {@code @SocketEndpoint}}
         */
        public @Nullable String getHandler() {
            return this.handler;
        }

        /**
         * Sets bean name of the SocketHandler for this endpoint, unless a handler
         * carries @SocketEndpoint.
         * @param handler the new value
         */
        public void setHandler(@Nullable String handler) {
            this.handler = handler;
        }

        /**
         * {@return whether to connect once the application has started and keep the
         * endpoint connected}
         */
        public boolean isConnectOnStartup() {
            return this.connectOnStartup;
        }

        /**
         * Sets whether to connect once the application has started and keep the endpoint
         * connected.
         * @param connectOnStartup the new value
         */
        public void setConnectOnStartup(boolean connectOnStartup) {
            this.connectOnStartup = connectOnStartup;
        }

        /**
         * {@return whether the socket stays open after the peer's FIN; defaults to
         * socket.connector.allow-half-open}
         */
        public @Nullable Boolean getAllowHalfOpen() {
            return this.allowHalfOpen;
        }

        /**
         * Sets whether the socket stays open after the peer's FIN; defaults to
         * socket.connector.allow-half-open.
         * @param allowHalfOpen the new value
         */
        public void setAllowHalfOpen(@Nullable Boolean allowHalfOpen) {
            this.allowHalfOpen = allowHalfOpen;
        }

        /**
         * {@return TLS overrides for this endpoint: each value that is set replaces the
         * connector's}
         */
        public Tls getTls() {
            return this.tls;
        }

        /**
         * {@return reconnect policy of a connect-on-startup endpoint}
         */
        public Reconnect getReconnect() {
            return this.reconnect;
        }

        /**
         * {@return bytes written through the managed endpoint while it is not connected,
         * sent once it is}
         */
        public DataSize getOfflineBufferSize() {
            return this.offlineBufferSize;
        }

        /**
         * Sets bytes written through the managed endpoint while it is not connected, sent
         * once it is; 0 refuses.
         * @param offlineBufferSize the new value
         */
        public void setOfflineBufferSize(DataSize offlineBufferSize) {
            this.offlineBufferSize = offlineBufferSize;
        }

        // ---- noticing when the peer is gone ----

        /**
         * Time without receiving anything after which the socket is reset and closes with
         * ETIMEDOUT; 0 turns the connector-wide socket.connector.read-idle-timeout off
         * for this endpoint. Defaults to socket.connector.read-idle-timeout. Default unit
         * is milliseconds.
         */
        private @Nullable Duration readIdleTimeout;

        /** Bytes written whenever nothing has been written for a while. */
        private final Heartbeat heartbeat = new Heartbeat();

        /**
         * {@return time without receiving anything after which the socket is reset and
         * closes with ETIMEDOUT; defaults to socket.connector.read-idle-timeout}
         */
        public @Nullable Duration getReadIdleTimeout() {
            return this.readIdleTimeout;
        }

        /**
         * Sets time without receiving anything after which the socket is reset and closes
         * with ETIMEDOUT; defaults to socket.connector.read-idle-timeout.
         * @param readIdleTimeout the new value
         */
        public void setReadIdleTimeout(@Nullable Duration readIdleTimeout) {
            this.readIdleTimeout = readIdleTimeout;
        }

        /**
         * {@return bytes written whenever nothing has been written for a while}
         */
        public Heartbeat getHeartbeat() {
            return this.heartbeat;
        }

        /**
         * {@return how the byte stream is cut into messages}
         */
        public Framing getFraming() {
            return this.framing;
        }

        /**
         * {@return request/reply (ManagedEndpoint.request, Socket.request), pipelined;
         * setting any of its values enables it}
         */
        public RequestReply getRequestReply() {
            return this.requestReply;
        }

    }

    /**
     * A heartbeat: the payload is written whenever nothing has been written on the socket
     * for the interval (not while data flows), through the same path as write(); it is
     * not counted in bytesWritten.
     */
    public static class Heartbeat {

        /**
         * Time without writing after which the payload is sent; unset or 0 for no
         * heartbeat. Default unit is milliseconds.
         */
        private @Nullable Duration interval;

        /** Text sent as the heartbeat, encoded as UTF-8; required with an interval. */
        private @Nullable String payload;

        /**
         * {@return time without writing after which the payload is sent; unset or 0 for
         * no heartbeat}
         */
        public @Nullable Duration getInterval() {
            return this.interval;
        }

        /**
         * Sets time without writing after which the payload is sent; unset or 0 for no
         * heartbeat.
         * @param interval the new value
         */
        public void setInterval(@Nullable Duration interval) {
            this.interval = interval;
        }

        /**
         * {@return text sent as the heartbeat, encoded as UTF-8; required with an
         * interval}
         */
        public @Nullable String getPayload() {
            return this.payload;
        }

        /**
         * Sets text sent as the heartbeat, encoded as UTF-8; required with an interval.
         * @param payload the new value
         */
        public void setPayload(@Nullable String payload) {
            this.payload = payload;
        }

    }

    /**
     * An endpoint's framing (see {@code dev.socketconnector.Framing}): with a type other
     * than none, the handler's data receives one whole frame per call and each write
     * sends one frame.
     */
    public static class Framing {

        /**
         * Framing type: none (raw bytes, or the connector's default), lines, delimiter,
         * length-prefixed or fixed.
         */
        private String type = "none";

        /**
         * Longest payload of one frame (lines, delimiter, length-prefixed), without the
         * delimiter or length field.
         */
        private DataSize maxLength = DataSize.ofKilobytes(64);

        /** Delimiter that ends each frame (type delimiter), as UTF-8 text. */
        private @Nullable String delimiter;

        /** Size of the big-endian length field (type length-prefixed): 1, 2, 4 or 8. */
        private int lengthFieldBytes = 4;

        /** Length of every frame in bytes (type fixed). */
        private @Nullable Integer fixedLength;

        /**
         * {@return framing type: none, lines, delimiter, length-prefixed or fixed}
         */
        public String getType() {
            return this.type;
        }

        /**
         * Sets framing type: none (raw bytes, or the connector's default), lines,
         * delimiter, length-prefixed or fixed.
         * @param type the new value
         */
        public void setType(String type) {
            this.type = type;
        }

        /**
         * {@return longest payload of one frame, without the delimiter or length field}
         */
        public DataSize getMaxLength() {
            return this.maxLength;
        }

        /**
         * Sets longest payload of one frame (lines, delimiter, length-prefixed), without
         * the delimiter or length field.
         * @param maxLength the new value
         */
        public void setMaxLength(DataSize maxLength) {
            this.maxLength = maxLength;
        }

        /**
         * {@return delimiter that ends each frame (type delimiter), as UTF-8 text}
         */
        public @Nullable String getDelimiter() {
            return this.delimiter;
        }

        /**
         * Sets delimiter that ends each frame (type delimiter), as UTF-8 text.
         * @param delimiter the new value
         */
        public void setDelimiter(@Nullable String delimiter) {
            this.delimiter = delimiter;
        }

        /**
         * {@return size of the big-endian length field (type length-prefixed): 1, 2, 4 or
         * 8}
         */
        public int getLengthFieldBytes() {
            return this.lengthFieldBytes;
        }

        /**
         * Sets size of the big-endian length field (type length-prefixed): 1, 2, 4 or 8.
         * @param lengthFieldBytes the new value
         */
        public void setLengthFieldBytes(int lengthFieldBytes) {
            this.lengthFieldBytes = lengthFieldBytes;
        }

        /**
         * {@return length of every frame in bytes (type fixed)}
         */
        public @Nullable Integer getFixedLength() {
            return this.fixedLength;
        }

        /**
         * Sets length of every frame in bytes (type fixed).
         * @param fixedLength the new value
         */
        public void setFixedLength(@Nullable Integer fixedLength) {
            this.fixedLength = fixedLength;
        }

    }

    /**
     * Pipelined request/reply on an endpoint: enabled once any value is set (a
     * correlation id is set in code, through the connect options).
     */
    public static class RequestReply {

        /**
         * How long each request waits for its reply; 30s when request/reply is enabled by
         * max-in-flight alone. Default unit is milliseconds.
         */
        private @Nullable Duration timeout;

        /**
         * Most requests pending on one socket; a request beyond it fails at once. 1024
         * when request/reply is enabled by timeout alone.
         */
        private @Nullable Integer maxInFlight;

        /**
         * {@return how long each request waits for its reply, or null when not set}
         */
        public @Nullable Duration getTimeout() {
            return this.timeout;
        }

        /**
         * Sets how long each request waits for its reply.
         * @param timeout the new value
         */
        public void setTimeout(@Nullable Duration timeout) {
            this.timeout = timeout;
        }

        /**
         * {@return the most requests pending on one socket, or null when not set}
         */
        public @Nullable Integer getMaxInFlight() {
            return this.maxInFlight;
        }

        /**
         * Sets the most requests pending on one socket.
         * @param maxInFlight the new value
         */
        public void setMaxInFlight(@Nullable Integer maxInFlight) {
            this.maxInFlight = maxInFlight;
        }

        /**
         * {@return whether request/reply is enabled: any value is set}
         */
        boolean enabled() {
            return this.timeout != null || this.maxInFlight != null;
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

        /**
         * Random spread of each delay, from 0 (none) to 1 (anywhere between 0 and twice
         * the delay).
         */
        private double jitter = 0.2;

        /**
         * How long a connection must stay up before the backoff resets; a shorter one
         * counts as a failure.
         */
        private Duration stableAfter = Duration.ofSeconds(10);

        /**
         * {@return whether to reconnect after a failed connect or a dropped connection}
         */
        public boolean isEnabled() {
            return this.enabled;
        }

        /**
         * Sets whether to reconnect after a failed connect or a dropped connection.
         * @param enabled the new value
         */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /**
         * {@return delay before the first reconnect attempt}
         */
        public Duration getInitialBackoff() {
            return this.initialBackoff;
        }

        /**
         * Sets delay before the first reconnect attempt.
         * @param initialBackoff the new value
         */
        public void setInitialBackoff(Duration initialBackoff) {
            this.initialBackoff = initialBackoff;
        }

        /**
         * {@return longest delay between two attempts}
         */
        public Duration getMaxBackoff() {
            return this.maxBackoff;
        }

        /**
         * Sets longest delay between two attempts.
         * @param maxBackoff the new value
         */
        public void setMaxBackoff(Duration maxBackoff) {
            this.maxBackoff = maxBackoff;
        }

        /**
         * {@return factor applied to the delay after each failed attempt, 1 or more}
         */
        public double getMultiplier() {
            return this.multiplier;
        }

        /**
         * Sets factor applied to the delay after each failed attempt, 1 or more.
         * @param multiplier the new value
         */
        public void setMultiplier(double multiplier) {
            this.multiplier = multiplier;
        }

        /**
         * {@return random spread of each delay, from 0 (none) to 1 (anywhere between 0
         * and twice the delay)}
         */
        public double getJitter() {
            return this.jitter;
        }

        /**
         * Sets random spread of each delay, from 0 (none) to 1 (anywhere between 0 and
         * twice the delay).
         * @param jitter the new value
         */
        public void setJitter(double jitter) {
            this.jitter = jitter;
        }

        /**
         * {@return how long a connection must stay up before the backoff resets}
         */
        public Duration getStableAfter() {
            return this.stableAfter;
        }

        /**
         * Sets how long a connection must stay up before the backoff resets; a shorter
         * one counts as a failure.
         * @param stableAfter the new value
         */
        public void setStableAfter(Duration stableAfter) {
            this.stableAfter = stableAfter;
        }

    }

}
