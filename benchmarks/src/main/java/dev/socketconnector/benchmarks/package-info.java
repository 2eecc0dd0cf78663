/**
 * Benchmark client of BENCHMARKS.md for the connector, a raw-Netty baseline client, a
 * count/echo server and JMH benchmarks, all run from one shaded jar through
 * {@link dev.socketconnector.benchmarks.BenchmarkMain}.
 */
@NullMarked
package dev.socketconnector.benchmarks;

import org.jspecify.annotations.NullMarked;
