package dev.socketconnector.autoconfigure.actuate;

import dev.socketconnector.RecordingSocketHandler;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * A Spring Boot application for the Actuator tests: every auto-configuration on the test
 * class path, through the real {@code AutoConfiguration.imports} files, plus one handler
 * bean for the managed endpoint.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class TestApplication {

    @Bean
    RecordingSocketHandler<Object> backendHandler() {
        return new RecordingSocketHandler<>();
    }

}
