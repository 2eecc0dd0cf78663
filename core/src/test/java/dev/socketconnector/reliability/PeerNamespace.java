package dev.socketconnector.reliability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * An echo peer (a child JVM running {@link EchoServer}) in a network namespace of its
 * own, joined to this one by a veth pair in a private /30 that exists only on the link;
 * {@link #blackhole()} makes the peer silent without telling anyone: a blackhole route
 * inside the namespace for this side's address drops every segment the peer sends (ACKs
 * included), while this side's segments still arrive. Nothing is reset, no ICMP is sent:
 * as a peer whose host died or whose link was cut. Needs root (CAP_NET_ADMIN) and
 * iproute2; when either is missing {@link #start(String)} fails and says why (the tests
 * are not skipped). {@link #close()} removes everything.
 */
final class PeerNamespace implements AutoCloseable {

    private static final long ID = ProcessHandle.current().pid() % 100000;

    private final String namespace;

    private final String hostLink;

    private final String host;

    private final String peer;

    private @Nullable ChildEcho echo;

    private boolean blackholed;

    private PeerNamespace(String tag, int octet) {
        this.namespace = "scdp" + tag + ID;
        this.hostLink = "scd" + tag + ID + "h";
        this.host = "10.215." + octet + ".1";
        this.peer = "10.215." + octet + ".2";
    }

    /**
     * Creates the namespace, the link and the echo peer.
     * @param tag one letter that keeps the names of two fixtures in one JVM apart
     * @return the running fixture
     */
    static PeerNamespace start(String tag) throws Exception {
        int octet = (int) ((ID + tag.charAt(0)) % 250) + 1;
        PeerNamespace fixture = new PeerNamespace(tag, octet);
        try {
            fixture.create();
        }
        catch (Exception | AssertionError ex) {
            fixture.close();
            throw ex;
        }
        return fixture;
    }

    private void create() throws Exception {
        String peerLink = "scd" + this.hostLink.substring(3, this.hostLink.length() - 1) + "p";
        run("ip", "netns", "add", this.namespace);
        inNamespace("ip", "link", "set", "lo", "up");
        run("ip", "link", "add", this.hostLink, "type", "veth", "peer", "name", peerLink);
        run("ip", "link", "set", peerLink, "netns", this.namespace);
        run("ip", "addr", "add", this.host + "/30", "dev", this.hostLink);
        run("ip", "link", "set", this.hostLink, "up");
        inNamespace("ip", "addr", "add", this.peer + "/30", "dev", peerLink);
        inNamespace("ip", "link", "set", peerLink, "up");
        this.echo = ChildEcho.start(List.of("ip", "netns", "exec", this.namespace), this.peer, false);
    }

    /** The peer's address, reachable from this namespace over the link. */
    String peerAddress() {
        return this.peer;
    }

    /** The echo peer's port. */
    int port() {
        ChildEcho child = this.echo;
        if (child == null) {
            throw new IllegalStateException("not started");
        }
        return child.port();
    }

    /** From now on nothing the peer sends reaches this side. */
    void blackhole() throws Exception {
        inNamespace("ip", "route", "add", "blackhole", this.host + "/32");
        this.blackholed = true;
    }

    /** Undoes {@link #blackhole()}. */
    void restore() throws Exception {
        if (this.blackholed) {
            this.blackholed = false;
            inNamespace("ip", "route", "del", "blackhole", this.host + "/32");
        }
    }

    @Override
    public void close() throws Exception {
        ChildEcho child = this.echo;
        this.echo = null;
        if (child != null) {
            child.close();
        }
        quietly("ip", "netns", "del", this.namespace);
        quietly("ip", "link", "del", this.hostLink);
    }

    private void inNamespace(String... command) throws Exception {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", this.namespace));
        all.addAll(Arrays.asList(command));
        run(all.toArray(new String[0]));
    }

    private static void run(String... command) throws Exception {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        }
        catch (IOException ex) {
            throw new AssertionError(why(command, "cannot run it: " + ex.getMessage()), ex);
        }
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(why(command, "did not finish in 20 s"));
        }
        if (process.exitValue() != 0) {
            throw new AssertionError(why(command,
                    "exited " + process.exitValue() + ": " + new String(output, StandardCharsets.UTF_8).trim()));
        }
    }

    private static String why(String[] command, String what) {
        return "cannot build the blackhole test network: `" + String.join(" ", command) + "` " + what
                + ". These tests need root (CAP_NET_ADMIN) and iproute2; they are not skipped.";
    }

    private static void quietly(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
            process.waitFor(20, TimeUnit.SECONDS);
        }
        catch (IOException | InterruptedException ex) {
            // best effort
        }
    }

}
