package dev.socketconnector.autoconfigure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import dev.socketconnector.TlsProvider;
import dev.socketconnector.Transport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reads the configuration metadata the annotation processor generated (merged with
 * {@code additional-spring-configuration-metadata.json}) as an IDE would: defaults, hints
 * for the enum-like keys, the health switch, and every connector-wide key with a
 * description.
 */
class ConfigurationMetadataTests {

    private static final Path METADATA = Path.of("target/classes/META-INF/spring-configuration-metadata.json");

    private final String json;

    ConfigurationMetadataTests() throws Exception {
        this.json = Files.readString(METADATA);
    }

    @Test
    void tlsDefaultsAreDeclared() {
        assertThat(property("socket.connector.tls.provider").get("defaultValue")).isEqualTo("auto");
        assertThat(property("socket.connector.tls.reject-unauthorized").get("defaultValue")).isEqualTo(true);
        assertThat(property("socket.connector.transport").get("defaultValue")).isEqualTo("auto");
    }

    @Test
    void healthSwitchIsDeclared() {
        Map<String, Object> health = property("management.health.socketconnector.enabled");
        assertThat(health.get("type")).isEqualTo("java.lang.Boolean");
        assertThat(health.get("defaultValue")).isEqualTo(true);
        assertThat((String) health.get("description")).isNotBlank();
    }

    @Test
    void enumLikeKeysHaveHintsCoveringEveryValue() {
        assertThat(hintValues("socket.connector.transport")).containsExactlyInAnyOrderElementsOf(
                java.util.Arrays.stream(Transport.values()).map(ConfigurationMetadataTests::dashed).toList());
        assertThat(hintValues("socket.connector.tls.provider")).containsExactlyInAnyOrderElementsOf(
                java.util.Arrays.stream(TlsProvider.values()).map(ConfigurationMetadataTests::dashed).toList());
        assertThat(hintValues("socket.connector.tls.min-version")).containsExactly("TLSv1.2", "TLSv1.3");
        assertThat(hintValues("socket.connector.tls.max-version")).containsExactly("TLSv1.2", "TLSv1.3");
        assertThat(hintValues("socket.connector.tls.alpn")).contains("h2", "http/1.1");
        assertThat(hintValues("socket.connector.resolver")).containsExactlyInAnyOrderElementsOf(
                java.util.Arrays.stream(SocketConnectorProperties.ResolverType.values())
                    .map(ConfigurationMetadataTests::dashed)
                    .toList());
    }

    @Test
    void everyConnectorWideKeyIsDescribed() {
        List<String> keys = SocketConnectorPropertyKeys.knownKeys()
            .stream()
            .filter((key) -> !key.contains("*"))
            .map((key) -> "socket.connector." + key.replace("[0]", ""))
            .toList();
        // 19 before issue 16, + 5 keep-alive/read-idle (live), + connect-attempt-delay,
        // resolver, dns.servers (reach)
        assertThat(keys).hasSize(24 + 3);
        for (String key : keys) {
            assertThat((String) property(key).get("description")).as(key).isNotBlank();
        }
    }

    private Map<String, Object> property(String name) {
        List<Map<String, Object>> found = JsonPath.read(this.json, "$.properties[?(@.name == '" + name + "')]");
        assertThat(found).as(name).hasSize(1);
        return found.get(0);
    }

    private List<String> hintValues(String name) {
        List<String> values = JsonPath.read(this.json, "$.hints[?(@.name == '" + name + "')].values[*].value");
        assertThat(values).as("hints of " + name).isNotEmpty();
        return values;
    }

    private static String dashed(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

}
