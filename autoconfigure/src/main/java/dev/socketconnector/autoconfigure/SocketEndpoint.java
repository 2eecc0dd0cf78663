package dev.socketconnector.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@link dev.socketconnector.SocketHandler} bean as the handler of the named
 * endpoints ({@code socket.connector.endpoints.<name>.*}), instead of naming the bean in
 * {@code socket.connector.endpoints.<name>.handler}.
 * <p>
 * Startup fails if a name is not a configured endpoint, or if an endpoint ends up with
 * two handlers.
 */
@Target({ ElementType.TYPE, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface SocketEndpoint {

    /**
     * Returns the endpoint names this bean handles.
     * @return one or more names of {@code socket.connector.endpoints} entries
     */
    String[] value();

}
