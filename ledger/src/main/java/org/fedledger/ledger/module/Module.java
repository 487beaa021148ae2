package org.fedledger.ledger.module;

import java.util.List;
import org.fedledger.ledger.Genesis;

/**
 * A built-in contract. Implementations hold their own {@link StoreKey} and share it with no one.
 */
public interface Module {
  /** The name transactions address it by (TxBody.module), e.g. "bank". */
  String name();

  /** The messages it handles; names are unique within the module. */
  List<MessageType<?>> messageTypes();

  /**
   * Writes the module's initial state; ctx has height 0 and no sender. By default nothing: most
   * modules' state is created by transactions.
   */
  default void initGenesis(Genesis genesis, ExecutionContext ctx) {}
}
