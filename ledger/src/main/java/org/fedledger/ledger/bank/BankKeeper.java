package org.fedledger.ledger.bank;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.fedledger.core.address.Address;
import org.fedledger.core.hash.Sha256;
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

  /**
   * The address of an account a module holds tokens in (an escrow), e.g. ("training", job id): the
   * first 20 bytes of SHA-256("fedledger/module-account/" ‖ module ‖ "/" ‖ purpose). No key pair
   * has it (that would need a SHA-256 preimage), so only the module can move its tokens, through
   * this keeper.
   */
  static Address moduleAccount(String module, String purpose) {
    byte[] seed =
        ("fedledger/module-account/" + module + "/" + purpose).getBytes(StandardCharsets.UTF_8);
    return Address.of(Arrays.copyOf(Sha256.hash(seed).toByteArray(), Address.LENGTH));
  }
}
