package dev.socketconnector.test.readme;

import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The README's example of securing the Actuator endpoints; compiled here, where Spring
 * Security is.
 */
@Configuration(proxyBeanMethods = false)
class ActuatorSecurityConfiguration {

    // @formatter:off
    // readme:begin
    @Bean
    SecurityFilterChain actuatorSecurity(HttpSecurity http) throws Exception {
        http.securityMatcher(EndpointRequest.toAnyEndpoint())
            .authorizeHttpRequests((requests) -> requests
                .requestMatchers(EndpointRequest.to("health")).permitAll()
                .requestMatchers(HttpMethod.GET, "/actuator/**").hasRole("ACTUATOR")
                .anyRequest().hasRole("ACTUATOR_ADMIN"))   // DELETE /actuator/sockets/{id}
            .httpBasic(Customizer.withDefaults());
        return http.build();
    }
    // readme:end
    // @formatter:on

}
