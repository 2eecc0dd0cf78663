package dev.socketconnector.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * A connect, from {@code connect()} until the socket opened or the connect failed (DNS,
 * TCP and TLS).
 */
@Name(ConnectEvent.NAME)
@Label("Socket Connect")
@Category("socket-connector")
@Description("A connect until the socket opened or the connect failed: DNS, TCP connect and TLS handshake")
@StackTrace(false)
@Enabled(false)
public final class ConnectEvent extends jdk.jfr.Event {

    /** The event's name in a recording. */
    public static final String NAME = "dev.socketconnector.Connect";

    /** The endpoint's name, or null for a socket opened from options. */
    @Label("Endpoint")
    public String endpoint;

    /** The dialled address or path. */
    @Label("Target")
    public String target;

    /** Whether the connect uses TLS. */
    @Label("TLS")
    public boolean tls;

    /** Whether the socket opened. */
    @Label("Success")
    public boolean success;

    /**
     * Node's error code of a failed connect ({@code ECONNREFUSED}, ...) or the failure's
     * class name.
     */
    @Label("Error")
    public String error;

    /** The duration core measured for the connect. */
    @Label("Elapsed")
    @Timespan(Timespan.NANOSECONDS)
    public long elapsed;

}
