package dev.socketconnector.autoconfigure.readme;

import dev.socketconnector.autoconfigure.SocketConnectorBuilderCustomizer;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

// @formatter:off
// readme:begin
@Configuration(proxyBeanMethods = false)
class ObserverConfiguration {

    @Bean
    SocketConnectorBuilderCustomizer tracingObserver(MyObserver observer) {
        return (builder) -> builder.addObserver(observer);
    }
}
// readme:end
// @formatter:on
