package org.fedledger.learning.aggregate;

import java.util.List;

/**
 * Flower's "configure" step: which of the available clients take part in a round. Kept apart from
 * {@link Aggregator}: on the chain the selection comes from the block hash; in simulation from a
 * seed.
 */
public interface ClientSelector {
  /**
   * @param available candidate client ids; the result must not depend on their order
   * @param round the round number (selections differ between rounds)
   * @return the selected ids, sorted
   */
  List<String> select(List<String> available, long round);
}
