/**
 * JDK Flight Recorder events of the connector: connect, TLS handshake, close and managed
 * endpoint state changes, in the category "socket-connector". They are committed from a
 * {@link dev.socketconnector.SocketObserver}
 * ({@link dev.socketconnector.internal.jfr.JfrSocketObserver}), so the read and write
 * paths are untouched, and cost one {@code isEnabled()} check per socket event while no
 * recording enables them.
 */
package dev.socketconnector.internal.jfr;
