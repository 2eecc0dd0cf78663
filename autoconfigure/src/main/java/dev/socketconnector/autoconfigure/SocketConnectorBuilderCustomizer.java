package dev.socketconnector.autoconfigure;

import dev.socketconnector.SocketConnectorBuilder;

/**
 * Customizes the auto-configured {@link SocketConnectorBuilder} after the
 * {@code socket.connector.*} properties have been applied, so user code has the last
 * word. Customizer beans run in {@link org.springframework.core.annotation.Order @Order}
 * / {@link org.springframework.core.Ordered} order.
 */
@FunctionalInterface
public interface SocketConnectorBuilderCustomizer {

    /**
     * Customizes the builder.
     * @param builder the builder, with the properties applied
     */
    void customize(SocketConnectorBuilder builder);

}
