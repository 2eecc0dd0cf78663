/**
 * Spring Boot auto-configuration for socket-connector: properties, SSL bundles, handler
 * beans, managed endpoints and graceful shutdown.
 */
@NullMarked
package dev.socketconnector.autoconfigure;

import org.jspecify.annotations.NullMarked;
