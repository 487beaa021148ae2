package org.fedledger.ledger.execution;

import org.fedledger.core.address.Address;
import org.fedledger.ledger.module.Bytes;
import org.fedledger.ledger.module.ModuleStore;
import org.fedledger.ledger.module.StoreKey;
import org.fedledger.ledger.state.StateReader;
import org.fedledger.ledger.state.StateWriter;

/**
 * Per-account nonces, an executor concern rather than a module's: state key {@code
 * auth/nonce/<20-byte address>} → 8-byte big-endian next nonce (absent = 0).
 */
public final class Accounts {
  private static final byte[] NONCE = Bytes.utf8("nonce/");

  private final StoreKey key = new StoreKey("auth");

  public long nonce(StateReader state, Address account) {
    return ModuleStore.readOnly(key, state).getLong(nonceKey(account));
  }

  public void setNonce(StateWriter state, Address account, long nonce) {
    ModuleStore.writable(key, state).putLong(nonceKey(account), nonce);
  }

  /** The full state key of an account's nonce (for proofs). */
  public byte[] nonceStateKey(Address account) {
    return key.fullKey(nonceKey(account));
  }

  private static byte[] nonceKey(Address a) {
    return Bytes.concat(NONCE, a.toByteArray());
  }
}
