/**
 * The sample application: keeps a TLS connection to an echo service with the
 * socket-connector starter, measures round trips and shows its sockets in a web page.
 */
@NullMarked
package dev.socketconnector.sample;

import org.jspecify.annotations.NullMarked;
