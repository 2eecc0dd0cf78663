package dev.socketconnector.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports an {@link InvalidSocketConnectorPropertyException} as Boot's "APPLICATION
 * FAILED TO START" message: the property, its value, what is wrong and the allowed
 * values. Registered in {@code META-INF/spring.factories}.
 */
final class SocketConnectorFailureAnalyzer extends AbstractFailureAnalyzer<InvalidSocketConnectorPropertyException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidSocketConnectorPropertyException cause) {
        StringBuilder description = new StringBuilder();
        description.append("Invalid socket-connector configuration.\n\n");
        description.append("    Property: ").append(cause.getProperty()).append('\n');
        if (cause.getValue() != null) {
            description.append("    Value: \"").append(cause.getValue()).append("\"\n");
        }
        description.append("    Reason: ").append(cause.getReason());
        return new FailureAnalysis(description.toString(), cause.getAction(), cause);
    }

}
