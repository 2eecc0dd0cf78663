package dev.socketconnector;

import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

import dev.socketconnector.internal.tls.TlsMaterials;
import org.jspecify.annotations.Nullable;

/**
 * TLS options for a connect, as Bun's {@code tls} object. Immutable: build with
 * {@link #builder()}.
 * <p>
 * Every field may be left unset: on a connect, unset fields take the connector's defaults
 * ({@link SocketConnectorBuilder#tls(TlsOptions)}), then the built-in defaults: the JDK
 * trust store, {@code rejectUnauthorized} true, TLS 1.2 and 1.3, the provider's default
 * ciphers, {@link TlsProvider#AUTO}. {@link #toString()} never shows keys or the
 * passphrase.
 */
public final class TlsOptions {

    /** TLS with every field unset: the connector's defaults ({@code tls(true)}). */
    public static final TlsOptions DEFAULTS = new Builder().build();

    /** The protocol versions accepted by {@code minVersion} and {@code maxVersion}. */
    public static final Set<String> VERSIONS = Set.of("TLSv1.2", "TLSv1.3");

    private final @Nullable List<X509Certificate> ca;

    private final @Nullable List<X509Certificate> cert;

    private final @Nullable PrivateKey key;

    private final @Nullable TrustManagerFactory trustManagerFactory;

    private final @Nullable KeyManagerFactory keyManagerFactory;

    private final @Nullable String serverName;

    private final @Nullable Boolean rejectUnauthorized;

    private final @Nullable List<String> alpnProtocols;

    private final @Nullable String minVersion;

    private final @Nullable String maxVersion;

    private final @Nullable List<String> ciphers;

    private final @Nullable TlsProvider provider;

    /**
     * Options of parsed values only: neither the sources (paths, PEM text) nor the
     * passphrase are kept, so merging with defaults reads nothing again and no secret but
     * the key object outlives {@code build()}.
     */
    private TlsOptions(Builder builder, @Nullable List<X509Certificate> ca, @Nullable List<X509Certificate> cert,
            @Nullable PrivateKey key) {
        this.ca = ca;
        this.cert = cert;
        this.key = key;
        this.trustManagerFactory = builder.trustManagerFactory;
        this.keyManagerFactory = builder.keyManagerFactory;
        this.serverName = builder.serverName;
        this.rejectUnauthorized = builder.rejectUnauthorized;
        this.alpnProtocols = builder.alpnProtocols;
        this.minVersion = builder.minVersion;
        this.maxVersion = builder.maxVersion;
        this.ciphers = builder.ciphers;
        this.provider = builder.provider;
    }

    /**
     * {@return a builder with every field unset}
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns a builder holding these options: the certificates and key as read (not the
     * files or text they came from), no passphrase.
     * @return the builder
     */
    public Builder toBuilder() {
        Builder builder = new Builder();
        if (this.ca != null) {
            builder.caSources = certificateSources(this.ca);
        }
        if (this.cert != null) {
            builder.certSources = certificateSources(this.cert);
        }
        if (this.key != null) {
            builder.keySource = new TlsSource.Key(this.key);
        }
        builder.trustManagerFactory = this.trustManagerFactory;
        builder.keyManagerFactory = this.keyManagerFactory;
        builder.serverName = this.serverName;
        builder.rejectUnauthorized = this.rejectUnauthorized;
        builder.alpnProtocols = this.alpnProtocols;
        builder.minVersion = this.minVersion;
        builder.maxVersion = this.maxVersion;
        builder.ciphers = this.ciphers;
        builder.provider = this.provider;
        return builder;
    }

    private static List<TlsSource> certificateSources(List<X509Certificate> certificates) {
        List<TlsSource> sources = new ArrayList<>(certificates.size());
        for (X509Certificate certificate : certificates) {
            sources.add(new TlsSource.Certificate(certificate));
        }
        return sources;
    }

    /**
     * Returns these options with every unset field taken from {@code defaults}. Trust
     * ({@code ca} or {@code trustManagerFactory}) and the client identity
     * ({@code cert}/{@code key} or {@code keyManagerFactory}) are taken as a whole from
     * whichever side sets them. Reuses the certificates and keys both sides have read: no
     * file is read and no key decrypted again.
     * @param defaults the connector's defaults
     * @return the merged options
     * @throws IllegalArgumentException when the merged versions conflict
     */
    public TlsOptions withDefaults(TlsOptions defaults) {
        if (defaults == DEFAULTS || defaults == this) {
            return this;
        }
        if (this == DEFAULTS) {
            return defaults;
        }
        Builder merged = new Builder();
        TlsOptions trust = (this.ca != null || this.trustManagerFactory != null) ? this : defaults;
        merged.trustManagerFactory = trust.trustManagerFactory;
        TlsOptions identity = (this.cert != null || this.key != null || this.keyManagerFactory != null) ? this
                : defaults;
        merged.keyManagerFactory = identity.keyManagerFactory;
        merged.serverName = (this.serverName != null) ? this.serverName : defaults.serverName;
        merged.rejectUnauthorized = (this.rejectUnauthorized != null) ? this.rejectUnauthorized
                : defaults.rejectUnauthorized;
        merged.alpnProtocols = (this.alpnProtocols != null) ? this.alpnProtocols : defaults.alpnProtocols;
        merged.minVersion = (this.minVersion != null) ? this.minVersion : defaults.minVersion;
        merged.maxVersion = (this.maxVersion != null) ? this.maxVersion : defaults.maxVersion;
        merged.ciphers = (this.ciphers != null) ? this.ciphers : defaults.ciphers;
        merged.provider = (this.provider != null) ? this.provider : defaults.provider;
        Options.validTlsRules(merged.alpnProtocols, merged.minVersion, merged.maxVersion, merged.ciphers);
        return new TlsOptions(merged, trust.ca, identity.cert, identity.key);
    }

    /**
     * {@return the trusted CA certificates, or null for the JDK's trust store}
     */
    public @Nullable List<X509Certificate> ca() {
        return this.ca;
    }

    /**
     * {@return the client certificate chain (leaf first), or null}
     */
    public @Nullable List<X509Certificate> cert() {
        return this.cert;
    }

    /**
     * {@return the client private key, or null}
     */
    public @Nullable PrivateKey key() {
        return this.key;
    }

    /**
     * {@return the trust manager factory that replaces {@code ca} (from a Spring SSL
     * bundle), or null}
     */
    public @Nullable TrustManagerFactory trustManagerFactory() {
        return this.trustManagerFactory;
    }

    /**
     * {@return the key manager factory that replaces {@code cert}/{@code key} (from a
     * Spring SSL bundle), or null}
     */
    public @Nullable KeyManagerFactory keyManagerFactory() {
        return this.keyManagerFactory;
    }

    /**
     * {@return the SNI name and the name the certificate is checked against, or null for
     * the hostname}
     */
    public @Nullable String serverName() {
        return this.serverName;
    }

    /**
     * {@return whether an unverified peer is refused, or null when unset (then true)}
     */
    public @Nullable Boolean rejectUnauthorized() {
        return this.rejectUnauthorized;
    }

    /**
     * {@return the ALPN protocol names offered, or null}
     */
    public @Nullable List<String> alpnProtocols() {
        return this.alpnProtocols;
    }

    /**
     * {@return the lowest protocol version, or null (then {@code TLSv1.2})}
     */
    public @Nullable String minVersion() {
        return this.minVersion;
    }

    /**
     * {@return the highest protocol version, or null (then {@code TLSv1.3})}
     */
    public @Nullable String maxVersion() {
        return this.maxVersion;
    }

    /**
     * {@return the cipher suites (IANA or OpenSSL names), or null for the provider's
     * defaults}
     */
    public @Nullable List<String> ciphers() {
        return this.ciphers;
    }

    /**
     * {@return the provider, or null when unset (then {@link TlsProvider#AUTO})}
     */
    public @Nullable TlsProvider provider() {
        return this.provider;
    }

    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof TlsOptions that && Objects.equals(this.ca, that.ca)
                && Objects.equals(this.cert, that.cert) && Objects.equals(this.key, that.key)
                && Objects.equals(this.trustManagerFactory, that.trustManagerFactory)
                && Objects.equals(this.keyManagerFactory, that.keyManagerFactory)
                && Objects.equals(this.serverName, that.serverName)
                && Objects.equals(this.rejectUnauthorized, that.rejectUnauthorized)
                && Objects.equals(this.alpnProtocols, that.alpnProtocols)
                && Objects.equals(this.minVersion, that.minVersion) && Objects.equals(this.maxVersion, that.maxVersion)
                && Objects.equals(this.ciphers, that.ciphers) && this.provider == that.provider;
    }

    @Override
    public int hashCode() {
        return Objects.hash(this.ca, this.cert, this.key, this.serverName, this.rejectUnauthorized, this.alpnProtocols,
                this.minVersion, this.maxVersion, this.ciphers, this.provider);
    }

    @Override
    public String toString() {
        return "TlsOptions[ca=" + describe(this.ca) + ", cert=" + describe(this.cert) + ", key="
                + ((this.key != null || this.keyManagerFactory != null) ? "(set)" : "null") + ", serverName="
                + this.serverName + ", rejectUnauthorized=" + this.rejectUnauthorized + ", alpnProtocols="
                + this.alpnProtocols + ", minVersion=" + this.minVersion + ", maxVersion=" + this.maxVersion
                + ", ciphers=" + this.ciphers + ", provider=" + this.provider + "]";
    }

    private static String describe(@Nullable List<X509Certificate> certificates) {
        if (certificates == null) {
            return "null";
        }
        List<String> names = new ArrayList<>();
        for (X509Certificate certificate : certificates) {
            names.add(certificate.getSubjectX500Principal().getName());
        }
        return names.toString();
    }

    /**
     * Builds {@link TlsOptions}. Certificates and keys are read and checked by
     * {@link #build()}.
     */
    public static final class Builder {

        private List<TlsSource> caSources = new ArrayList<>();

        private List<TlsSource> certSources = new ArrayList<>();

        private @Nullable TlsSource keySource;

        private @Nullable String passphrase;

        private @Nullable TrustManagerFactory trustManagerFactory;

        private @Nullable KeyManagerFactory keyManagerFactory;

        private @Nullable String serverName;

        private @Nullable Boolean rejectUnauthorized;

        private @Nullable List<String> alpnProtocols;

        private @Nullable String minVersion;

        private @Nullable String maxVersion;

        private @Nullable List<String> ciphers;

        private @Nullable TlsProvider provider;

        private Builder() {
        }

        /**
         * Sets the trusted CAs from PEM text (one or more certificates per string);
         * replaces the JDK trust store.
         * @param pem PEM text
         * @return this builder
         */
        public Builder ca(String... pem) {
            this.caSources = sources(pem, "ca", TlsSource.Pem::new);
            return this;
        }

        /**
         * Sets the trusted CAs from PEM or PKCS#12 files.
         * @param files the files
         * @return this builder
         */
        public Builder ca(Path... files) {
            this.caSources = sources(files, "ca", TlsSource.File::new);
            return this;
        }

        /**
         * Sets the trusted CAs.
         * @param certificates the certificates
         * @return this builder
         */
        public Builder ca(X509Certificate... certificates) {
            this.caSources = sources(certificates, "ca", TlsSource.Certificate::new);
            return this;
        }

        /**
         * Sets the client certificate chain from PEM text (leaf first).
         * @param pem PEM text
         * @return this builder
         */
        public Builder cert(String pem) {
            this.certSources = List.of(new TlsSource.Pem(Objects.requireNonNull(pem, "cert")));
            return this;
        }

        /**
         * Sets the client certificate chain from a PEM file, or a PKCS#12 file that also
         * supplies the key when {@code key} is unset. Directories, FIFOs and missing
         * files are refused by {@link #build()}.
         * @param file the file
         * @return this builder
         */
        public Builder cert(Path file) {
            this.certSources = List.of(new TlsSource.File(Objects.requireNonNull(file, "cert")));
            return this;
        }

        /**
         * Sets the client certificate chain (leaf first).
         * @param certificates the chain
         * @return this builder
         */
        public Builder cert(X509Certificate... certificates) {
            this.certSources = sources(certificates, "cert", TlsSource.Certificate::new);
            return this;
        }

        /**
         * Sets the client private key from PEM text: PKCS#8, encrypted PKCS#8 (set
         * {@link #passphrase(String)}), PKCS#1 RSA or SEC1 EC (also with legacy
         * {@code Proc-Type: 4,ENCRYPTED} headers).
         * @param pem PEM text
         * @return this builder
         */
        public Builder key(String pem) {
            this.keySource = new TlsSource.Pem(Objects.requireNonNull(pem, "key"));
            return this;
        }

        /**
         * Sets the client private key from a PEM or PKCS#12 file.
         * @param file the file
         * @return this builder
         */
        public Builder key(Path file) {
            this.keySource = new TlsSource.File(Objects.requireNonNull(file, "key"));
            return this;
        }

        /**
         * Sets the client private key.
         * @param key the key
         * @return this builder
         */
        public Builder key(PrivateKey key) {
            this.keySource = new TlsSource.Key(Objects.requireNonNull(key, "key"));
            return this;
        }

        /**
         * Sets the passphrase of an encrypted key or a PKCS#12 file; never logged nor
         * shown.
         * @param passphrase the passphrase
         * @return this builder
         */
        public Builder passphrase(String passphrase) {
            this.passphrase = Objects.requireNonNull(passphrase, "passphrase");
            return this;
        }

        /**
         * Sets a trust manager factory instead of {@code ca} (as a Spring SSL bundle
         * provides).
         * @param trustManagerFactory the factory
         * @return this builder
         */
        public Builder trustManagerFactory(TrustManagerFactory trustManagerFactory) {
            this.trustManagerFactory = Objects.requireNonNull(trustManagerFactory, "trustManagerFactory");
            return this;
        }

        /**
         * Sets a key manager factory instead of {@code cert} and {@code key} (as a Spring
         * SSL bundle provides).
         * @param keyManagerFactory the factory
         * @return this builder
         */
        public Builder keyManagerFactory(KeyManagerFactory keyManagerFactory) {
            this.keyManagerFactory = Objects.requireNonNull(keyManagerFactory, "keyManagerFactory");
            return this;
        }

        /**
         * Sets the SNI name and the name the certificate is checked against (default: the
         * hostname).
         * @param serverName a DNS name or IP literal
         * @return this builder
         */
        public Builder serverName(String serverName) {
            this.serverName = Objects.requireNonNull(serverName, "serverName");
            return this;
        }

        /**
         * Sets whether a peer whose certificate fails verification is refused (default
         * true). With false the handshake succeeds, {@code authorized()} is false and
         * {@code getAuthorizationError()} says why; the handler sees
         * {@code handshake(true, err)} (Bun calls {@code handshake(false, err)} and keeps
         * the socket open).
         * @param rejectUnauthorized whether to refuse unverified peers
         * @return this builder
         */
        public Builder rejectUnauthorized(boolean rejectUnauthorized) {
            this.rejectUnauthorized = rejectUnauthorized;
            return this;
        }

        /**
         * Sets the ALPN protocols to offer, as names ({@code "h2"}, {@code "http/1.1"}),
         * not Bun's wire format.
         * @param protocols 1 to 255 printable ASCII characters each
         * @return this builder
         */
        public Builder alpnProtocols(String... protocols) {
            this.alpnProtocols = List.copyOf(Arrays.asList(protocols));
            return this;
        }

        /**
         * Sets the lowest protocol version (default {@code TLSv1.2}).
         * @param version {@code TLSv1.2} or {@code TLSv1.3}
         * @return this builder
         */
        public Builder minVersion(String version) {
            this.minVersion = Objects.requireNonNull(version, "minVersion");
            return this;
        }

        /**
         * Sets the highest protocol version (default {@code TLSv1.3}).
         * @param version {@code TLSv1.2} or {@code TLSv1.3}
         * @return this builder
         */
        public Builder maxVersion(String version) {
            this.maxVersion = Objects.requireNonNull(version, "maxVersion");
            return this;
        }

        /**
         * Sets the cipher suites, by IANA ({@code TLS_AES_128_GCM_SHA256}) or OpenSSL
         * name.
         * @param ciphers the suites
         * @return this builder
         */
        public Builder ciphers(String... ciphers) {
            this.ciphers = List.copyOf(Arrays.asList(ciphers));
            return this;
        }

        /**
         * Sets the TLS provider (default {@link TlsProvider#AUTO}).
         * @param provider the provider
         * @return this builder
         */
        public Builder provider(TlsProvider provider) {
            this.provider = Objects.requireNonNull(provider, "provider");
            return this;
        }

        /**
         * Reads the certificates and keys, checks every field and builds the options. The
         * options keep what was read, not the files, the PEM text or the passphrase.
         * @return the options
         * @throws IllegalArgumentException naming the option that is invalid or
         * unreadable
         */
        public TlsOptions build() {
            Options.validTlsRules(this.alpnProtocols, this.minVersion, this.maxVersion, this.ciphers);
            if (this.trustManagerFactory != null && !this.caSources.isEmpty()) {
                throw new IllegalArgumentException("ca and trustManagerFactory must not both be set");
            }
            if (this.keyManagerFactory != null && (!this.certSources.isEmpty() || this.keySource != null)) {
                throw new IllegalArgumentException("cert/key and keyManagerFactory must not both be set");
            }
            List<X509Certificate> ca = this.caSources.isEmpty() ? null
                    : TlsMaterials.certificates(TlsSource.values(this.caSources), this.passphrase, "ca");
            TlsMaterials.KeyAndChain keyAndChain = TlsMaterials.keyAndChain(TlsSource.values(this.certSources),
                    (this.keySource != null) ? this.keySource.value() : null, this.passphrase);
            return new TlsOptions(this, ca, keyAndChain.chain(), keyAndChain.key());
        }

        @Override
        public boolean equals(@Nullable Object other) {
            return other instanceof Builder that && this.caSources.equals(that.caSources)
                    && this.certSources.equals(that.certSources) && Objects.equals(this.keySource, that.keySource)
                    && Objects.equals(this.passphrase, that.passphrase)
                    && Objects.equals(this.trustManagerFactory, that.trustManagerFactory)
                    && Objects.equals(this.keyManagerFactory, that.keyManagerFactory)
                    && Objects.equals(this.serverName, that.serverName)
                    && Objects.equals(this.rejectUnauthorized, that.rejectUnauthorized)
                    && Objects.equals(this.alpnProtocols, that.alpnProtocols)
                    && Objects.equals(this.minVersion, that.minVersion)
                    && Objects.equals(this.maxVersion, that.maxVersion) && Objects.equals(this.ciphers, that.ciphers)
                    && this.provider == that.provider;
        }

        @Override
        public int hashCode() {
            return Objects.hash(this.caSources, this.certSources, this.keySource, this.serverName,
                    this.rejectUnauthorized, this.alpnProtocols, this.minVersion, this.maxVersion, this.ciphers,
                    this.provider);
        }

        @Override
        public String toString() {
            return "TlsOptions.Builder";
        }

        private static <T> List<TlsSource> sources(T[] values, String option, Function<T, TlsSource> source) {
            Objects.requireNonNull(values, option);
            List<TlsSource> list = new ArrayList<>(values.length);
            for (T value : values) {
                list.add(source.apply(Objects.requireNonNull(value, option)));
            }
            return list;
        }

    }

}
