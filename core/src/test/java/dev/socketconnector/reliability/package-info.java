/**
 * Reliability and security tests of the core connector: integrity under load, faults, bad
 * input, TLS refusal and secrets.
 */
@NullMarked
package dev.socketconnector.reliability;

import org.jspecify.annotations.NullMarked;
