package dev.socketconnector.reliability;

import java.util.List;

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

    private static final NetworkCommands COMMANDS = new NetworkCommands("the blackhole test network",
            "root (CAP_NET_ADMIN) and iproute2");

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
        COMMANDS.run("ip", "netns", "add", this.namespace);
        COMMANDS.inNamespace(this.namespace, "ip", "link", "set", "lo", "up");
        COMMANDS.run("ip", "link", "add", this.hostLink, "type", "veth", "peer", "name", peerLink);
        COMMANDS.run("ip", "link", "set", peerLink, "netns", this.namespace);
        COMMANDS.run("ip", "addr", "add", this.host + "/30", "dev", this.hostLink);
        COMMANDS.run("ip", "link", "set", this.hostLink, "up");
        COMMANDS.inNamespace(this.namespace, "ip", "addr", "add", this.peer + "/30", "dev", peerLink);
        COMMANDS.inNamespace(this.namespace, "ip", "link", "set", peerLink, "up");
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
        COMMANDS.inNamespace(this.namespace, "ip", "route", "add", "blackhole", this.host + "/32");
        this.blackholed = true;
    }

    /** Undoes {@link #blackhole()}. */
    void restore() throws Exception {
        if (this.blackholed) {
            this.blackholed = false;
            COMMANDS.inNamespace(this.namespace, "ip", "route", "del", "blackhole", this.host + "/32");
        }
    }

    @Override
    public void close() throws Exception {
        ChildEcho child = this.echo;
        this.echo = null;
        if (child != null) {
            child.close();
        }
        NetworkCommands.quietly("ip", "netns", "del", this.namespace);
        NetworkCommands.quietly("ip", "link", "del", this.hostLink);
    }

}
