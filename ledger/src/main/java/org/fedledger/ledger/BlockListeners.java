package org.fedledger.ledger;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Who hears of each committed block (API stream, metrics), told after the commit. */
final class BlockListeners {
  // Logged under the ledger's name, where operators have always found it.
  private static final Logger log = LoggerFactory.getLogger(Ledger.class);

  private final List<Consumer<BlockResult>> listeners = new CopyOnWriteArrayList<>();

  void add(Consumer<BlockResult> listener) {
    listeners.add(listener);
  }

  /** Tells every listener of a committed block; one that fails is logged and the rest still run. */
  void blockCommitted(BlockResult result) {
    for (Consumer<BlockResult> listener : listeners) {
      try {
        listener.accept(result);
      } catch (RuntimeException e) {
        // A listener (API stream, metrics) must not undo or block a committed block.
        log.warn("block listener failed on height {}", result.height(), e);
      }
    }
  }
}
