package org.fedledger.ledger.module;

import java.util.Optional;
import org.fedledger.core.hash.Hash;

/** What contracts may read of the committed chain itself. */
public interface ChainView {
  /** The state root this node computed after height, if height is committed. */
  Optional<Hash> stateRootAt(long height);
}
