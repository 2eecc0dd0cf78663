package dev.socketconnector.autoconfigure;

import java.beans.PropertyDescriptor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.BeanUtils;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.ResolvableType;
import org.springframework.core.env.Environment;

/**
 * Finds keys under {@code socket.connector} that no property binds, such as a misspelt
 * {@code socket.connector.tls.bundel}, so that startup fails instead of silently ignoring
 * them.
 * <p>
 * The known keys are derived from {@link SocketConnectorProperties} and its nested
 * classes (a bean property per key, {@code endpoints.*} for the map of endpoints), never
 * from a hand-written list. Every property source of the {@link Environment} is checked
 * through Boot's relaxed names, so {@code rejectUnauthorized},
 * {@code reject-unauthorized} and {@code SOCKET_CONNECTOR_TLS_REJECTUNAUTHORIZED} are the
 * same key. Values are never read: an unknown key may hold a secret.
 */
final class SocketConnectorPropertyKeys {

    private static final ConfigurationPropertyName PREFIX = ConfigurationPropertyName
        .of(SocketConnectorProperties.PREFIX);

    /** Wildcard element of a template: any map key (an endpoint's name). */
    private static final String ANY = "*";

    private static final List<Template> TEMPLATES = Collections
        .unmodifiableList(templates(SocketConnectorProperties.class, List.of()));

    private SocketConnectorPropertyKeys() {
    }

    /**
     * {@return every key the properties bind, relative to {@code socket.connector}, in
     * dashed form; {@code *} stands for an endpoint's name and {@code [0]} for a list
     * index}
     */
    static List<String> knownKeys() {
        List<String> keys = new ArrayList<>();
        for (Template template : TEMPLATES) {
            keys.add(String.join(".", template.elements) + (template.list ? "[0]" : ""));
        }
        return keys;
    }

    /**
     * Fails when a property source holds a key under {@code socket.connector} that no
     * property binds.
     * @param environment the application's environment
     * @throws InvalidSocketConnectorPropertyException naming the first unknown key, where
     * it was set, the closest known key, and any further unknown keys
     */
    static void check(Environment environment) {
        List<ConfigurationProperty> unknown = new ArrayList<>();
        List<ConfigurationPropertyName> seen = new ArrayList<>();
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            if (!(source instanceof IterableConfigurationPropertySource iterable)) {
                continue;
            }
            iterable.filter(PREFIX::isAncestorOf).stream().forEach((name) -> {
                if (!seen.contains(name) && !isKnown(name)) {
                    seen.add(name);
                    ConfigurationProperty property = source.getConfigurationProperty(name);
                    if (property != null) {
                        unknown.add(property);
                    }
                }
            });
        }
        if (unknown.isEmpty()) {
            return;
        }
        ConfigurationProperty first = unknown.get(0);
        String key = first.getName().toString();
        String closest = closest(first.getName());
        StringBuilder reason = new StringBuilder(
                "no such property under " + SocketConnectorProperties.PREFIX + ", it would be ignored");
        if (first.getOrigin() != null) {
            reason.append(" (set in ").append(first.getOrigin()).append(')');
        }
        reason.append("; did you mean '").append(closest).append("'?");
        for (ConfigurationProperty other : unknown.subList(1, unknown.size())) {
            reason.append("\n    Also unknown: ")
                .append(other.getName())
                .append(" (did you mean '")
                .append(closest(other.getName()))
                .append("'?)");
        }
        throw new InvalidSocketConnectorPropertyException(key, null, reason.toString(),
                "Rename '" + key + "' to '" + closest + "', or remove it. The keys under "
                        + SocketConnectorProperties.PREFIX
                        + " are in the configuration metadata (IDE completion) and the README's Properties table.");
    }

    /**
     * {@return whether {@code name} (under the prefix) is a key some property binds, or a
     * parent of such keys}
     */
    static boolean isKnown(ConfigurationPropertyName name) {
        int offset = PREFIX.getNumberOfElements();
        int length = name.getNumberOfElements() - offset;
        for (Template template : TEMPLATES) {
            if (template.matches(name, offset, length)) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@return the known key closest to {@code name} by edit distance, with the
     * endpoint's name filled in}
     */
    static String closest(ConfigurationPropertyName name) {
        int offset = PREFIX.getNumberOfElements();
        String relative = name.subName(offset).toString();
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (Template template : TEMPLATES) {
            String candidate = template.instantiate(name, offset);
            int distance = distance(relative, candidate);
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return SocketConnectorProperties.PREFIX + "." + best;
    }

    private static List<Template> templates(Class<?> type, List<String> parent) {
        List<Template> templates = new ArrayList<>();
        for (PropertyDescriptor descriptor : BeanUtils.getPropertyDescriptors(type)) {
            if (descriptor.getReadMethod() == null || "class".equals(descriptor.getName())) {
                continue;
            }
            List<String> elements = new ArrayList<>(parent);
            elements.add(DataObjectPropertyName.toDashedForm(descriptor.getName()));
            ResolvableType propertyType = ResolvableType.forMethodReturnType(descriptor.getReadMethod());
            Class<?> raw = propertyType.resolve(Object.class);
            if (Map.class.isAssignableFrom(raw)) {
                Class<?> value = propertyType.asMap().getGeneric(1).resolve(Object.class);
                elements.add(ANY);
                if (isNested(value)) {
                    templates.addAll(templates(value, elements));
                }
                else {
                    templates.add(new Template(elements, false));
                }
            }
            else if (isNested(raw)) {
                templates.addAll(templates(raw, elements));
            }
            else if (descriptor.getWriteMethod() != null) {
                templates.add(new Template(elements, Collection.class.isAssignableFrom(raw) || raw.isArray()));
            }
        }
        return templates;
    }

    /**
     * A nested group of properties: a class declared in
     * {@link SocketConnectorProperties}, not an enum.
     */
    private static boolean isNested(Class<?> type) {
        return type.getEnclosingClass() == SocketConnectorProperties.class && !type.isEnum();
    }

    /** Levenshtein distance. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = (a.charAt(i - 1) == b.charAt(j - 1)) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    /**
     * A bound key relative to the prefix: dashed elements, {@code *} for a map key, and
     * whether it is a list (which also binds indexed keys such as {@code alpn[0]}).
     */
    private record Template(List<String> elements, boolean list) {

        boolean matches(ConfigurationPropertyName name, int offset, int length) {
            int shared = Math.min(length, this.elements.size());
            for (int i = 0; i < shared; i++) {
                String element = this.elements.get(i);
                if (!ANY.equals(element) && !uniform(element).equals(name.getElement(offset + i, Form.UNIFORM))) {
                    return false;
                }
            }
            if (length <= this.elements.size()) {
                // the key itself, or a parent of it (a YAML mapping left empty)
                return true;
            }
            if (!this.list) {
                return false;
            }
            for (int i = offset + this.elements.size(); i < offset + length; i++) {
                if (!name.isNumericIndex(i)) {
                    return false;
                }
            }
            return true;
        }

        String instantiate(ConfigurationPropertyName name, int offset) {
            List<String> filled = new ArrayList<>(this.elements);
            for (int i = 0; i < filled.size(); i++) {
                if (ANY.equals(filled.get(i))) {
                    @Nullable String key = (offset + i < name.getNumberOfElements()) ? name.getElement(offset + i, Form.ORIGINAL)
                            : null;
                    filled.set(i, (key != null) ? key : "<name>");
                }
            }
            return String.join(".", filled);
        }

        private static String uniform(String dashed) {
            return ConfigurationPropertyName.of(dashed).getElement(0, Form.UNIFORM);
        }
    }

}
