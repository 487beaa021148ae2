package org.fedledger.ledger.bank;

import java.util.List;
import org.fedledger.core.address.Address;
import org.fedledger.core.proto.bank.Transfer;
import org.fedledger.core.tx.TxRejection;
import org.fedledger.ledger.Genesis;
import org.fedledger.ledger.module.Bytes;
import org.fedledger.ledger.module.ExecutionContext;
import org.fedledger.ledger.module.MessageType;
import org.fedledger.ledger.module.Module;
import org.fedledger.ledger.module.ModuleStore;
import org.fedledger.ledger.module.QueryContext;
import org.fedledger.ledger.module.StoreKey;
import org.fedledger.ledger.module.TxFailedException;

/**
 * The token. State (under "bank/"): {@code balance/<20-byte address>} → 8-byte big-endian amount
 * (absent = 0), {@code supply} → 8-byte total. Amounts are signed 64-bit in Java and never
 * negative: a wire amount of 2^63 or more is refused, and the supply, which every balance is part
 * of, fits in 63 bits by genesis, so no sum of balances can overflow.
 */
public final class BankModule implements Module, BankKeeper {
  public static final String NAME = "bank";
  public static final String TRANSFER = "Transfer";

  private static final byte[] SUPPLY = Bytes.utf8("supply");
  private static final byte[] BALANCE = Bytes.utf8("balance/");

  private final StoreKey key = new StoreKey(NAME);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<MessageType<?>> messageTypes() {
    return List.of(
        new MessageType<>(TRANSFER, Transfer::parseFrom, this::handleTransfer, this::admit));
  }

  @Override
  public void initGenesis(Genesis genesis, ExecutionContext ctx) {
    ModuleStore store = ctx.store(key);
    long supply = 0;
    for (Genesis.Account a : genesis.accounts()) {
      if (a.balance() > 0) {
        store.putLong(balanceKey(a.address()), a.balance());
      }
      supply = Math.addExact(supply, a.balance());
    }
    store.putLong(SUPPLY, supply);
  }

  private void handleTransfer(Transfer t, ExecutionContext ctx) throws TxFailedException {
    Address to = recipient(t);
    long amount = amount(t);
    transfer(ctx, ctx.sender(), to, amount);
  }

  private void admit(Transfer t, Address sender, QueryContext ctx) throws TxFailedException {
    recipient(t);
    long amount = amount(t);
    long balance = balance(ctx, sender);
    if (balance < amount) {
      throw insufficient(sender, balance, amount);
    }
  }

  private static Address recipient(Transfer t) throws TxFailedException {
    if (t.getTo().size() != Address.LENGTH) {
      throw new TxFailedException(
          TxRejection.INVALID_MESSAGE,
          "Transfer.to must be a 20-byte address, got " + t.getTo().size() + " bytes");
    }
    return Address.of(t.getTo());
  }

  private static long amount(Transfer t) throws TxFailedException {
    long amount = t.getAmount();
    if (amount <= 0) {
      // uint64 above 2^63-1 arrives negative: larger than any supply, so refuse it as invalid.
      throw new TxFailedException(
          TxRejection.INVALID_MESSAGE,
          "Transfer.amount must be between 1 and 2^63-1, got " + Long.toUnsignedString(amount));
    }
    return amount;
  }

  @Override
  public long balance(ExecutionContext ctx, Address account) {
    return ctx.store(key).getLong(balanceKey(account));
  }

  @Override
  public long balance(QueryContext ctx, Address account) {
    return ctx.store(key).getLong(balanceKey(account));
  }

  @Override
  public long totalSupply(QueryContext ctx) {
    return ctx.store(key).getLong(SUPPLY);
  }

  @Override
  public void transfer(ExecutionContext ctx, Address from, Address to, long amount)
      throws TxFailedException {
    if (amount < 0) {
      throw new TxFailedException(TxRejection.INVALID_MESSAGE, "negative amount " + amount);
    }
    ModuleStore store = ctx.store(key);
    byte[] fromKey = balanceKey(from);
    long fromBalance = store.getLong(fromKey);
    if (fromBalance < amount) {
      throw insufficient(from, fromBalance, amount);
    }
    setBalance(store, fromKey, fromBalance - amount);
    byte[] toKey = balanceKey(to);
    // Cannot overflow: both balances are parts of a supply below 2^63. addExact guards the claim.
    setBalance(store, toKey, Math.addExact(store.getLong(toKey), amount));
    ctx.events()
        .emit(
            NAME,
            "Transfer",
            "from",
            from.toHex(),
            "to",
            to.toHex(),
            "amount",
            Long.toString(amount));
  }

  private static void setBalance(ModuleStore store, byte[] key, long balance) {
    // Zero balances are deleted so that empty accounts cost no state.
    if (balance == 0) {
      store.delete(key);
    } else {
      store.putLong(key, balance);
    }
  }

  private static TxFailedException insufficient(Address account, long balance, long amount) {
    return new TxFailedException(
        TxRejection.INSUFFICIENT_BALANCE,
        "account " + account + " holds " + balance + ", needs " + amount);
  }

  /** The full state key of an account's balance (for proofs). */
  public byte[] balanceStateKey(Address account) {
    return key.fullKey(balanceKey(account));
  }

  private static byte[] balanceKey(Address a) {
    return Bytes.concat(BALANCE, a.toByteArray());
  }
}
