package dev.socketconnector.internal.tls;

import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

import dev.socketconnector.TlsOptions;
import dev.socketconnector.TlsProvider;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.CipherSuiteConverter;
import io.netty.handler.ssl.IdentityCipherSuiteFilter;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;
import org.jspecify.annotations.Nullable;

/**
 * Creates each connection's {@link TlsConnection} from the connect's TLS options merged
 * with the connector's defaults. One per connector; thread-safe. Keeps one
 * {@code SslContext} per distinct configuration (bounded, least recently used first out),
 * so the next connect to the same host:port resumes the session.
 */
public final class TlsConnections {

    static final int MAX_CONTEXTS = 64;

    private static final InternalLogger logger = InternalLoggerFactory.getInstance(TlsConnections.class);

    private final AtomicBoolean insecureWarned = new AtomicBoolean();

    private final Supplier<TlsOptions> defaults;

    private final Map<Key, Context> contexts = new LinkedHashMap<>(16, 0.75f, true) {

        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Context> eldest) {
            return size() > MAX_CONTEXTS;
        }
    };

    /**
     * The last connect's options merged: the next connect with equal options (the same
     * instance, or an equal one built anew for each connect; {@code TlsOptions} is
     * immutable) and the same defaults instance skips the merge and the key's
     * construction, and finds its context with the key instance the map holds.
     */
    private volatile @Nullable Merged lastMerged;

    /** How many connects merged their options (tests: the last merge is reused). */
    private final AtomicInteger merges = new AtomicInteger();

    /** One options/defaults pair merged, with its provider and context key. */
    private record Merged(TlsOptions options, TlsOptions defaults, TlsOptions merged, TlsProvider provider, Key key) {
    }

    public TlsConnections(Supplier<TlsOptions> defaults) {
        this.defaults = defaults;
    }

    /**
     * Sessions kept per context for resumption: a few per host:port for the handful of
     * places one dials.
     */
    static final int SESSION_CACHE_SIZE = 64;

    /**
     * How long a kept session may be resumed, in seconds (OpenSSL's default session
     * timeout, 5 minutes).
     */
    static final int SESSION_TIMEOUT_SECONDS = 300;

    /** The shared part of connections with one configuration. */
    record Context(SslContext sslContext, TlsProvider provider, TlsVerifier verifier, TlsTrustManager trustManager,
            @Nullable List<X509Certificate> localChain, boolean keyLog) {
    }

    /**
     * What a context is built from: the loaded certificates and key (not the paths they
     * came from, so a file rewritten in place gives new options a new context), the
     * factories, and the other fields. The server name and {@code rejectUnauthorized} are
     * part of it so a session verified for one name, or kept without verification, is
     * never resumed by a connection that would have refused it.
     */
    private static final class Key {

        private final List<Object> fields;

        /**
         * Computed once: the key of the last connect's options is reused, and looking it
         * up must not hash certificates and lists again.
         */
        private final int hash;

        private Key(List<Object> fields) {
            this.fields = fields;
            this.hash = fields.hashCode();
        }

        static Key of(TlsOptions options, TlsProvider provider) {
            // Arrays.asList: the fields may be null
            return new Key(Arrays.asList(options.ca(), options.cert(), options.key(), options.trustManagerFactory(),
                    options.keyManagerFactory(), options.serverName(), options.rejectUnauthorized(),
                    options.alpnProtocols(), options.minVersion(), options.maxVersion(), options.ciphers(), provider));
        }

        @Override
        public boolean equals(@Nullable Object other) {
            return this == other
                    || (other instanceof Key key && this.hash == key.hash && this.fields.equals(key.fields));
        }

        @Override
        public int hashCode() {
            return this.hash;
        }

    }

    /**
     * Prepares TLS for one connection; called on the caller's thread by
     * {@code connect()}, so invalid options fail synchronously.
     * @param options the connect's TLS options ({@link TlsOptions#DEFAULTS} for
     * {@code tls(true)})
     * @param host the host name or IP literal dialled, or null for a unix socket
     * @param port the port, or -1 for a unix socket
     * @param alloc the allocator
     * @return the connection's TLS
     * @throws IllegalArgumentException naming the TLS option that cannot be used
     */
    public TlsConnection newConnection(TlsOptions options, @Nullable String host, int port, ByteBufAllocator alloc) {
        TlsOptions defaultOptions = this.defaults.get();
        Merged last = this.lastMerged;
        TlsOptions merged;
        TlsProvider provider;
        Key key;
        if (last != null && last.defaults() == defaultOptions
                && (last.options() == options || last.options().equals(options))) {
            // equal options merge to equal options (the merge and the provider depend
            // on the fields only): most callers build their options for each connect
            merged = last.merged();
            provider = last.provider();
            key = last.key();
        }
        else {
            this.merges.incrementAndGet();
            merged = options.withDefaults(defaultOptions);
            provider = resolve(merged.provider());
            key = Key.of(merged, provider);
        }
        Context context;
        synchronized (this.contexts) {
            context = this.contexts.get(key);
        }
        if (context == null) {
            context = build(merged, provider);
            synchronized (this.contexts) {
                Context raced = this.contexts.putIfAbsent(key, context);
                if (raced != null) {
                    context = raced;
                }
            }
        }
        if (last == null || last.key() != key) {
            this.lastMerged = new Merged(options, defaultOptions, merged, provider, key);
        }
        boolean reject = merged.rejectUnauthorized() == null || merged.rejectUnauthorized();
        if (!reject && this.insecureWarned.compareAndSet(false, true)) {
            logger.warn(
                    "TLS certificate verification is off (rejectUnauthorized=false) for a connection to {}: "
                            + "peers are not authenticated; logged once per connector",
                    (host != null) ? host + ":" + port : "a unix socket");
        }
        return new TlsChannelConnection(context, host, port, merged.serverName(), reject, alloc);
    }

    /**
     * How many connects merged their options instead of reusing the last merge (tests).
     */
    int merges() {
        return this.merges.get();
    }

    /**
     * The contexts kept now, least recently used first (tests: session cache bounds,
     * trust manager registry).
     */
    List<Context> contexts() {
        synchronized (this.contexts) {
            return List.copyOf(this.contexts.values());
        }
    }

    /**
     * Returns the provider of a connect whose options do not set one: the defaults'
     * provider, AUTO resolved to OPENSSL when BoringSSL loads, else JDK; an explicit
     * OPENSSL as set, even when it cannot load.
     * @return OPENSSL or JDK
     */
    public TlsProvider defaultProvider() {
        TlsProvider provider = this.defaults.get().provider();
        return (provider == TlsProvider.OPENSSL) ? provider : resolve(provider);
    }

    /** Returns the provider AUTO stands for: OPENSSL when BoringSSL loads, else JDK. */
    static TlsProvider resolve(@Nullable TlsProvider provider) {
        if (provider == TlsProvider.OPENSSL) {
            if (!OpenSsl.isAvailable()) {
                throw new IllegalArgumentException("provider OPENSSL is not available: netty-tcnative-boringssl-static"
                        + " is not on the class path or did not load (" + OpenSsl.unavailabilityCause()
                        + "); use TlsProvider.JDK or AUTO");
            }
            return TlsProvider.OPENSSL;
        }
        if (provider == TlsProvider.JDK) {
            return TlsProvider.JDK;
        }
        return OpenSsl.isAvailable() ? TlsProvider.OPENSSL : TlsProvider.JDK;
    }

    static Context build(TlsOptions options, TlsProvider provider) {
        TlsTrustManager trustManager = new TlsTrustManager();
        SslContextBuilder builder = SslContextBuilder.forClient()
            .sslProvider((provider == TlsProvider.OPENSSL) ? SslProvider.OPENSSL : SslProvider.JDK)
            // TlsVerifier decides during the handshake (through this trust manager), with
            // Node's codes: a
            // refused server gets a fatal alert before the client's certificate or any
            // application byte
            .trustManager(trustManager)
            .endpointIdentificationAlgorithm(null)
            // a bounded cache: what resumption needs, not every session of every closed
            // connection
            .sessionCacheSize(SESSION_CACHE_SIZE)
            .sessionTimeout(SESSION_TIMEOUT_SECONDS)
            .protocols(protocols(options.minVersion(), options.maxVersion()));
        if (options.key() != null && options.cert() != null) {
            builder.keyManager(options.key(), options.cert());
        }
        else if (options.keyManagerFactory() != null) {
            builder.keyManager(options.keyManagerFactory());
        }
        if (options.ciphers() != null) {
            builder.ciphers(javaCipherNames(options.ciphers(), provider), IdentityCipherSuiteFilter.INSTANCE);
        }
        if (options.alpnProtocols() != null) {
            builder.applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                    ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                    ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, options.alpnProtocols()));
        }
        SslContext sslContext;
        try {
            sslContext = builder.build();
        }
        catch (SSLException | RuntimeException ex) {
            throw new IllegalArgumentException("TLS options cannot be used with provider " + provider + " ("
                    + ((options.key() != null) ? "check key and cert; " : "") + "ciphers " + options.ciphers() + "): "
                    + ex.getMessage(), ex);
        }
        boolean keyLog = provider == TlsProvider.OPENSSL && TlsKeyLog.install(sslContext);
        TlsVerifier verifier = (options.ca() != null) ? TlsVerifier.trusting(options.ca())
                : (options.trustManagerFactory() != null) ? TlsVerifier.trusting(options.trustManagerFactory())
                        : TlsVerifier.jdkDefault();
        // loaded here, on the connect() caller's thread and once per context, even when
        // verification waits for a question (rejectUnauthorized false): reading a trust
        // store is file I/O, which must never run on an event loop, and one that cannot
        // be read fails this connect, not a later verification
        verifier.loadAnchors();
        return new Context(sslContext, provider, verifier, trustManager, options.cert(), keyLog);
    }

    static List<String> protocols(@Nullable String min, @Nullable String max) {
        List<String> protocols = new ArrayList<>();
        String low = (min != null) ? min : "TLSv1.2";
        String high = (max != null) ? max : "TLSv1.3";
        for (String version : List.of("TLSv1.3", "TLSv1.2")) {
            if (version.compareTo(low) >= 0 && version.compareTo(high) <= 0) {
                protocols.add(version);
            }
        }
        if (protocols.isEmpty()) {
            throw new IllegalArgumentException("minVersion " + low + " must not be above maxVersion " + high);
        }
        return protocols;
    }

    /**
     * Maps IANA or OpenSSL cipher names to the provider's Java names; unknown names fail
     * naming {@code ciphers}.
     */
    static List<String> javaCipherNames(List<String> ciphers, TlsProvider provider) {
        Set<String> supported = (provider == TlsProvider.OPENSSL) ? OpenSsl.availableJavaCipherSuites()
                : jdkCipherSuites();
        List<String> names = new ArrayList<>();
        for (String cipher : ciphers) {
            String name = cipher.trim();
            if (!supported.contains(name)) {
                String converted = CipherSuiteConverter.toJava(name, "TLS");
                if (converted == null || !supported.contains(converted)) {
                    throw new IllegalArgumentException("ciphers: unknown or unsupported cipher suite '" + cipher
                            + "' for the " + provider + " TLS provider");
                }
                name = converted;
            }
            names.add(name);
        }
        return names;
    }

    private static Set<String> jdkCipherSuites() {
        try {
            return Set.of(SSLContext.getDefault().getSupportedSSLParameters().getCipherSuites());
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("the JDK has no default SSLContext", ex);
        }
    }

}
