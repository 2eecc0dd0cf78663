/**
 * Reliability and security tests of the Spring layer: secrets in Actuator output and
 * logs.
 */
@NullMarked
package dev.socketconnector.autoconfigure.reliability;

import org.jspecify.annotations.NullMarked;
