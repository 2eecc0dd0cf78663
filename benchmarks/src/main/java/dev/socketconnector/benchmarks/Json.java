package dev.socketconnector.benchmarks;

import java.util.Locale;

/**
 * Builds the one-line JSON object a command prints, fields in insertion order.
 */
public final class Json {

    private final StringBuilder out = new StringBuilder("{");

    private Json() {
    }

    /**
     * Starts an object whose first field is {@code "bench": name}.
     * @param bench the benchmark name
     * @return the builder
     */
    public static Json bench(String bench) {
        return new Json().field("bench", bench);
    }

    /**
     * Adds a string field.
     * @param name the field name
     * @param value the value (quotes and backslashes are escaped)
     * @return this builder
     */
    public Json field(String name, String value) {
        key(name).append('"').append(value.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        return this;
    }

    /**
     * Adds an integer field.
     * @param name the field name
     * @param value the value
     * @return this builder
     */
    public Json field(String name, long value) {
        key(name).append(value);
        return this;
    }

    /**
     * Adds a number field with up to three decimals.
     * @param name the field name
     * @param value the value
     * @return this builder
     */
    public Json field(String name, double value) {
        key(name).append(String.format(Locale.ROOT, "%.3f", value));
        return this;
    }

    /**
     * Adds a boolean field.
     * @param name the field name
     * @param value the value
     * @return this builder
     */
    public Json field(String name, boolean value) {
        key(name).append(value);
        return this;
    }

    private StringBuilder key(String name) {
        if (this.out.length() > 1) {
            this.out.append(',');
        }
        return this.out.append('"').append(name).append("\":");
    }

    /**
     * Returns the object as one line.
     * @return the JSON text
     */
    @Override
    public String toString() {
        return this.out + "}";
    }

}
