package dev.socketconnector;

/**
 * The address family of a socket's local or remote address.
 */
public enum IpFamily {

    /** An IPv4 address. */
    IPV4("IPv4"),

    /** An IPv6 address. */
    IPV6("IPv6");

    private final String value;

    IpFamily(String value) {
        this.value = value;
    }

    /**
     * {@return Bun's literal, {@code "IPv4"} or {@code "IPv6"}}
     */
    public String value() {
        return this.value;
    }

}
