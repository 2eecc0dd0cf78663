package dev.socketconnector.autoconfigure;

import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.autoconfigure.service.connection.ConnectionDetails;

/**
 * Where named endpoints connect, supplied by a bean instead of
 * {@code socket.connector.endpoints.<name>.*} address properties: Boot's
 * {@link ConnectionDetails} pattern, so Testcontainers, Docker Compose or a test server
 * can supply the address of a service that only exists at run time.
 * <p>
 * When a bean of this type is present, the auto-configuration applies it to the bound
 * properties before they are validated: for each endpoint name it returns, the address
 * (hostname and port, or a unix path) replaces the configured one, and a non-null SSL
 * bundle replaces {@code tls.bundle}. Every other key of the endpoint (handler,
 * {@code connect-on-startup}, reconnect policy, TLS options) still comes from the
 * properties; an endpoint the properties do not mention is created with the defaults, and
 * needs a handler (for example a bean annotated {@code @SocketEndpoint("<name>")}).
 * Without such a bean the properties are used as they are.
 */
public interface SocketEndpointConnectionDetails extends ConnectionDetails {

    /**
     * {@return the address of each endpoint this bean supplies, by endpoint name}
     */
    Map<String, Address> endpoints();

    /**
     * The address of one endpoint: a TCP host and port, or a unix socket path; and
     * optionally the name of the SSL bundle ({@code spring.ssl.bundle.*}) to connect
     * with.
     *
     * @param hostname the host name or IP address, null for a unix socket
     * @param port the TCP port (1 to 65535), null for a unix socket
     * @param unix the unix socket path, null for TCP
     * @param sslBundle the SSL bundle's name, or null to keep the configured TLS settings
     */
    record Address(@Nullable String hostname, @Nullable Integer port, @Nullable String unix,
            @Nullable String sslBundle) {

        /**
         * {@return a TCP address}
         * @param hostname the host name or IP address
         * @param port the port
         */
        public static Address tcp(String hostname, int port) {
            return new Address(Objects.requireNonNull(hostname, "hostname"), port, null, null);
        }

        /**
         * {@return a unix socket address}
         * @param path the socket's path
         */
        public static Address unix(String path) {
            return new Address(null, null, Objects.requireNonNull(path, "path"), null);
        }

        /**
         * {@return this address, connecting with TLS from the named SSL bundle}
         * @param bundle the SSL bundle's name
         */
        public Address withSslBundle(String bundle) {
            return new Address(this.hostname, this.port, this.unix, Objects.requireNonNull(bundle, "bundle"));
        }
    }

}
