package org.fedledger.ledger.market;

import org.fedledger.core.address.Address;
import org.fedledger.core.crypto.Ed25519PublicKey;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.market.Vouchers;
import org.fedledger.core.proto.market.Channel;
import org.fedledger.core.proto.market.ChannelStatus;
import org.fedledger.core.proto.market.Claim;
import org.fedledger.core.proto.market.ClaimRecord;
import org.fedledger.core.proto.market.RoyaltyPayment;
import org.fedledger.core.proto.market.Voucher;
import org.fedledger.core.proto.registry.Model;
import org.fedledger.ledger.bank.BankKeeper;
import org.fedledger.ledger.module.ExecutionContext;
import org.fedledger.ledger.module.StoreKey;
import org.fedledger.ledger.module.TxFailedException;
import org.fedledger.ledger.registry.RegistryKeeper;

/**
 * Claim: the channel's provider settles the client's latest voucher. The voucher must be signed by
 * the channel's client key, for this chain, this channel and its current nonce, for an amount of 1
 * to the deposit, on an open channel at a height up to its expiry (inclusive). The amount leaves
 * the channel's escrow at once, split by {@link ClaimSplit}; with {@code reopen} the channel stays
 * open under the next nonce with the rest of its deposit, so every voucher of the old nonce is
 * dead; without it the rest returns to the client and the channel closes.
 */
final class ClaimHandler {
  private final StoreKey key;
  private final BankKeeper bank;
  private final RegistryKeeper registry;

  ClaimHandler(StoreKey key, BankKeeper bank, RegistryKeeper registry) {
    this.key = key;
    this.bank = bank;
    this.registry = registry;
  }

  void claim(Claim m, ExecutionContext ctx) throws TxFailedException {
    MarketStore store = new MarketStore(ctx.store(key));
    Channel channel = ChannelHandlers.requireChannel(store, m.getChannelId());
    if (!Address.of(channel.getProvider()).equals(ctx.sender())) {
      throw Fail.unauthorized(
          "only the channel's provider " + Address.of(channel.getProvider()) + " may claim it");
    }
    ChannelHandlers.requireOpen(channel);
    if (ctx.height() > channel.getExpiryHeight()) {
      throw Fail.invalid(
          "channel "
              + ChannelHandlers.hex(channel)
              + " expired at height "
              + channel.getExpiryHeight()
              + " (now "
              + ctx.height()
              + "); only its client's refund remains");
    }
    long amount = checkVoucher(m, channel, ctx.block().chainId());
    Model model =
        registry
            .model(ctx, channel.getModelId())
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "channel " + ChannelHandlers.hex(channel) + " names no registered model"));
    ClaimSplit split = ClaimSplit.of(amount, channel, model);
    Address escrow = MarketModule.escrowAccount(Hash.of(channel.getChannelId().toByteArray()));
    pay(ctx, escrow, ctx.sender(), split.provider());
    pay(ctx, escrow, Address.of(channel.getOwner()), split.owner());
    for (RoyaltyPayment r : split.royalties()) {
      pay(ctx, escrow, Address.of(r.getContributor()), r.getAmount());
    }
    long rest = channel.getDeposit() - amount;
    Channel.Builder after =
        channel.toBuilder().setTotalClaimed(Math.addExact(channel.getTotalClaimed(), amount));
    long returned = 0;
    if (m.getReopen()) {
      after.setDeposit(rest).setNonce(channel.getNonce() + 1);
    } else {
      pay(ctx, escrow, Address.of(channel.getClient()), rest);
      returned = rest;
      after
          .setDeposit(0)
          .setStatus(ChannelStatus.CHANNEL_CLOSED)
          .setTotalRefunded(Math.addExact(channel.getTotalRefunded(), rest));
    }
    Channel closedOrReopened = after.build();
    store.putChannel(closedOrReopened);
    ClaimRecord record =
        ClaimRecord.newBuilder()
            .setChannelId(channel.getChannelId())
            .setNonce(channel.getNonce())
            .setAmount(amount)
            .setProviderAmount(split.provider())
            .setOwnerAmount(split.owner())
            .addAllRoyalties(split.royalties())
            .setHeight(ctx.height())
            .setModelId(channel.getModelId())
            .build();
    store.recordClaim(record);
    ctx.events()
        .emit(MarketEvents.channelClaimed(closedOrReopened, record, m.getReopen(), returned));
    for (RoyaltyPayment r : split.royalties()) {
      ctx.events().emit(MarketEvents.royaltyPaid(closedOrReopened, r));
    }
  }

  /** Moves tokens out of the escrow; a part of 0 moves nothing and emits no transfer. */
  private void pay(ExecutionContext ctx, Address from, Address to, long amount)
      throws TxFailedException {
    if (amount > 0) {
      bank.transfer(ctx, from, to, amount);
    }
  }

  /** The voucher's amount, if the voucher is one the channel's provider may claim now. */
  private static long checkVoucher(Claim m, Channel channel, String chainId)
      throws TxFailedException {
    if (!m.hasVoucher()) {
      throw Fail.invalid("Claim.voucher is missing: send the client's latest signed voucher");
    }
    Voucher v;
    try {
      v = Vouchers.decode(m.getVoucher());
    } catch (Vouchers.InvalidVoucherException e) {
      throw Fail.invalid(e.getMessage());
    }
    Ed25519PublicKey client = Ed25519PublicKey.shared(channel.getClientPublicKey().toByteArray());
    if (!Vouchers.verify(m.getVoucher(), client)) {
      throw Fail.invalid("the voucher is not signed by the channel's client key " + client.toHex());
    }
    if (!v.getChainId().equals(chainId)) {
      throw Fail.invalid(
          "the voucher is for chain '" + v.getChainId() + "', this chain is '" + chainId + "'");
    }
    if (!v.getChannelId().equals(channel.getChannelId())) {
      throw Fail.invalid("the voucher is for another channel");
    }
    if (v.getNonce() != channel.getNonce()) {
      throw Fail.invalid(
          "the voucher carries nonce "
              + Long.toUnsignedString(v.getNonce())
              + ", the channel's current nonce is "
              + channel.getNonce()
              + (Long.compareUnsigned(v.getNonce(), channel.getNonce()) < 0
                  ? ": it was already claimed"
                  : ""));
    }
    long amount = v.getAmount();
    if (amount <= 0) {
      throw Fail.invalid(
          "the voucher's amount must be at least 1 token, got " + Long.toUnsignedString(amount));
    }
    if (amount > channel.getDeposit()) {
      throw Fail.invalid(
          "the voucher's amount "
              + amount
              + " is above the channel's deposit "
              + channel.getDeposit());
    }
    return amount;
  }
}
