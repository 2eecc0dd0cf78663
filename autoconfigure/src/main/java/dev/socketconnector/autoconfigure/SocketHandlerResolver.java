package dev.socketconnector.autoconfigure;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.socketconnector.SocketHandler;
import dev.socketconnector.autoconfigure.SocketConnectorProperties.Endpoint;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.util.StringUtils;

/**
 * Finds each endpoint's handler bean: the one named by
 * {@code socket.connector.endpoints.<name>.handler} or the {@link SocketHandler} bean
 * annotated {@code @SocketEndpoint("<name>")}, and fails with the property path when an
 * endpoint has none or two, or an annotation names an endpoint that is not configured.
 */
final class SocketHandlerResolver {

    private SocketHandlerResolver() {
    }

    /**
     * Resolves every endpoint's handler bean name.
     * @param properties the properties
     * @param beanFactory the bean factory
     * @return the handler bean name of every endpoint, by endpoint name
     * @throws InvalidSocketConnectorPropertyException when an endpoint has no handler or
     * two, or a handler names an unknown endpoint
     */
    static Map<String, String> resolve(SocketConnectorProperties properties, ListableBeanFactory beanFactory) {
        Map<String, Endpoint> endpoints = properties.getEndpoints();
        Map<String, String> handlers = new LinkedHashMap<>();
        endpoints.forEach((name, endpoint) -> {
            String handler = endpoint.getHandler();
            if (handler != null) {
                handlers.put(name, named(name, handler, beanFactory));
            }
        });
        for (String beanName : beanFactory.getBeanNamesForAnnotation(SocketEndpoint.class)) {
            if (!beanFactory.isTypeMatch(beanName, SocketHandler.class)) {
                SocketEndpoint annotation = beanFactory.findAnnotationOnBean(beanName, SocketEndpoint.class);
                String name = (annotation != null && annotation.value().length > 0) ? annotation.value()[0] : "";
                throw new InvalidSocketConnectorPropertyException(
                        SocketConnectorProperties.PREFIX + ".endpoints." + name + ".handler", null,
                        "bean '" + beanName + "' is annotated @SocketEndpoint but is not a SocketHandler",
                        "Implement dev.socketconnector.SocketHandler in '" + beanName
                                + "', or remove its @SocketEndpoint annotation.");
            }
        }
        for (String beanName : beanFactory.getBeanNamesForType(SocketHandler.class)) {
            SocketEndpoint annotation = beanFactory.findAnnotationOnBean(beanName, SocketEndpoint.class);
            if (annotation == null) {
                continue;
            }
            for (String name : annotation.value()) {
                String prefix = SocketConnectorProperties.PREFIX + ".endpoints." + name;
                if (!endpoints.containsKey(name)) {
                    throw new InvalidSocketConnectorPropertyException(prefix, null,
                            "handler bean '" + beanName + "' is annotated @SocketEndpoint(\"" + name
                                    + "\") but no endpoint '" + name + "' is configured (configured endpoints: "
                                    + (endpoints.isEmpty() ? "none" : String.join(", ", endpoints.keySet())) + ")",
                            "Configure the endpoint with '" + prefix + ".hostname' and '" + prefix + ".port' (or '"
                                    + prefix + ".unix'), or correct the @SocketEndpoint value of '" + beanName + "'.");
                }
                String existing = handlers.get(name);
                if (existing != null && !existing.equals(beanName)) {
                    throw new InvalidSocketConnectorPropertyException(prefix + ".handler",
                            endpoints.get(name).getHandler(),
                            "endpoint '" + name + "' has two handlers: beans '" + existing + "' and '" + beanName + "'",
                            "Keep one: remove @SocketEndpoint(\"" + name + "\") from one bean, or remove '" + prefix
                                    + ".handler'.");
                }
                handlers.put(name, beanName);
            }
        }
        List<String> missing = new ArrayList<>();
        for (String name : endpoints.keySet()) {
            if (!handlers.containsKey(name)) {
                missing.add(name);
            }
        }
        if (!missing.isEmpty()) {
            String name = missing.get(0);
            String prefix = SocketConnectorProperties.PREFIX + ".endpoints." + name;
            List<String> candidates = Arrays.asList(beanFactory.getBeanNamesForType(SocketHandler.class));
            throw new InvalidSocketConnectorPropertyException(prefix + ".handler", null,
                    "endpoint '" + name + "' has no handler"
                            + ((missing.size() > 1)
                                    ? " (nor have " + String.join(", ", missing.subList(1, missing.size())) + ")" : ""),
                    "Set '" + prefix + ".handler' to the name of a SocketHandler bean (SocketHandler beans: "
                            + (candidates.isEmpty() ? "none" : String.join(", ", candidates))
                            + "), or annotate the handler's class with @SocketEndpoint(\"" + name + "\").");
        }
        return handlers;
    }

    private static String named(String endpoint, String handler, ListableBeanFactory beanFactory) {
        String property = SocketConnectorProperties.PREFIX + ".endpoints." + endpoint + ".handler";
        if (!StringUtils.hasText(handler) || !beanFactory.containsBean(handler)
                || !beanFactory.isTypeMatch(handler, SocketHandler.class)) {
            List<String> candidates = Arrays.asList(beanFactory.getBeanNamesForType(SocketHandler.class));
            String reason = (StringUtils.hasText(handler) && beanFactory.containsBean(handler))
                    ? "bean '" + handler + "' is not a SocketHandler" : "no bean named '" + handler + "'";
            throw new InvalidSocketConnectorPropertyException(property, handler, reason,
                    "Set '" + property + "' to the name of a SocketHandler bean (SocketHandler beans: "
                            + (candidates.isEmpty() ? "none" : String.join(", ", candidates)) + ").");
        }
        return handler;
    }

}
