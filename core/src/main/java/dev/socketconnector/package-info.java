/**
 * Bun's {@code connect()} TCP and unix-socket client for Java: options, handlers and
 * sockets.
 */
@NullMarked
package dev.socketconnector;

import org.jspecify.annotations.NullMarked;
