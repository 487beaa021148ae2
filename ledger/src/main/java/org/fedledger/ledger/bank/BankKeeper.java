package org.fedledger.ledger.bank;

import org.fedledger.core.address.Address;
import org.fedledger.ledger.module.ExecutionContext;
import org.fedledger.ledger.module.QueryContext;
import org.fedledger.ledger.module.TxFailedException;

/**
 * What other modules may do with tokens. Transfers conserve the total supply; escrow accounts of
 * other modules (e.g. a training job's reward) are ordinary addresses derived by those modules.
 */
public interface BankKeeper {
  long balance(ExecutionContext ctx, Address account);

  long balance(QueryContext ctx, Address account);

  /**
   * Moves amount from one account to another.
   *
   * @throws TxFailedException INSUFFICIENT_BALANCE if from holds less than amount, INVALID_MESSAGE
   *     if amount is negative
   */
  void transfer(ExecutionContext ctx, Address from, Address to, long amount)
      throws TxFailedException;

  long totalSupply(QueryContext ctx);
}
