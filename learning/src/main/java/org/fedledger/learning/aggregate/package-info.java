/**
 * Deterministic aggregation of client updates into a new global model, as validators must re-run it
 * bit for bit. Following Flower's split, {@link org.fedledger.learning.aggregate.ClientSelector}
 * decides who takes part in a round and {@link org.fedledger.learning.aggregate.Aggregator} is a
 * pure function of (global weights, client deltas, server state, parameters). Every strategy is a
 * {@link org.fedledger.learning.aggregate.Combiner} (how deltas become one delta: mean, median,
 * trimmed mean, Krum) followed by a {@link org.fedledger.learning.aggregate.ServerOptimizer} (how
 * that delta moves the global model: plain step, server momentum, server Adam). All arithmetic is
 * plain Java on float arrays with a fixed order of operations: each output coordinate is computed
 * by the same sequence of double operations whatever the thread count, and every reduction over
 * coordinates (norms, distances) sums fixed-size blocks in block order.
 */
package org.fedledger.learning.aggregate;
