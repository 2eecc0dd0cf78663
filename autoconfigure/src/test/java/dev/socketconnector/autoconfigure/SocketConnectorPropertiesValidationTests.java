package dev.socketconnector.autoconfigure;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static dev.socketconnector.autoconfigure.InvalidPropertyAssertions.failsWith;

/**
 * Tests that invalid {@code socket.connector.*} values fail startup with an
 * {@link InvalidSocketConnectorPropertyException} and that
 * {@link SocketConnectorFailureAnalyzer} names the full property path and the allowed
 * values.
 */
class SocketConnectorPropertiesValidationTests {

    private static final String ECHO = "socket.connector.endpoints.echo.";

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, SocketConnectorAutoConfiguration.class))
        .withUserConfiguration(HandlerConfiguration.class);

    @Test
    void portOutOfRangeShouldFailNamingPortAndRange() {
        this.contextRunner.withPropertyValues(ECHO + "hostname=127.0.0.1", ECHO + "port=70000")
            .run(failsWith(ECHO + "port", "70000", "between 1 and 65535"));
        this.contextRunner.withPropertyValues(ECHO + "hostname=127.0.0.1", ECHO + "port=0")
            .run(failsWith(ECHO + "port", "0", "between 1 and 65535"));
    }

    @Test
    void hostnameWithoutPortShouldFailNamingPort() {
        this.contextRunner.withPropertyValues(ECHO + "hostname=127.0.0.1")
            .run(failsWith(ECHO + "port", "needs a port", "between 1 and 65535"));
    }

    @Test
    void hostnameAndUnixShouldFailNamingBoth() {
        this.contextRunner.withPropertyValues(ECHO + "hostname=127.0.0.1", ECHO + "port=7", ECHO + "unix=/tmp/x.sock")
            .run(failsWith(ECHO + "unix", "both hostname and unix", ECHO + "hostname"));
    }

    @Test
    void endpointWithoutAddressShouldFailNamingHostnameAndUnix() {
        this.contextRunner.withPropertyValues(ECHO + "connect-on-startup=true")
            .run(failsWith(ECHO + "hostname", "no address", ECHO + "unix"));
    }

    @Test
    void unixWithPortShouldFail() {
        this.contextRunner.withPropertyValues(ECHO + "unix=/tmp/x.sock", ECHO + "port=7")
            .run(failsWith(ECHO + "port", "has no port", "Remove"));
    }

    @Test
    void unixPathTooLongShouldFail() {
        this.contextRunner.withPropertyValues(ECHO + "unix=/tmp/" + "x".repeat(120))
            .run(failsWith(ECHO + "unix", "bytes long", "at most 107 bytes"));
    }

    @Test
    void negativeDurationsShouldFailNamingTheProperty() {
        this.contextRunner.withPropertyValues("socket.connector.shutdown-timeout=-1s")
            .run(failsWith("socket.connector.shutdown-timeout", "must not be negative", "0 or a positive duration"));
        this.contextRunner.withPropertyValues("socket.connector.connect-timeout=0s")
            .run(failsWith("socket.connector.connect-timeout", "must be positive", "a positive duration"));
        this.contextRunner.withPropertyValues("socket.connector.keep-alive.initial-delay=-5s")
            .run(failsWith("socket.connector.keep-alive.initial-delay", "must not be negative", "positive duration"));
        this.contextRunner
            .withPropertyValues(ECHO + "hostname=127.0.0.1", ECHO + "port=7", ECHO + "reconnect.initial-backoff=-1ms")
            .run(failsWith(ECHO + "reconnect.initial-backoff", "must be positive", "a positive duration"));
    }

    @Test
    void invalidReconnectPolicyShouldFail() {
        this.contextRunner
            .withPropertyValues(ECHO + "hostname=127.0.0.1", ECHO + "port=7", ECHO + "reconnect.initial-backoff=5s",
                    ECHO + "reconnect.max-backoff=1s")
            .run(failsWith(ECHO + "reconnect.max-backoff", "below initial-backoff", "initial-backoff"));
        this.contextRunner
            .withPropertyValues(ECHO + "hostname=127.0.0.1", ECHO + "port=7", ECHO + "reconnect.multiplier=0.5")
            .run(failsWith(ECHO + "reconnect.multiplier", "at least 1", "at least 1"));
        this.contextRunner
            .withPropertyValues(ECHO + "hostname=127.0.0.1", ECHO + "port=7", ECHO + "reconnect.jitter=1.5")
            .run(failsWith(ECHO + "reconnect.jitter", "between 0 and 1", "from 0"));
        this.contextRunner
            .withPropertyValues(ECHO + "hostname=127.0.0.1", ECHO + "port=7", ECHO + "reconnect.stable-after=-1s")
            .run(failsWith(ECHO + "reconnect.stable-after", "negative", "duration"));
        this.contextRunner
            .withPropertyValues(ECHO + "hostname=127.0.0.1", ECHO + "port=7", ECHO + "offline-buffer-size=3GB")
            .run(failsWith(ECHO + "offline-buffer-size", "between 0 and 2GB", "64KB"));
    }

    @Test
    void invalidTlsVersionShouldFailNamingAllowedVersions() {
        this.contextRunner.withPropertyValues("socket.connector.tls.min-version=TLSv1.1")
            .run(failsWith("socket.connector.tls.min-version", "unknown TLS version", "TLSv1.2, TLSv1.3"));
        this.contextRunner
            .withPropertyValues(ECHO + "hostname=127.0.0.1", ECHO + "port=7", ECHO + "tls.min-version=SSLv3")
            .run(failsWith(ECHO + "tls.min-version", "unknown TLS version", "TLSv1.2, TLSv1.3"));
        this.contextRunner
            .withPropertyValues("socket.connector.tls.min-version=TLSv1.3", "socket.connector.tls.max-version=TLSv1.2")
            .run(failsWith("socket.connector.tls.max-version", "below min-version", "min-version"));
    }

    @Test
    void unknownBundleShouldFailNamingDefinedBundles() {
        this.contextRunner.withPropertyValues("socket.connector.tls.bundle=nope")
            .run(failsWith("socket.connector.tls.bundle", "no SSL bundle named 'nope'", "spring.ssl.bundle.pem.nope"));
        this.contextRunner.withPropertyValues(ECHO + "hostname=127.0.0.1", ECHO + "port=7", ECHO + "tls.bundle=missing")
            .run(failsWith(ECHO + "tls.bundle", "defined bundles: none", "spring.ssl.bundle.jks.missing"));
    }

    @Test
    void invalidWriteBufferShouldFail() {
        this.contextRunner
            .withPropertyValues("socket.connector.write-buffer.low-water-mark=2MB",
                    "socket.connector.write-buffer.high-water-mark=1MB")
            .run(failsWith("socket.connector.write-buffer.high-water-mark", "low-water-mark", "at least"));
        this.contextRunner.withPropertyValues("socket.connector.write-buffer.low-water-mark=0B")
            .run(failsWith("socket.connector.write-buffer.low-water-mark", "out of range", "from 1B"));
    }

    @Test
    void negativeEventLoopThreadsShouldFail() {
        this.contextRunner.withPropertyValues("socket.connector.event-loop-threads=-1")
            .run(failsWith("socket.connector.event-loop-threads", "must not be negative",
                    "0 (one per two cores, at least one)"));
    }

    @Test
    void unavailableNativeTransportShouldFailNamingTransport() {
        // no netty-transport-native-epoll on the test class path
        this.contextRunner
            .withPropertyValues("socket.connector.transport=epoll", ECHO + "hostname=127.0.0.1", ECHO + "port=7")
            .run(failsWith("socket.connector.transport", "not available", "auto or nio"));
    }

    @Test
    void reservedEndpointNameShouldFail() {
        this.contextRunner
            .withPropertyValues("socket.connector.endpoints.none.hostname=127.0.0.1",
                    "socket.connector.endpoints.none.port=7")
            .run(failsWith("socket.connector.endpoints.none", "'none' cannot name an endpoint", "another name"));
    }

    @Configuration(proxyBeanMethods = false)
    static class HandlerConfiguration {

        @Bean
        @SocketEndpoint("echo")
        EventRecordingHandler echoHandler() {
            return new EventRecordingHandler();
        }

    }

}
