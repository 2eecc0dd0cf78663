package dev.socketconnector.autoconfigure;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ContextConsumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one assertion every property-validation test makes: the context failed to start
 * because of an {@link InvalidSocketConnectorPropertyException} on the given key, and the
 * failure analyzer's report names the key, the reason and the action.
 */
final class InvalidPropertyAssertions {

    private InvalidPropertyAssertions() {
    }

    static ContextConsumer<AssertableApplicationContext> failsWith(String property, String reason, String action) {
        return (context) -> {
            assertThat(context).hasFailed();
            Throwable failure = context.getStartupFailure();
            InvalidSocketConnectorPropertyException cause = null;
            for (Throwable t = failure; t != null && cause == null; t = t.getCause()) {
                if (t instanceof InvalidSocketConnectorPropertyException invalid) {
                    cause = invalid;
                }
            }
            assertThat(cause).as("cause of %s", failure).isNotNull();
            assertThat(cause.getProperty()).isEqualTo(property);
            FailureAnalysis analysis = new SocketConnectorFailureAnalyzer().analyze(failure);
            assertThat(analysis).isNotNull();
            assertThat(analysis.getDescription()).contains("Property: " + property).contains(reason);
            assertThat(analysis.getAction()).contains(action);
        };
    }

}
