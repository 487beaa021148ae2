package org.fedledger.ledger.staking;

import java.util.List;
import org.fedledger.core.address.Address;
import org.fedledger.core.proto.staking.SlashRecord;
import org.fedledger.core.proto.staking.UnbondingEntry;
import org.fedledger.ledger.bank.BankKeeper;
import org.fedledger.ledger.module.ExecutionContext;
import org.fedledger.ledger.module.QueryContext;
import org.fedledger.ledger.module.TxFailedException;

/**
 * What other modules may do with stake. Bonded tokens sit in {@link #BONDED_POOL}; an address's
 * bonded amount includes the part locked by jobs ({@code locked <= bonded} always holds).
 */
public interface StakingKeeper {
  /** The module account holding every bonded and unbonding token. */
  Address BONDED_POOL = BankKeeper.moduleAccount("staking", "bonded");

  /** Where slashed tokens go: no key holds it, so they leave circulation but not the supply. */
  Address COMMUNITY_POOL = BankKeeper.moduleAccount("staking", "community-pool");

  long bonded(QueryContext ctx, Address account);

  long locked(QueryContext ctx, Address account);

  List<UnbondingEntry> unbonding(QueryContext ctx, Address account);

  /** Every slash of account, oldest first. */
  List<SlashRecord> slashes(QueryContext ctx, Address account);

  long bonded(ExecutionContext ctx, Address account);

  /**
   * Moves amount from account's balance into its bonded stake.
   *
   * @throws TxFailedException INSUFFICIENT_BALANCE if the balance is short
   */
  void bond(ExecutionContext ctx, Address account, long amount) throws TxFailedException;

  /**
   * Locks amount of account's free bonded stake (e.g. for a job) so that it cannot be unbonded.
   *
   * @throws TxFailedException INSUFFICIENT_BALANCE if free stake is short
   */
  void lock(ExecutionContext ctx, Address account, long amount) throws TxFailedException;

  /** Releases up to amount of account's locked stake (less if a slash already took it). */
  void unlock(ExecutionContext ctx, Address account, long amount);

  /**
   * Takes up to amount of account's bonded stake (free stake first, then locked) and sends it to
   * {@link #COMMUNITY_POOL}; records the slash and emits {@code staking/Slashed}.
   *
   * @return the amount actually taken, at most the bonded stake
   */
  long slash(ExecutionContext ctx, Address account, long amount, String reason);
}
