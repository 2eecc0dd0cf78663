package dev.socketconnector.autoconfigure;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * Parses the {@code host:port} entries of {@code addresses} and {@code dns.servers}:
 * {@code db1.example:5432}, {@code 10.0.0.7:5432}, {@code [::1]:5432} (an IPv6 address in
 * brackets).
 */
final class HostPorts {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private HostPorts() {
    }

    /**
     * Parses one entry into an unresolved address (a name is resolved at each connect
     * attempt; an IP literal needs no lookup).
     * @param text the entry
     * @return the address, unresolved
     * @throws IllegalArgumentException saying what is wrong with the entry
     */
    static InetSocketAddress parse(String text) {
        String entry = text.strip();
        String host;
        String port;
        if (entry.startsWith("[")) {
            int close = entry.indexOf(']');
            if (close < 0 || close + 1 >= entry.length() || entry.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("'" + text + "' is not [IPv6 address]:port");
            }
            host = entry.substring(1, close);
            port = entry.substring(close + 2);
        }
        else {
            int colon = entry.lastIndexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("'" + text + "' has no port");
            }
            host = entry.substring(0, colon);
            port = entry.substring(colon + 1);
            if (host.indexOf(':') >= 0) {
                throw new IllegalArgumentException(
                        "'" + text + "': an IPv6 address needs brackets, as in [::1]:" + port);
            }
        }
        if (host.isBlank()) {
            throw new IllegalArgumentException("'" + text + "' has no host");
        }
        int number;
        try {
            number = Integer.parseInt(port);
        }
        catch (NumberFormatException ex) {
            throw new IllegalArgumentException("'" + text + "' has no valid port");
        }
        if (number < 1 || number > 65535) {
            throw new IllegalArgumentException("'" + text + "': port " + number + " is not between 1 and 65535");
        }
        return InetSocketAddress.createUnresolved(host, number);
    }

    /**
     * Parses an entry whose host must be an IP address (a DNS server: no lookup is made).
     * @param text the entry
     * @return the address, resolved
     * @throws IllegalArgumentException saying what is wrong with the entry
     */
    static InetSocketAddress parseIp(String text) {
        InetSocketAddress parsed = parse(text);
        String host = parsed.getHostString();
        if (!IPV4.matcher(host).matches() && host.indexOf(':') < 0) {
            throw new IllegalArgumentException("'" + text + "': the host must be an IP address");
        }
        try {
            // a literal: parsed, never looked up
            return new InetSocketAddress(InetAddress.getByName(host), parsed.getPort());
        }
        catch (UnknownHostException ex) {
            throw new IllegalArgumentException("'" + text + "': '" + host + "' is not a valid IP address");
        }
    }

}
