package dev.socketconnector.autoconfigure;

import java.time.Duration;

import dev.socketconnector.SocketConnector;
import dev.socketconnector.SocketConnectorBuilder;
import dev.socketconnector.Transport;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ImportRuntimeHints;
import org.springframework.core.env.Environment;

/**
 * Auto-configures a {@link SocketConnector} from {@code socket.connector.*}: TLS from
 * Spring SSL bundles, named endpoints with their handler beans, managed
 * (connect-on-startup) endpoints in a {@link SocketEndpointRegistry}, and a graceful
 * shutdown.
 * <p>
 * The connector backs off when the application defines its own;
 * {@link SocketConnectorBuilderCustomizer} beans run after the properties have been
 * applied.
 */
@AutoConfiguration(after = SslAutoConfiguration.class)
@ConditionalOnClass(SocketConnector.class)
@EnableConfigurationProperties(SocketConnectorProperties.class)
@ImportRuntimeHints(SocketConnectorRuntimeHints.class)
public final class SocketConnectorAutoConfiguration {

    /** Spring's default for {@code spring.lifecycle.timeout-per-shutdown-phase}. */
    private static final Duration DEFAULT_TIMEOUT_PER_SHUTDOWN_PHASE = Duration.ofSeconds(30);

    @Bean
    @ConditionalOnMissingBean
    SocketConnectorConfigurer socketConnectorConfigurer(SocketConnectorProperties properties,
            ObjectProvider<SslBundles> sslBundles, ListableBeanFactory beanFactory, Environment environment,
            ObjectProvider<SocketEndpointConnectionDetails> connectionDetails) {
        // an unknown key first: a misspelt one usually leaves a value missing, which
        // validation would report
        SocketConnectorPropertyKeys.check(environment);
        // addresses from a ConnectionDetails bean (Testcontainers, Docker Compose, a test
        // server) win
        connectionDetails.orderedStream().forEach((details) -> applyTo(details, properties));
        return new SocketConnectorConfigurer(properties, new SocketConnectorTls(sslBundles.getIfAvailable()),
                beanFactory);
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    SocketConnector socketConnector(SocketConnectorConfigurer configurer,
            ObjectProvider<SocketConnectorBuilderCustomizer> customizers) {
        SocketConnectorBuilder builder = SocketConnector.builder();
        configurer.configure(builder);
        customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
        try {
            return builder.build();
        }
        catch (IllegalStateException ex) {
            Transport transport = configurer.properties().getTransport();
            if (transport == Transport.EPOLL || transport == Transport.IO_URING) {
                throw new InvalidSocketConnectorPropertyException(SocketConnectorProperties.PREFIX + ".transport",
                        transport, String.valueOf(ex.getMessage()),
                        "Set 'socket.connector.transport' to auto or nio, or add " + "Netty's native transport for "
                                + transport + " with its classifier jar for "
                                + "this platform (and --enable-native-access=ALL-UNNAMED on JDK 24+).");
            }
            throw ex;
        }
        catch (IllegalArgumentException ex) {
            Duration userTimeout = configurer.properties().getKeepAlive().getUserTimeout();
            if (!userTimeout.isZero() && String.valueOf(ex.getMessage()).contains("userTimeout")) {
                throw new InvalidSocketConnectorPropertyException(
                        SocketConnectorProperties.PREFIX + ".keep-alive.user-timeout", userTimeout,
                        String.valueOf(ex.getMessage()),
                        "Set 'socket.connector.keep-alive.user-timeout' to 0 on the NIO transport and use "
                                + "'socket.connector.read-idle-timeout' with an endpoint's 'heartbeat.interval' to "
                                + "detect a dead peer, or set 'socket.connector.transport' to epoll or io_uring.");
            }
            throw ex;
        }
    }

    @Bean
    @ConditionalOnMissingBean(SocketEndpointRegistry.class)
    ManagedSocketEndpoints socketEndpointRegistry(SocketConnector socketConnector, SocketConnectorConfigurer configurer,
            ApplicationEventPublisher publisher) {
        return new ManagedSocketEndpoints(socketConnector, configurer, publisher);
    }

    @Bean
    @ConditionalOnMissingBean
    SocketConnectorLifecycle socketConnectorLifecycle(SocketConnector socketConnector,
            ObjectProvider<ManagedSocketEndpoints> endpoints, SocketConnectorProperties properties,
            Environment environment) {
        Duration perPhase = Binder.get(environment)
            .bind("spring.lifecycle.timeout-per-shutdown-phase", Duration.class)
            .orElse(DEFAULT_TIMEOUT_PER_SHUTDOWN_PHASE);
        Duration timeout = (properties.getShutdownTimeout().compareTo(perPhase) < 0) ? properties.getShutdownTimeout()
                : perPhase;
        return new SocketConnectorLifecycle(socketConnector, endpoints.getIfAvailable(), timeout);
    }

    /**
     * Applies connection details to the bound properties: each address replaces the
     * configured one (an endpoint the properties do not mention is created), and a bundle
     * replaces {@code tls.bundle}.
     */
    private static void applyTo(SocketEndpointConnectionDetails details, SocketConnectorProperties properties) {
        details.endpoints().forEach((name, address) -> {
            SocketConnectorProperties.Endpoint endpoint = properties.getEndpoints()
                .computeIfAbsent(name, (key) -> new SocketConnectorProperties.Endpoint());
            endpoint.setHostname(address.hostname());
            endpoint.setPort(address.port());
            endpoint.setUnix(address.unix());
            endpoint.setAddresses(null);
            if (address.sslBundle() != null) {
                endpoint.getTls().setBundle(address.sslBundle());
            }
        });
    }

}
