package dev.socketconnector;

import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Where a {@link TlsOptions.Builder} takes a certificate or key from; read once, by
 * {@code build()}.
 */
sealed interface TlsSource {

    /**
     * {@return the value {@code TlsMaterials} reads: the text, the path, the certificate
     * or the key}
     */
    Object value();

    /**
     * PEM text.
     *
     * @param text the text
     */
    record Pem(String text) implements TlsSource {

        @Override
        public Object value() {
            return this.text;
        }
    }

    /**
     * A PEM or PKCS#12 file.
     *
     * @param path the file
     */
    record File(Path path) implements TlsSource {

        @Override
        public Object value() {
            return this.path;
        }
    }

    /**
     * A certificate already read.
     *
     * @param certificate the certificate
     */
    record Certificate(X509Certificate certificate) implements TlsSource {

        @Override
        public Object value() {
            return this.certificate;
        }
    }

    /**
     * A private key already read.
     *
     * @param key the key
     */
    record Key(PrivateKey key) implements TlsSource {

        @Override
        public Object value() {
            return this.key;
        }
    }

    /**
     * {@return the values of {@code sources}, in order}
     */
    static List<Object> values(List<TlsSource> sources) {
        if (sources.isEmpty()) {
            // the usual case (no client certificate): no stream per TlsOptions built
            return List.of();
        }
        return sources.stream().map(TlsSource::value).toList();
    }

}
