package dev.socketconnector.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.socketconnector.TlsOptions;
import dev.socketconnector.autoconfigure.SocketConnectorProperties.Tls;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.util.StringUtils;

/**
 * Turns {@code tls.*} property groups into {@link TlsOptions}, taking trust and key
 * material from Spring SSL bundles. A bundle's update handler rebuilds the options, so
 * the next connect uses the reloaded material while open sockets keep theirs.
 */
final class SocketConnectorTls {

    private static final Log logger = LogFactory.getLog(SocketConnectorTls.class);

    private final @Nullable SslBundles sslBundles;

    SocketConnectorTls(@Nullable SslBundles sslBundles) {
        this.sslBundles = sslBundles;
    }

    /**
     * Returns whether a {@code tls} group enables TLS: its {@code enabled} value, else
     * true when it names a bundle, else {@code inherited}.
     */
    static boolean enabled(Tls tls, boolean inherited) {
        if (tls.getEnabled() != null) {
            return tls.getEnabled();
        }
        return StringUtils.hasText(tls.getBundle()) || inherited;
    }

    /**
     * Returns the options of a {@code tls} group as a supplier that follows its bundle's
     * reloads; every value the group leaves unset stays unset (so it is taken from the
     * connector's defaults).
     * @param prefix the group's property path, such as {@code socket.connector.tls}
     * @param tls the group
     * @return the current options
     */
    Supplier<TlsOptions> options(String prefix, Tls tls) {
        String bundleName = tls.getBundle();
        if (!StringUtils.hasText(bundleName)) {
            TlsOptions options = build(prefix, tls, null);
            return () -> options;
        }
        SslBundles bundles = bundles(prefix);
        SslBundle bundle = bundle(bundles, prefix, bundleName);
        AtomicReference<TlsOptions> current = new AtomicReference<>(build(prefix, tls, bundle));
        bundles.addBundleUpdateHandler(bundleName, (updated) -> reload(current, prefix, tls, updated));
        return current::get;
    }

    private void reload(AtomicReference<TlsOptions> current, String prefix, Tls tls, SslBundle updated) {
        try {
            current.set(build(prefix, tls, updated));
            logger.info("SSL bundle '" + tls.getBundle() + "' was updated: new connections of '" + prefix
                    + "' use the new material");
        }
        catch (RuntimeException ex) {
            logger.error("SSL bundle '" + tls.getBundle() + "' was updated but cannot be used for '" + prefix
                    + "'; new connections keep the previous material", ex);
        }
    }

    private SslBundles bundles(String prefix) {
        if (this.sslBundles == null) {
            throw new InvalidSocketConnectorPropertyException(prefix + ".bundle", null,
                    "no SslBundles bean is available to resolve the bundle",
                    "Enable Spring Boot's SslAutoConfiguration or remove '" + prefix + ".bundle'.");
        }
        return this.sslBundles;
    }

    private static SslBundle bundle(SslBundles bundles, String prefix, String name) {
        try {
            return bundles.getBundle(name);
        }
        catch (NoSuchSslBundleException ex) {
            List<String> names = bundles.getBundleNames();
            throw new InvalidSocketConnectorPropertyException(prefix + ".bundle", name,
                    "no SSL bundle named '" + name + "' is defined (defined bundles: "
                            + (names.isEmpty() ? "none" : String.join(", ", names)) + ")",
                    "Define it with 'spring.ssl.bundle.pem." + name + ".*' or 'spring.ssl.bundle.jks." + name
                            + ".*', or set '" + prefix + ".bundle' to one of the defined bundles.");
        }
    }

    private static TlsOptions build(String prefix, Tls tls, @Nullable SslBundle bundle) {
        TlsOptions.Builder builder = TlsOptions.builder();
        List<String> ciphers = tls.getCiphers();
        String minVersion = tls.getMinVersion();
        String maxVersion = tls.getMaxVersion();
        if (bundle != null) {
            builder.trustManagerFactory(bundle.getManagers().getTrustManagerFactory());
            if (bundle.getStores().getKeyStore() != null) {
                builder.keyManagerFactory(bundle.getManagers().getKeyManagerFactory());
            }
            SslOptions bundleOptions = bundle.getOptions();
            if (ciphers == null && bundleOptions.getCiphers() != null) {
                ciphers = List.of(bundleOptions.getCiphers());
            }
            List<String> versions = knownVersions(bundleOptions.getEnabledProtocols());
            if (!versions.isEmpty()) {
                minVersion = (minVersion != null) ? minVersion : versions.get(0);
                maxVersion = (maxVersion != null) ? maxVersion : versions.get(versions.size() - 1);
            }
        }
        set(builder::provider, tls.getProvider());
        set(builder::rejectUnauthorized, tls.getRejectUnauthorized());
        set(builder::serverName, tls.getServerName());
        set(builder::minVersion, minVersion);
        set(builder::maxVersion, maxVersion);
        set((List<String> alpn) -> builder.alpnProtocols(alpn.toArray(String[]::new)), tls.getAlpn());
        set((List<String> list) -> builder.ciphers(list.toArray(String[]::new)), ciphers);
        try {
            return builder.build();
        }
        catch (IllegalArgumentException ex) {
            throw new InvalidSocketConnectorPropertyException(prefix, null, String.valueOf(ex.getMessage()),
                    "Correct the '" + prefix + ".*' properties (or the options of the SSL bundle they name).");
        }
    }

    private static List<String> knownVersions(String @Nullable [] protocols) {
        List<String> versions = new ArrayList<>();
        if (protocols != null) {
            for (String protocol : protocols) {
                if (TlsOptions.VERSIONS.contains(protocol)) {
                    versions.add(protocol);
                }
            }
        }
        versions.sort(null);
        return versions;
    }

    private static <T> void set(Function<T, ?> setter, @Nullable T value) {
        if (value != null) {
            setter.apply(value);
        }
    }

}
