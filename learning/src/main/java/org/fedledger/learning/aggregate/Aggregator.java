package org.fedledger.learning.aggregate;

/**
 * Turns a round's client updates into the next global model. Implementations are pure: the result
 * depends only on the input and the strategy's parameters, and is bit-for-bit identical on any
 * machine and for any thread count, so that verifiers can re-run a round and compare hashes.
 */
public interface Aggregator {
  /** The strategy's canonical name, parseable by {@link Strategies#parse(String)}. */
  String name();

  /**
   * Aggregates one round.
   *
   * @throws EmptyRoundException if no update is valid
   */
  AggregationResult aggregate(AggregationInput input);
}
