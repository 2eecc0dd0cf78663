package dev.socketconnector.sample;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.Test;

import org.springframework.boot.ssl.DefaultSslBundleRegistry;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;
import org.springframework.context.aot.AbstractAotProcessor;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.env.PropertySource;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Where {@link DemoEchoServerInitializer} points the endpoint, and the
 * {@link DemoEchoServer} it starts: a real TLS echo over loopback with the shipped demo
 * certificate.
 */
class DemoEchoServerInitializerTests {

    @Test
    void targetSetPublishesItsHostAndPortAndStartsNoDemoServer() {
        try (GenericApplicationContext context = context("sample.echo.target", "echo.example.com:7443")) {
            new DemoEchoServerInitializer().initialize(context);
            PropertySource<?> published = published(context);
            assertThat(published.getProperty("sample.echo.hostname")).isEqualTo("echo.example.com");
            assertThat(published.getProperty("sample.echo.port")).isEqualTo("7443");
            assertThat(published.containsProperty("socket.connector.endpoints.echo.tls.bundle")).isFalse();
            assertThat(context.containsBean(DemoEchoServerInitializer.BEAN_NAME)).isFalse();
        }
    }

    @Test
    void targetWithIpv6LiteralPublishesTheAddressWithoutBrackets() {
        try (GenericApplicationContext context = context("sample.echo.target", "[::1]:7443")) {
            new DemoEchoServerInitializer().initialize(context);
            assertThat(published(context).getProperty("sample.echo.hostname")).isEqualTo("::1");
        }
    }

    @Test
    void targetWithoutPortFailsNamingTheProperty() {
        try (GenericApplicationContext context = context("sample.echo.target", "echo.example.com")) {
            assertThatIllegalArgumentException().isThrownBy(() -> new DemoEchoServerInitializer().initialize(context))
                .withMessageContaining("sample.echo.target must be host:port");
        }
    }

    @Test
    void noTargetStartsDemoServerThatEchoesOverTlsWithTheDemoCertificate() throws Exception {
        GenericApplicationContext context = context("sample.echo.target", "");
        context.registerBean(SslBundles.class,
                () -> new DefaultSslBundleRegistry("demo-echo-server",
                        SslBundle
                            .of(new PemSslStoreBundle(PemSslStoreDetails.forCertificate("classpath:demo-tls/server.crt")
                                .withPrivateKey("classpath:demo-tls/server.key"), null))));
        new DemoEchoServerInitializer().initialize(context);
        PropertySource<?> published = published(context);
        assertThat(published.getProperty("sample.echo.hostname")).isEqualTo("127.0.0.1");
        assertThat(published.getProperty("socket.connector.endpoints.echo.tls.bundle")).isEqualTo("demo-echo");
        int port = (int) published.getProperty("sample.echo.port");
        assertThat(port).isPositive();
        context.refresh();
        DemoEchoServer server = context.getBean(DemoEchoServer.class);
        try {
            assertThat(server.isRunning()).isTrue();
            SslBundle client = SslBundle
                .of(new PemSslStoreBundle(null, PemSslStoreDetails.forCertificate("classpath:demo-tls/ca.crt")));
            try (SSLSocket socket = (SSLSocket) client.createSslContext()
                .getSocketFactory()
                .createSocket("127.0.0.1", port)) {
                SSLParameters parameters = socket.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                parameters.setServerNames(List.of(new SNIHostName("localhost")));
                socket.setSSLParameters(parameters);
                socket.setSoTimeout(5000);
                OutputStream out = socket.getOutputStream();
                out.write("ping 1 hello\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
                BufferedReader in = new BufferedReader(
                        new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
                assertThat(in.readLine()).isEqualTo("ping 1 hello");
                assertThat(socket.getSession().getPeerPrincipal().getName()).contains("CN=localhost");
            }
        }
        finally {
            context.close();
        }
        assertThat(server.isRunning()).isFalse();
        try (Socket refused = new Socket()) {
            assertThatExceptionOfType(ConnectException.class)
                .isThrownBy(() -> refused.connect(new InetSocketAddress("127.0.0.1", port), 2000));
        }
    }

    @Test
    void whileAotProcessingRunsNothingIsBoundOrRegistered() {
        System.setProperty(AbstractAotProcessor.AOT_PROCESSING, "true");
        try (GenericApplicationContext context = context("sample.echo.target", "")) {
            new DemoEchoServerInitializer().initialize(context);
            assertThat(context.containsBean(DemoEchoServerInitializer.BEAN_NAME)).isFalse();
            assertThat(
                    context.getEnvironment().getPropertySources().contains(DemoEchoServerInitializer.PROPERTY_SOURCE))
                .isFalse();
        }
        finally {
            System.clearProperty(AbstractAotProcessor.AOT_PROCESSING);
        }
    }

    @Test
    void demoServerIsASingletonNotABeanDefinitionAndClosesWhenTheContextFailsToStart() throws Exception {
        GenericApplicationContext context = context("sample.echo.target", "");
        new DemoEchoServerInitializer().initialize(context);
        // no bean definition: nothing for AOT to record
        assertThat(context.containsBeanDefinition(DemoEchoServerInitializer.BEAN_NAME)).isFalse();
        assertThat(context.containsBean(DemoEchoServerInitializer.BEAN_NAME)).isTrue();
        int port = (int) published(context).getProperty("sample.echo.port");
        try (Socket listening = new Socket()) {
            listening.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        }
        context.registerBean("failing", Object.class, () -> {
            throw new IllegalStateException("startup fails");
        });
        assertThatExceptionOfType(RuntimeException.class).isThrownBy(context::refresh);
        try (Socket refused = new Socket()) {
            assertThatExceptionOfType(ConnectException.class)
                .isThrownBy(() -> refused.connect(new InetSocketAddress("127.0.0.1", port), 2000));
        }
    }

    private static GenericApplicationContext context(String key, String value) {
        GenericApplicationContext context = new GenericApplicationContext();
        context.setEnvironment(new MockEnvironment().withProperty(key, value));
        return context;
    }

    private static PropertySource<?> published(GenericApplicationContext context) {
        PropertySource<?> source = context.getEnvironment()
            .getPropertySources()
            .get(DemoEchoServerInitializer.PROPERTY_SOURCE);
        assertThat(source).as("property source " + DemoEchoServerInitializer.PROPERTY_SOURCE).isNotNull();
        return source;
    }

}
