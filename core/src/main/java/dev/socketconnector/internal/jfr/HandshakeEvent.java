package dev.socketconnector.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/** A TLS handshake, from the TCP connection until the handshake ended. */
@Name(HandshakeEvent.NAME)
@Label("Socket TLS Handshake")
@Category("socket-connector")
@Description("A TLS handshake, from the TCP connection until it succeeded or failed")
@StackTrace(false)
@Enabled(false)
public final class HandshakeEvent extends jdk.jfr.Event {

    /** The event's name in a recording. */
    public static final String NAME = "dev.socketconnector.Handshake";

    /** The endpoint's name, or null for a socket opened from options. */
    @Label("Endpoint")
    public String endpoint;

    /** The socket's id. */
    @Label("Socket")
    public String socket;

    /** Whether the handshake (and the peer's authorization, when required) succeeded. */
    @Label("Success")
    public boolean success;

    /** The failure's message, or null. */
    @Label("Error")
    public String error;

    /** The duration core measured for the handshake. */
    @Label("Elapsed")
    @Timespan(Timespan.NANOSECONDS)
    public long elapsed;

}
