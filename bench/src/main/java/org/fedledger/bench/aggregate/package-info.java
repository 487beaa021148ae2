/**
 * JMH benchmarks of deterministic aggregation: one round of each strategy over many CNN-sized
 * client updates. Run: {@code java -jar bench/target/benchmarks.jar AggregationBenchmark} or
 * through the bench module's runner.
 */
package org.fedledger.bench.aggregate;
