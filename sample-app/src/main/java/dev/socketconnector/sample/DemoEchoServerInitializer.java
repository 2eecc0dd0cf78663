package dev.socketconnector.sample;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.StringUtils;

/**
 * Decides where the endpoint {@code echo} connects, before any bean is created: to {@code sample.echo.target}
 * ({@code host:port}) when it is set, otherwise to a {@link DemoEchoServer} that it binds on 127.0.0.1
 * ({@code sample.echo-server.port}, default any free port) and registers as a bean.
 * <p>
 * It publishes {@code sample.echo.hostname} and {@code sample.echo.port}, which {@code application.yaml}
 * places in {@code socket.connector.endpoints.echo.*}, and for the demo server
 * {@code socket.connector.endpoints.echo.tls.bundle=demo-echo}, the bundle that trusts the demo certificate.
 * Its values come last, so anything set elsewhere wins. Registered in {@code META-INF/spring.factories}, so it
 * runs for {@code java -jar}, {@code spring-boot:run} and {@code @SpringBootTest} alike.
 */
public final class DemoEchoServerInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    /** Name of the property source this initializer adds. */
    static final String PROPERTY_SOURCE = "sampleEchoTarget";

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        ConfigurableEnvironment environment = context.getEnvironment();
        Map<String, Object> target = new LinkedHashMap<>();
        String configured = environment.getProperty("sample.echo.target", "");
        if (StringUtils.hasText(configured)) {
            int colon = configured.lastIndexOf(':');
            if (colon <= 0 || colon == configured.length() - 1) {
                throw new IllegalArgumentException(
                        "sample.echo.target must be host:port (such as echo.example.com:7443), not '" + configured + "'");
            }
            target.put("sample.echo.hostname", configured.substring(0, colon).replace("[", "").replace("]", ""));
            target.put("sample.echo.port", configured.substring(colon + 1));
        }
        else {
            if (!(context instanceof GenericApplicationContext generic)) {
                throw new IllegalStateException("The demo echo server needs a GenericApplicationContext, not "
                        + context.getClass().getName() + "; set sample.echo.target instead");
            }
            int port = environment.getProperty("sample.echo-server.port", Integer.class, 0);
            DemoEchoServer server = new DemoEchoServer(port,
                    () -> context.getBean(SslBundles.class).getBundle("demo-echo-server").createSslContext());
            generic.registerBean("demoEchoServer", DemoEchoServer.class, () -> server);
            target.put("sample.echo.hostname", "127.0.0.1");
            target.put("sample.echo.port", server.port());
            target.put("socket.connector.endpoints.echo.tls.bundle", "demo-echo");
        }
        environment.getPropertySources().addLast(new MapPropertySource(PROPERTY_SOURCE, target));
    }
}
