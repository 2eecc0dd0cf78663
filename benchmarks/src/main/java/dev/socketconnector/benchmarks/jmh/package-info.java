/**
 * JMH benchmarks of the connector's hot paths (write, read and handler dispatch), each
 * next to the same work done on raw Netty; run them with
 * {@code java -jar socket-connector-benchmarks.jar jmh}.
 */
@NullMarked
package dev.socketconnector.benchmarks.jmh;

import org.jspecify.annotations.NullMarked;
