package dev.socketconnector.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * Starts the sample: a web application whose endpoint {@code echo} (see
 * {@code application.yaml}) is kept connected by the socket-connector starter, with
 * {@link EchoHandler} as its handler.
 * <p>
 * Unless {@code sample.echo.target} names a real service,
 * {@link DemoEchoServerInitializer} first starts a TLS echo server on 127.0.0.1 for the
 * endpoint to connect to.
 */
@SpringBootApplication
@EnableScheduling
public class SampleApplication {

    /**
     * Runs the application.
     * @param args command-line arguments, such as
     * {@code --sample.echo.target=echo.example.com:7443}
     */
    public static void main(String[] args) {
        SpringApplication.run(SampleApplication.class, args);
    }

}
