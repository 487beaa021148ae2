package org.fedledger.ledger.module;

import java.util.Objects;
import org.fedledger.ledger.state.StateReader;

/** Read-only access to committed state, for queries and mempool admission checks. */
public final class QueryContext {
  private final StateReader state;

  public QueryContext(StateReader state) {
    this.state = Objects.requireNonNull(state, "state");
  }

  public ModuleStore store(StoreKey key) {
    return ModuleStore.readOnly(key, state);
  }
}
