/**
 * Micrometer meters and observations for socket-connector, fed by a
 * {@link dev.socketconnector.SocketObserver}.
 */
@NullMarked
package dev.socketconnector.autoconfigure.metrics;

import org.jspecify.annotations.NullMarked;
