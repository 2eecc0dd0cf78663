/**
 * Spring Boot Actuator support for socket-connector: the {@code sockets} endpoint and the
 * {@code socketConnector} health contributor.
 */
@NullMarked
package dev.socketconnector.autoconfigure.actuate;

import org.jspecify.annotations.NullMarked;
