package org.fedledger.ledger.staking;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.fedledger.core.address.Address;
import org.fedledger.core.proto.staking.Bond;
import org.fedledger.core.proto.staking.SlashRecord;
import org.fedledger.core.proto.staking.Unbond;
import org.fedledger.core.proto.staking.UnbondingEntry;
import org.fedledger.core.proto.staking.Unbondings;
import org.fedledger.core.proto.staking.WithdrawUnbonded;
import org.fedledger.core.tx.TxRejection;
import org.fedledger.ledger.bank.BankKeeper;
import org.fedledger.ledger.module.Bytes;
import org.fedledger.ledger.module.ExecutionContext;
import org.fedledger.ledger.module.MessageType;
import org.fedledger.ledger.module.Module;
import org.fedledger.ledger.module.ModuleStore;
import org.fedledger.ledger.module.QueryContext;
import org.fedledger.ledger.module.StoreKey;
import org.fedledger.ledger.module.TxFailedException;

/**
 * Bonded stake. State (under "staking/"): {@code bonded/<address>} and {@code locked/<address>} →
 * 8-byte amounts (absent = 0); {@code unbonding/<address>} → {@link Unbondings}; {@code
 * slash_count/<address>} → 8 bytes and {@code slash/<address><sequence 8B>} → {@link SlashRecord}.
 * Tokens move only through the bank: bonded and unbonding tokens are held by {@link
 * StakingKeeper#BONDED_POOL}, slashed ones by {@link StakingKeeper#COMMUNITY_POOL}. Nothing is
 * written at genesis, so the genesis state root does not depend on this module.
 */
public final class StakingModule implements Module, StakingKeeper {
  public static final String NAME = "staking";
  public static final String BOND = "Bond";
  public static final String UNBOND = "Unbond";
  public static final String WITHDRAW_UNBONDED = "WithdrawUnbonded";

  public static final String EVENT_BONDED = "Bonded";
  public static final String EVENT_UNBONDING = "Unbonding";
  public static final String EVENT_WITHDRAWN = "UnbondedWithdrawn";
  public static final String EVENT_LOCKED = "Locked";
  public static final String EVENT_UNLOCKED = "Unlocked";
  public static final String EVENT_SLASHED = "Slashed";

  private static final byte[] BONDED = Bytes.utf8("bonded/");
  private static final byte[] LOCKED = Bytes.utf8("locked/");
  private static final byte[] UNBONDING = Bytes.utf8("unbonding/");
  private static final byte[] SLASH_COUNT = Bytes.utf8("slash_count/");
  private static final byte[] SLASH = Bytes.utf8("slash/");

  private final StoreKey key = new StoreKey(NAME);
  private final BankKeeper bank;
  private final StakingParams params;

  public StakingModule(BankKeeper bank, StakingParams params) {
    this.bank = Objects.requireNonNull(bank, "bank");
    this.params = Objects.requireNonNull(params, "params");
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<MessageType<?>> messageTypes() {
    return List.of(
        new MessageType<>(BOND, Bond::parseFrom, this::handleBond, this::admitBond),
        new MessageType<>(UNBOND, Unbond::parseFrom, this::handleUnbond, this::admitUnbond),
        MessageType.of(WITHDRAW_UNBONDED, WithdrawUnbonded::parseFrom, this::handleWithdraw));
  }

  public StakingParams params() {
    return params;
  }

  // ---- messages ----

  private void handleBond(Bond m, ExecutionContext ctx) throws TxFailedException {
    bond(ctx, ctx.sender(), positive("Bond.amount", m.getAmount()));
  }

  private void admitBond(Bond m, Address sender, QueryContext ctx) throws TxFailedException {
    long amount = positive("Bond.amount", m.getAmount());
    long balance = bank.balance(ctx, sender);
    if (balance < amount) {
      throw new TxFailedException(
          TxRejection.INSUFFICIENT_BALANCE,
          "account " + sender + " holds " + balance + ", cannot bond " + amount);
    }
  }

  private void handleUnbond(Unbond m, ExecutionContext ctx) throws TxFailedException {
    long amount = positive("Unbond.amount", m.getAmount());
    ModuleStore store = ctx.store(key);
    Address account = ctx.sender();
    requireFree(account, store, amount);
    store.putLong(bondedKey(account), store.getLong(bondedKey(account)) - amount);
    deleteIfZero(store, bondedKey(account));
    long release = Math.addExact(ctx.height(), params.unbondingDelayBlocks());
    Unbondings list =
        readUnbondings(store, account).toBuilder()
            .addEntries(UnbondingEntry.newBuilder().setAmount(amount).setReleaseHeight(release))
            .build();
    store.put(unbondingKey(account), list.toByteArray());
    ctx.events()
        .emit(
            NAME,
            EVENT_UNBONDING,
            "account",
            account.toHex(),
            "amount",
            Long.toString(amount),
            "release_height",
            Long.toString(release));
  }

  private void admitUnbond(Unbond m, Address sender, QueryContext ctx) throws TxFailedException {
    requireFree(sender, ctx.store(key), positive("Unbond.amount", m.getAmount()));
  }

  private void handleWithdraw(WithdrawUnbonded m, ExecutionContext ctx) throws TxFailedException {
    ModuleStore store = ctx.store(key);
    Address account = ctx.sender();
    Unbondings list = readUnbondings(store, account);
    Unbondings.Builder rest = Unbondings.newBuilder();
    long due = 0;
    for (UnbondingEntry e : list.getEntriesList()) {
      if (e.getReleaseHeight() <= ctx.height()) {
        due = Math.addExact(due, e.getAmount());
      } else {
        rest.addEntries(e);
      }
    }
    if (due == 0) {
      throw new TxFailedException(
          TxRejection.INVALID_MESSAGE,
          "nothing to withdraw: "
              + (list.getEntriesCount() == 0
                  ? "no unbonding entries; send Unbond first"
                  : "the first entry is released at height "
                      + list.getEntries(0).getReleaseHeight()));
    }
    if (rest.getEntriesCount() == 0) {
      store.delete(unbondingKey(account));
    } else {
      store.put(unbondingKey(account), rest.build().toByteArray());
    }
    bank.transfer(ctx, BONDED_POOL, account, due);
    ctx.events()
        .emit(NAME, EVENT_WITHDRAWN, "account", account.toHex(), "amount", Long.toString(due));
  }

  // ---- keeper ----

  @Override
  public long bonded(QueryContext ctx, Address account) {
    return ctx.store(key).getLong(bondedKey(account));
  }

  @Override
  public long locked(QueryContext ctx, Address account) {
    return ctx.store(key).getLong(lockedKey(account));
  }

  @Override
  public List<UnbondingEntry> unbonding(QueryContext ctx, Address account) {
    return readUnbondings(ctx.store(key), account).getEntriesList();
  }

  @Override
  public List<SlashRecord> slashes(QueryContext ctx, Address account) {
    ModuleStore store = ctx.store(key);
    long count = store.getLong(slashCountKey(account));
    List<SlashRecord> out = new ArrayList<>();
    for (long i = 0; i < count; i++) {
      out.add(parse(store.get(slashKey(account, i)), SlashRecord.parser()));
    }
    return out;
  }

  @Override
  public long bonded(ExecutionContext ctx, Address account) {
    return ctx.store(key).getLong(bondedKey(account));
  }

  @Override
  public void bond(ExecutionContext ctx, Address account, long amount) throws TxFailedException {
    positive("bond amount", amount);
    bank.transfer(ctx, account, BONDED_POOL, amount);
    ModuleStore store = ctx.store(key);
    // Cannot overflow: bonded stake is part of a supply below 2^63.
    long bonded = Math.addExact(store.getLong(bondedKey(account)), amount);
    store.putLong(bondedKey(account), bonded);
    ctx.events()
        .emit(
            NAME,
            EVENT_BONDED,
            "account",
            account.toHex(),
            "amount",
            Long.toString(amount),
            "bonded",
            Long.toString(bonded));
  }

  @Override
  public void lock(ExecutionContext ctx, Address account, long amount) throws TxFailedException {
    ModuleStore store = ctx.store(key);
    requireFree(account, store, amount);
    store.putLong(lockedKey(account), store.getLong(lockedKey(account)) + amount);
    ctx.events()
        .emit(NAME, EVENT_LOCKED, "account", account.toHex(), "amount", Long.toString(amount));
  }

  @Override
  public void unlock(ExecutionContext ctx, Address account, long amount) {
    ModuleStore store = ctx.store(key);
    long locked = store.getLong(lockedKey(account));
    long released = Math.min(locked, Math.max(0, amount));
    store.putLong(lockedKey(account), locked - released);
    deleteIfZero(store, lockedKey(account));
    ctx.events()
        .emit(NAME, EVENT_UNLOCKED, "account", account.toHex(), "amount", Long.toString(released));
  }

  @Override
  public long slash(ExecutionContext ctx, Address account, long amount, String reason) {
    ModuleStore store = ctx.store(key);
    long bonded = store.getLong(bondedKey(account));
    long taken = Math.min(bonded, Math.max(0, amount));
    long left = bonded - taken;
    store.putLong(bondedKey(account), left);
    deleteIfZero(store, bondedKey(account));
    // Free stake goes first; the lock shrinks only when the bond no longer covers it.
    long locked = store.getLong(lockedKey(account));
    if (locked > left) {
      store.putLong(lockedKey(account), left);
      deleteIfZero(store, lockedKey(account));
    }
    if (taken > 0) {
      try {
        bank.transfer(ctx, BONDED_POOL, COMMUNITY_POOL, taken);
      } catch (TxFailedException e) {
        throw new IllegalStateException(
            "bonded pool holds less than the bonded stake; state is inconsistent", e);
      }
    }
    long seq = store.getLong(slashCountKey(account));
    SlashRecord record =
        SlashRecord.newBuilder()
            .setHeight(ctx.height())
            .setRequested(Math.max(0, amount))
            .setAmount(taken)
            .setReason(reason)
            .setDestination(COMMUNITY_POOL.toByteString())
            .build();
    store.put(slashKey(account, seq), record.toByteArray());
    store.putLong(slashCountKey(account), seq + 1);
    ctx.events()
        .emit(
            NAME,
            EVENT_SLASHED,
            "account",
            account.toHex(),
            "amount",
            Long.toString(taken),
            "requested",
            Long.toString(Math.max(0, amount)),
            "reason",
            reason,
            "destination",
            COMMUNITY_POOL.toHex());
    return taken;
  }

  // ---- helpers ----

  private static void requireFree(Address account, ModuleStore store, long amount)
      throws TxFailedException {
    long bonded = store.getLong(bondedKey(account));
    long locked = store.getLong(lockedKey(account));
    if (bonded - locked < amount) {
      throw new TxFailedException(
          TxRejection.INSUFFICIENT_BALANCE,
          "account "
              + account
              + " has "
              + (bonded - locked)
              + " free bonded stake ("
              + bonded
              + " bonded, "
              + locked
              + " locked by jobs), needs "
              + amount
              + "; Bond more first");
    }
  }

  static long positive(String field, long amount) throws TxFailedException {
    if (amount <= 0) {
      // uint64 above 2^63-1 arrives negative: more than any supply.
      throw new TxFailedException(
          TxRejection.INVALID_MESSAGE,
          field + " must be between 1 and 2^63-1, got " + Long.toUnsignedString(amount));
    }
    return amount;
  }

  private static void deleteIfZero(ModuleStore store, byte[] key) {
    if (store.getLong(key) == 0) {
      store.delete(key);
    }
  }

  private static Unbondings readUnbondings(ModuleStore store, Address account) {
    byte[] bytes = store.get(unbondingKey(account));
    return bytes == null ? Unbondings.getDefaultInstance() : parse(bytes, Unbondings.parser());
  }

  private static <T> T parse(byte[] bytes, com.google.protobuf.Parser<T> parser) {
    try {
      return parser.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("corrupt staking state; restore the data directory", e);
    }
  }

  private static byte[] bondedKey(Address a) {
    return Bytes.concat(BONDED, a.toByteArray());
  }

  private static byte[] lockedKey(Address a) {
    return Bytes.concat(LOCKED, a.toByteArray());
  }

  private static byte[] unbondingKey(Address a) {
    return Bytes.concat(UNBONDING, a.toByteArray());
  }

  private static byte[] slashCountKey(Address a) {
    return Bytes.concat(SLASH_COUNT, a.toByteArray());
  }

  private static byte[] slashKey(Address a, long seq) {
    return Bytes.concat(SLASH, a.toByteArray(), Bytes.ofLong(seq));
  }
}
