package org.fedledger.ledger.market;

import java.util.HexFormat;
import org.fedledger.core.address.Address;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.market.AddFunds;
import org.fedledger.core.proto.market.Channel;
import org.fedledger.core.proto.market.ChannelStatus;
import org.fedledger.core.proto.market.ExtendChannel;
import org.fedledger.core.proto.market.Offer;
import org.fedledger.core.proto.market.OpenChannel;
import org.fedledger.core.proto.market.Refund;
import org.fedledger.ledger.bank.BankKeeper;
import org.fedledger.ledger.module.ExecutionContext;
import org.fedledger.ledger.module.StoreKey;
import org.fedledger.ledger.module.TxFailedException;

/**
 * The client's side of a payment channel: OpenChannel, AddFunds, ExtendChannel and Refund. A
 * channel's deposit is held in its own escrow account ({@link MarketModule#escrowAccount}), so the
 * account's balance is always the channel's deposit. A channel is claimable up to and including its
 * expiry height, refundable from the height after.
 */
final class ChannelHandlers {
  private final StoreKey key;
  private final BankKeeper bank;

  ChannelHandlers(StoreKey key, BankKeeper bank) {
    this.key = key;
    this.bank = bank;
  }

  void open(OpenChannel m, ExecutionContext ctx) throws TxFailedException {
    MarketStore store = new MarketStore(ctx.store(key));
    Offer offer = OfferHandlers.requireOffer(store.offer(m.getModelId()), m.getModelId());
    if (offer.getWithdrawn()) {
      throw Fail.invalid("the offer of model '" + m.getModelId() + "' is withdrawn");
    }
    if (m.getProvider().size() != Address.LENGTH) {
      throw Fail.invalid(
          "OpenChannel.provider must be a 20-byte address, got " + m.getProvider().size());
    }
    if (!offer.getProvidersList().contains(m.getProvider())) {
      throw Fail.invalid(
          "provider "
              + Address.of(m.getProvider())
              + " is not allowed by the offer of model '"
              + m.getModelId()
              + "'; its providers are "
              + providers(offer));
    }
    long deposit = positive("deposit", m.getDeposit());
    checkExpiry(m.getExpiryHeight(), ctx.height(), 0);
    Hash id = MarketModule.channelIdOf(ctx.txHash());
    bank.transfer(ctx, ctx.sender(), MarketModule.escrowAccount(id), deposit);
    Channel channel =
        Channel.newBuilder()
            .setChannelId(id.toByteString())
            .setModelId(m.getModelId())
            .setClient(ctx.sender().toByteString())
            .setClientPublicKey(ctx.senderKey().toByteString())
            .setProvider(m.getProvider())
            .setDeposit(deposit)
            .setNonce(0)
            .setExpiryHeight(m.getExpiryHeight())
            .setOpenedHeight(ctx.height())
            .setStatus(ChannelStatus.CHANNEL_OPEN)
            .setTotalDeposited(deposit)
            .setPricePerCall(offer.getPricePerCall())
            .setProviderFeePpm(offer.getProviderFeePpm())
            .setOwnerSharePpm(offer.getOwnerSharePpm())
            .setContributorsSharePpm(offer.getContributorsSharePpm())
            .setOwner(offer.getOwner())
            .build();
    store.createChannel(channel);
    ctx.events().emit(MarketEvents.channelOpened(channel));
  }

  void addFunds(AddFunds m, ExecutionContext ctx) throws TxFailedException {
    MarketStore store = new MarketStore(ctx.store(key));
    Channel channel = requireClientsOpenChannel(store, m.getChannelId(), ctx, "add funds to");
    long amount = positive("amount", m.getAmount());
    Hash id = Hash.of(channel.getChannelId().toByteArray());
    bank.transfer(ctx, ctx.sender(), MarketModule.escrowAccount(id), amount);
    Channel after =
        channel.toBuilder()
            .setDeposit(Math.addExact(channel.getDeposit(), amount))
            .setTotalDeposited(Math.addExact(channel.getTotalDeposited(), amount))
            .build();
    store.putChannel(after);
    ctx.events().emit(MarketEvents.fundsAdded(after, amount));
  }

  void extend(ExtendChannel m, ExecutionContext ctx) throws TxFailedException {
    MarketStore store = new MarketStore(ctx.store(key));
    Channel channel = requireClientsOpenChannel(store, m.getChannelId(), ctx, "extend");
    checkExpiry(m.getExpiryHeight(), ctx.height(), channel.getExpiryHeight());
    Channel after = channel.toBuilder().setExpiryHeight(m.getExpiryHeight()).build();
    store.putChannel(after);
    ctx.events().emit(MarketEvents.channelExtended(after));
  }

  void refund(Refund m, ExecutionContext ctx) throws TxFailedException {
    MarketStore store = new MarketStore(ctx.store(key));
    Channel channel = requireClientsOpenChannel(store, m.getChannelId(), ctx, "refund");
    if (ctx.height() <= channel.getExpiryHeight()) {
      throw Fail.invalid(
          "channel "
              + hex(channel)
              + " expires at height "
              + channel.getExpiryHeight()
              + "; its provider may claim until then, so a refund is possible from height "
              + (channel.getExpiryHeight() + 1)
              + " (now "
              + ctx.height()
              + ")");
    }
    long refunded = channel.getDeposit();
    Hash id = Hash.of(channel.getChannelId().toByteArray());
    bank.transfer(ctx, MarketModule.escrowAccount(id), ctx.sender(), refunded);
    Channel after =
        channel.toBuilder()
            .setDeposit(0)
            .setStatus(ChannelStatus.CHANNEL_CLOSED)
            .setTotalRefunded(Math.addExact(channel.getTotalRefunded(), refunded))
            .build();
    store.putChannel(after);
    ctx.events().emit(MarketEvents.channelRefunded(after, refunded));
  }

  /** A channel that exists, is open, and whose client is the sender. */
  private static Channel requireClientsOpenChannel(
      MarketStore store, com.google.protobuf.ByteString channelId, ExecutionContext ctx, String act)
      throws TxFailedException {
    Channel channel = requireChannel(store, channelId);
    if (!Address.of(channel.getClient()).equals(ctx.sender())) {
      throw Fail.unauthorized(
          "only the channel's client " + Address.of(channel.getClient()) + " may " + act + " it");
    }
    requireOpen(channel);
    return channel;
  }

  static Channel requireChannel(MarketStore store, com.google.protobuf.ByteString channelId)
      throws TxFailedException {
    if (channelId.size() != Hash.LENGTH) {
      throw Fail.invalid("a channel id is 32 bytes, got " + channelId.size());
    }
    return store
        .channel(Hash.of(channelId.toByteArray()))
        .orElseThrow(
            () ->
                Fail.invalid(
                    "no channel " + HexFormat.of().formatHex(channelId.toByteArray()) + " exists"));
  }

  static void requireOpen(Channel channel) throws TxFailedException {
    if (channel.getStatus() != ChannelStatus.CHANNEL_OPEN) {
      throw Fail.invalid(
          "channel "
              + hex(channel)
              + " is closed (claimed without reopen, or refunded); open a new channel");
    }
  }

  /**
   * An expiry after the current height and after {@code notBefore} (an extension moves it later
   * only), at most {@link MarketModule#MAX_CHANNEL_BLOCKS} ahead.
   */
  private static void checkExpiry(long expiry, long height, long notBefore)
      throws TxFailedException {
    if (expiry <= height || expiry <= notBefore) {
      throw Fail.invalid(
          "expiry_height must be after the current height "
              + height
              + (notBefore > 0 ? " and after the channel's expiry " + notBefore : "")
              + ", got "
              + Long.toUnsignedString(expiry));
    }
    if (expiry - height > MarketModule.MAX_CHANNEL_BLOCKS) {
      throw Fail.invalid(
          "expiry_height may be at most "
              + MarketModule.MAX_CHANNEL_BLOCKS
              + " blocks ahead (height "
              + (height + MarketModule.MAX_CHANNEL_BLOCKS)
              + "), got "
              + Long.toUnsignedString(expiry));
    }
  }

  private static long positive(String field, long amount) throws TxFailedException {
    if (amount <= 0) {
      throw Fail.invalid(
          field + " must be between 1 and 2^63-1 tokens, got " + Long.toUnsignedString(amount));
    }
    return amount;
  }

  private static String providers(Offer offer) {
    StringBuilder out = new StringBuilder();
    for (var p : offer.getProvidersList()) {
      out.append(out.length() == 0 ? "" : ", ").append(Address.of(p).toHex());
    }
    return out.toString();
  }

  static String hex(Channel channel) {
    return HexFormat.of().formatHex(channel.getChannelId().toByteArray());
  }
}
