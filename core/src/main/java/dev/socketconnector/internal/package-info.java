/**
 * The Netty implementation of the connector: sockets, pipeline, transports and TLS. Not a public API.
 */
@NullMarked
package dev.socketconnector.internal;

import org.jspecify.annotations.NullMarked;
