package dev.socketconnector.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** A socket that closed, with what it carried. */
@Name(CloseEvent.NAME)
@Label("Socket Close")
@Category("socket-connector")
@Description("A socket closed")
@StackTrace(false)
@Enabled(false)
public final class CloseEvent extends jdk.jfr.Event {

    /** The event's name in a recording. */
    public static final String NAME = "dev.socketconnector.Close";

    /** The endpoint's name, or null for a socket opened from options. */
    @Label("Endpoint")
    public String endpoint;

    /** The socket's id. */
    @Label("Socket")
    public String socket;

    /** The remote address (null for a unix socket). */
    @Label("Remote Address")
    public String remoteAddress;

    /** Bytes accepted by write and end. */
    @Label("Bytes Written")
    @jdk.jfr.DataAmount
    public long bytesWritten;

    /** Bytes delivered to data. */
    @Label("Bytes Read")
    @jdk.jfr.DataAmount
    public long bytesRead;

}
