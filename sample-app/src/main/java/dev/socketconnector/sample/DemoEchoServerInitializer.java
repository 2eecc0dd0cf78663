package dev.socketconnector.sample;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.aot.AbstractAotProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.StringUtils;

/**
 * Decides where the endpoint {@code echo} connects, before any bean is created: to
 * {@code sample.echo.target} ({@code host:port}) when it is set, otherwise to a
 * {@link DemoEchoServer} that it binds on 127.0.0.1 ({@code sample.echo-server.port},
 * default any free port) and registers as a singleton.
 * <p>
 * It publishes {@code sample.echo.hostname} and {@code sample.echo.port}, which
 * {@code application.yaml} places in {@code socket.connector.endpoints.echo.*}, and for
 * the demo server {@code socket.connector.endpoints.echo.tls.bundle=demo-echo}, the
 * bundle that trusts the demo certificate. Its values come last, so anything set
 * elsewhere wins. Registered in {@code META-INF/spring.factories}, so it runs for
 * {@code java -jar}, {@code spring-boot:run} and {@code @SpringBootTest} alike.
 * <p>
 * Ahead-of-time processing: the server is registered as a ready-made singleton
 * ({@code registerSingleton}, as Boot's own
 * {@code ContextIdApplicationContextInitializer} does), not as a bean definition, so it
 * is not part of what {@code process-aot} records; the initializer runs again when the
 * AOT-processed application starts ({@code -Dspring.aot.enabled=true}) and decides there,
 * at run time, whether a demo server is needed. While {@code process-aot} itself runs
 * (system property {@value AbstractAotProcessor#AOT_PROCESSING}), it binds nothing.
 */
public final class DemoEchoServerInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    /** Name of the demo server's singleton. */
    static final String BEAN_NAME = "demoEchoServer";

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
                        "sample.echo.target must be host:port (such as echo.example.com:7443), not '" + configured
                                + "'");
            }
            target.put("sample.echo.hostname", configured.substring(0, colon).replace("[", "").replace("]", ""));
            target.put("sample.echo.port", configured.substring(colon + 1));
        }
        else if (Boolean.getBoolean(AbstractAotProcessor.AOT_PROCESSING)) {
            // build time: process-aot only records bean definitions, nothing connects
            return;
        }
        else {
            int port = environment.getProperty("sample.echo-server.port", Integer.class, 0);
            DemoEchoServer server = new DemoEchoServer(port,
                    () -> context.getBean(SslBundles.class).getBundle("demo-echo-server").createSslContext());
            // a singleton, not a bean definition: started and stopped as a
            // SmartLifecycle, invisible to AOT;
            // closed with the other singletons too, so a context that fails to start does
            // not keep the port
            ConfigurableListableBeanFactory beanFactory = context.getBeanFactory();
            beanFactory.registerSingleton(BEAN_NAME, server);
            if (beanFactory instanceof DefaultSingletonBeanRegistry registry) {
                registry.registerDisposableBean(BEAN_NAME, server::close);
            }
            target.put("sample.echo.hostname", "127.0.0.1");
            target.put("sample.echo.port", server.port());
            target.put("socket.connector.endpoints.echo.tls.bundle", "demo-echo");
        }
        environment.getPropertySources().addLast(new MapPropertySource(PROPERTY_SOURCE, target));
    }

}
