package dev.socketconnector.autoconfigure;

import java.time.Duration;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

import dev.socketconnector.KeepAliveOptions;
import dev.socketconnector.Resolver;
import dev.socketconnector.SocketConnectorBuilder;
import dev.socketconnector.SocketHandler;
import dev.socketconnector.TlsOptions;
import dev.socketconnector.autoconfigure.SocketConnectorProperties.Endpoint;
import dev.socketconnector.autoconfigure.SocketConnectorProperties.Tls;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ListableBeanFactory;

/**
 * Applies {@link SocketConnectorProperties} to a {@link SocketConnectorBuilder}:
 * validates them, resolves the TLS defaults (from an SSL bundle when one is named) and
 * every endpoint with its handler bean.
 */
final class SocketConnectorConfigurer {

    private final SocketConnectorProperties properties;

    private final Supplier<TlsOptions> tlsDefaults;

    private final Map<String, EndpointDefinition> endpoints;

    SocketConnectorConfigurer(SocketConnectorProperties properties, SocketConnectorTls tls,
            ListableBeanFactory beanFactory) {
        SocketConnectorPropertiesValidator.validate(properties);
        this.properties = properties;
        this.tlsDefaults = tls.options(SocketConnectorProperties.PREFIX + ".tls", properties.getTls());
        Map<String, String> handlerNames = SocketHandlerResolver.resolve(properties, beanFactory);
        Map<String, EndpointDefinition> endpoints = new LinkedHashMap<>();
        properties.getEndpoints()
            .forEach((name, endpoint) -> endpoints.put(name, definition(name, endpoint,
                    Objects.requireNonNull(handlerNames.get(name), name), tls, beanFactory)));
        this.endpoints = Collections.unmodifiableMap(endpoints);
    }

    @SuppressWarnings("unchecked")
    private EndpointDefinition definition(String name, Endpoint endpoint, String handlerName, SocketConnectorTls tls,
            ListableBeanFactory beanFactory) {
        String prefix = SocketConnectorProperties.PREFIX + ".endpoints." + name;
        SocketHandler<Object> handler = beanFactory.getBean(handlerName, SocketHandler.class);
        boolean allowHalfOpen = (endpoint.getAllowHalfOpen() != null) ? endpoint.getAllowHalfOpen()
                : this.properties.isAllowHalfOpen();
        Supplier<@Nullable TlsOptions> endpointTls;
        boolean connectorTls = SocketConnectorTls.enabled(this.properties.getTls(), false);
        if (!SocketConnectorTls.enabled(endpoint.getTls(), connectorTls)) {
            endpointTls = () -> null;
        }
        else if (overridesNothing(endpoint.getTls())) {
            endpointTls = () -> TlsOptions.DEFAULTS;
        }
        else {
            Supplier<TlsOptions> options = tls.options(prefix + ".tls", endpoint.getTls());
            endpointTls = options::get;
        }
        EndpointDefinition definition = new EndpointDefinition(name, endpoint, handler, handlerName, allowHalfOpen,
                endpointTls);
        try {
            definition.options();
        }
        catch (IllegalArgumentException ex) {
            throw new InvalidSocketConnectorPropertyException(prefix, null, String.valueOf(ex.getMessage()),
                    "Correct the '" + prefix + ".*' properties.");
        }
        return definition;
    }

    private static boolean overridesNothing(Tls tls) {
        return tls.getBundle() == null && tls.getProvider() == null && tls.getRejectUnauthorized() == null
                && tls.getServerName() == null && tls.getAlpn() == null && tls.getMinVersion() == null
                && tls.getMaxVersion() == null && tls.getCiphers() == null;
    }

    /**
     * Applies the properties and registers every endpoint.
     * @param builder a fresh builder
     */
    void configure(SocketConnectorBuilder builder) {
        SocketConnectorProperties p = this.properties;
        builder.transport(p.getTransport())
            .eventLoopThreads(p.getEventLoopThreads())
            .connectTimeout(p.getConnectTimeout())
            .shutdownTimeout(p.getShutdownTimeout())
            .noDelay(p.isNoDelay())
            .keepAlive(keepAlive(p.getKeepAlive()))
            .readIdleTimeout(p.getReadIdleTimeout())
            .writeBufferWaterMark((int) p.getWriteBuffer().getLowWaterMark().toBytes(),
                    (int) p.getWriteBuffer().getHighWaterMark().toBytes())
            .tls(this.tlsDefaults);
        builder.connectAttemptDelay(p.getConnectAttemptDelay()).resolver(resolver(p));
        for (EndpointDefinition endpoint : this.endpoints.values()) {
            // built once now so invalid options fail startup, then again at each
            // connect(name): an endpoint's
            // own SSL bundle may be reloaded
            endpoint.options();
            builder.endpoint(endpoint.name(), endpoint::options);
        }
    }

    /**
     * The keep-alive properties as {@link KeepAliveOptions} (validated already):
     * {@code idle} when set, else {@code initial-delay} rounded down to seconds (at least
     * 1 s), as {@code keepAlive(boolean, Duration)} maps it.
     */
    static KeepAliveOptions keepAlive(SocketConnectorProperties.KeepAlive keepAlive) {
        Duration idle = keepAlive.getIdle();
        if (idle == null) {
            idle = Duration.ofSeconds(Math.max(1, Math.min(32767, keepAlive.getInitialDelay().getSeconds())));
        }
        return KeepAliveOptions.builder()
            .enabled(keepAlive.isEnabled())
            .idle(idle)
            .interval(keepAlive.getInterval())
            .count(keepAlive.getCount())
            .userTimeout(keepAlive.getUserTimeout())
            .build();
    }

    /** The connector's resolver: {@code resolver} and {@code dns.servers}, validated. */
    private static Resolver resolver(SocketConnectorProperties properties) {
        if (properties.getResolver() == SocketConnectorProperties.ResolverType.JDK) {
            return Resolver.jdk();
        }
        List<String> servers = properties.getDns().getServers();
        if (servers.isEmpty()) {
            return Resolver.dns();
        }
        return Resolver.dns(servers.stream().map(HostPorts::parseIp).toArray(InetSocketAddress[]::new));
    }

    /** Returns the properties. */
    SocketConnectorProperties properties() {
        return this.properties;
    }

    /**
     * Returns the connector's TLS defaults as they are now (they change when the bundle
     * is reloaded).
     */
    TlsOptions tlsDefaults() {
        return this.tlsDefaults.get();
    }

    /** Returns every endpoint by name, in configuration order. */
    Map<String, EndpointDefinition> endpoints() {
        return this.endpoints;
    }

    /** Returns the endpoints that are connected on startup, in configuration order. */
    List<EndpointDefinition> managedEndpoints() {
        List<EndpointDefinition> managed = new ArrayList<>();
        for (EndpointDefinition endpoint : this.endpoints.values()) {
            if (endpoint.connectOnStartup()) {
                managed.add(endpoint);
            }
        }
        return managed;
    }

}
