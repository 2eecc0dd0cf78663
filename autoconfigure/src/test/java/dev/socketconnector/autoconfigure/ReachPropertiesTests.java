package dev.socketconnector.autoconfigure;

import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.concurrent.TimeUnit;

import dev.socketconnector.Socket;
import dev.socketconnector.SocketConnector;
import dev.socketconnector.TcpSocketConnectOptions;
import dev.socketconnector.TestDnsServer;
import dev.socketconnector.TestServer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static dev.socketconnector.autoconfigure.InvalidPropertyAssertions.failsWith;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the reaching-the-peer properties: {@code endpoints.<name>.addresses},
 * {@code connect-attempt-delay}, {@code resolver} and {@code dns.servers}: they bind,
 * they reach the connector (real connects on loopback, against a DNS server written in
 * the test), and bad values fail startup naming the key and the allowed values.
 */
class ReachPropertiesTests {

    private static final String EP = "socket.connector.endpoints.";

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, SocketConnectorAutoConfiguration.class))
        .withUserConfiguration(HandlerConfiguration.class);

    @Test
    void propertyDefaultsEqualTheBuilderDefaults() {
        SocketConnectorProperties properties = new SocketConnectorProperties();
        assertThat(properties.getConnectAttemptDelay())
            .isEqualTo(dev.socketconnector.SocketConnectorBuilder.DEFAULT_CONNECT_ATTEMPT_DELAY);
        assertThat(properties.getResolver()).isEqualTo(SocketConnectorProperties.ResolverType.JDK);
        assertThat(properties.getDns().getServers()).isEmpty();
    }

    @Test
    void addressesListConnectsToTheFirstLiveEntry() throws Exception {
        int refused;
        try (ServerSocketChannel probe = ServerSocketChannel.open()) {
            probe.bind(new InetSocketAddress("127.0.0.1", 0));
            refused = ((InetSocketAddress) probe.getLocalAddress()).getPort();
        }
        int dead = refused;
        try (TestServer live = TestServer.tcp()) {
            this.contextRunner
                .withPropertyValues("socket.connector.connect-attempt-delay=100ms",
                        EP + "list.addresses=127.0.0.1:" + dead + ",[::1]:" + dead + ",127.0.0.1:" + live.port(),
                        EP + "list.handler=handler")
                .run((context) -> {
                    assertThat(context).hasNotFailed();
                    SocketConnector connector = context.getBean(SocketConnector.class);
                    TcpSocketConnectOptions<?> options = (TcpSocketConnectOptions<?>) connector.endpoints().get("list");
                    assertThat(options.addresses()).hasSize(3);
                    assertThat(options.target())
                        .isEqualTo("127.0.0.1:" + dead + ",[::1]:" + dead + ",127.0.0.1:" + live.port());
                    Socket<?> socket = connector.connect("list").get(10, TimeUnit.SECONDS);
                    assertThat(socket.remotePort()).isEqualTo(live.port());
                    socket.terminate();
                });
        }
    }

    @Test
    void dnsResolverWithServersResolvesThroughThem() throws Exception {
        try (TestDnsServer dns = TestDnsServer.start(); TestServer live = TestServer.tcp()) {
            dns.answer("svc.test", java.net.InetAddress.getByName("127.0.0.1"));
            this.contextRunner
                .withPropertyValues("socket.connector.resolver=dns",
                        "socket.connector.dns.servers=127.0.0.1:" + dns.address().getPort(),
                        EP + "svc.hostname=svc.test", EP + "svc.port=" + live.port(), EP + "svc.handler=handler")
                .run((context) -> {
                    assertThat(context).hasNotFailed();
                    Socket<?> socket = context.getBean(SocketConnector.class).connect("svc").get(10, TimeUnit.SECONDS);
                    assertThat(socket.remoteAddress()).isEqualTo("127.0.0.1");
                    socket.terminate();
                    assertThat(dns.questions()).contains("svc.test A");
                });
        }
    }

    @Test
    void addressesTogetherWithHostnameFailNamingBoth() {
        this.contextRunner
            .withPropertyValues(EP + "echo.addresses=127.0.0.1:7", EP + "echo.hostname=127.0.0.1", EP + "echo.port=7")
            .run(failsWith(EP + "echo.addresses", "together with hostname", EP + "echo.hostname"));
    }

    @Test
    void badAddressEntriesFailNamingTheEntry() {
        this.contextRunner.withPropertyValues(EP + "echo.addresses=127.0.0.1:7,::1:7")
            .run(failsWith(EP + "echo.addresses[1]", "needs brackets", "[::1]:5432"));
        this.contextRunner.withPropertyValues(EP + "echo.addresses=db.example:0")
            .run(failsWith(EP + "echo.addresses[0]", "not between 1 and 65535", "host:port"));
        this.contextRunner.withPropertyValues(EP + "echo.addresses=db.example")
            .run(failsWith(EP + "echo.addresses[0]", "has no port", "host:port"));
    }

    @Test
    void badConnectAttemptDelayFailsNamingIt() {
        this.contextRunner.withPropertyValues("socket.connector.connect-attempt-delay=-1ms")
            .run(failsWith("socket.connector.connect-attempt-delay", "must not be negative", "0 or a positive"));
        this.contextRunner
            .withPropertyValues("socket.connector.connect-timeout=1s", "socket.connector.connect-attempt-delay=2s")
            .run(failsWith("socket.connector.connect-attempt-delay", "must not exceed connect-timeout",
                    "from 0 to socket.connector.connect-timeout"));
    }

    @Test
    void dnsServersFailUnlessIpAndPortAndTheDnsResolver() {
        this.contextRunner
            .withPropertyValues("socket.connector.resolver=dns", "socket.connector.dns.servers=dns.example:53")
            .run(failsWith("socket.connector.dns.servers[0]", "must be an IP address", "10.0.0.2:53"));
        this.contextRunner.withPropertyValues("socket.connector.dns.servers=127.0.0.1:53")
            .run(failsWith("socket.connector.dns.servers", "resolver is jdk (allowed: jdk, dns)",
                    "Set 'socket.connector.resolver' to dns"));
    }

    @Test
    void unknownResolverFailsNamingTheKey() {
        this.contextRunner.withPropertyValues("socket.connector.resolver=bind9").run((context) -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).hasStackTraceContaining("socket.connector.resolver");
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class HandlerConfiguration {

        @Bean
        EventRecordingHandler handler() {
            return new EventRecordingHandler();
        }

    }

}
