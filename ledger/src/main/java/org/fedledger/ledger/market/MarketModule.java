package org.fedledger.ledger.market;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.fedledger.core.address.Address;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.hash.Sha256;
import org.fedledger.core.proto.market.AddFunds;
import org.fedledger.core.proto.market.Channel;
import org.fedledger.core.proto.market.Claim;
import org.fedledger.core.proto.market.ClaimRecord;
import org.fedledger.core.proto.market.ExtendChannel;
import org.fedledger.core.proto.market.Offer;
import org.fedledger.core.proto.market.OpenChannel;
import org.fedledger.core.proto.market.PublishOffer;
import org.fedledger.core.proto.market.Refund;
import org.fedledger.core.proto.market.RoyaltyPayment;
import org.fedledger.core.proto.market.WithdrawOffer;
import org.fedledger.ledger.bank.BankKeeper;
import org.fedledger.ledger.module.Bytes;
import org.fedledger.ledger.module.MessageType;
import org.fedledger.ledger.module.Module;
import org.fedledger.ledger.module.QueryContext;
import org.fedledger.ledger.module.StoreKey;
import org.fedledger.ledger.registry.RegistryKeeper;

/**
 * The market: offers, payment channels, claims and royalties. Messages ({@link MarketMessages}) are
 * handled by {@link OfferHandlers} (publish, withdraw), {@link ChannelHandlers} (open, add funds,
 * extend, refund) and {@link ClaimHandler}; events are {@link MarketEvents}; a claim's split is
 * {@link ClaimSplit}; the state layout is {@link MarketStore}. Writes no genesis state.
 */
public final class MarketModule implements Module {
  public static final String NAME = "market";

  /**
   * How far ahead a channel's expiry may be set, in blocks. A bound keeps a typo (an extra zero, a
   * timestamp for a height) from locking a deposit for ever; a client that needs longer extends.
   */
  public static final long MAX_CHANNEL_BLOCKS = 1_000_000;

  private final StoreKey key = new StoreKey(NAME);
  private final RegistryKeeper registry;
  private final OfferHandlers offers;
  private final ChannelHandlers channels;
  private final ClaimHandler claims;

  public MarketModule(BankKeeper bank, RegistryKeeper registry) {
    Objects.requireNonNull(bank, "bank");
    this.registry = Objects.requireNonNull(registry, "registry");
    this.offers = new OfferHandlers(key, registry);
    this.channels = new ChannelHandlers(key, bank);
    this.claims = new ClaimHandler(key, bank, registry);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<MessageType<?>> messageTypes() {
    return List.of(
        new MessageType<>(
            MarketMessages.PUBLISH_OFFER,
            PublishOffer::parseFrom,
            offers::publish,
            offers::admitPublish),
        MessageType.of(MarketMessages.WITHDRAW_OFFER, WithdrawOffer::parseFrom, offers::withdraw),
        MessageType.of(MarketMessages.OPEN_CHANNEL, OpenChannel::parseFrom, channels::open),
        MessageType.of(MarketMessages.ADD_FUNDS, AddFunds::parseFrom, channels::addFunds),
        MessageType.of(MarketMessages.EXTEND_CHANNEL, ExtendChannel::parseFrom, channels::extend),
        MessageType.of(MarketMessages.CLAIM, Claim::parseFrom, claims::claim),
        MessageType.of(MarketMessages.REFUND, Refund::parseFrom, channels::refund));
  }

  /**
   * The id OpenChannel gives the channel it opens: SHA-256("fedledger/market/channel" ‖ tx hash).
   */
  public static Hash channelIdOf(Hash openTxHash) {
    return Sha256.hash(Bytes.utf8("fedledger/market/channel"), openTxHash.toByteArray());
  }

  /** The account holding a channel's deposit: its balance is the channel's deposit. */
  public static Address escrowAccount(Hash channelId) {
    return BankKeeper.moduleAccount(NAME, "channel/" + channelId.toHex());
  }

  // ---- queries ----

  public Optional<Offer> offer(QueryContext q, String modelId) {
    return new MarketStore(q.store(key)).offer(modelId);
  }

  /** Offers in order of first publication, from index from, at most limit. */
  public List<Offer> offers(QueryContext q, long from, int limit) {
    return new MarketStore(q.store(key)).offers(from, limit);
  }

  public long offerCount(QueryContext q) {
    return new MarketStore(q.store(key)).offerCount();
  }

  public Optional<Channel> channel(QueryContext q, Hash channelId) {
    return new MarketStore(q.store(key)).channel(channelId);
  }

  /** A client's channels in opening order. */
  public List<Channel> channelsOfClient(QueryContext q, Address client, long from, int limit) {
    return new MarketStore(q.store(key)).channelsOfClient(client, from, limit);
  }

  /** A provider's channels in opening order. */
  public List<Channel> channelsOfProvider(QueryContext q, Address provider, long from, int limit) {
    return new MarketStore(q.store(key)).channelsOfProvider(provider, from, limit);
  }

  /** A model's claims in order. */
  public List<ClaimRecord> claims(QueryContext q, String modelId, long from, int limit) {
    return new MarketStore(q.store(key)).claims(modelId, from, limit);
  }

  public long claimCount(QueryContext q, String modelId) {
    return new MarketStore(q.store(key)).claimCount(modelId);
  }

  /** Everything claimed for a model, over all its channels. */
  public long revenue(QueryContext q, String modelId) {
    return new MarketStore(q.store(key)).revenue(modelId);
  }

  /**
   * The royalties each contributor of a model has received, over all claims: one entry per
   * contributor with a weight in the model's lineage, in address order (amounts may be 0). Empty
   * for an unknown model or one without scores.
   */
  public List<RoyaltyPayment> royalties(QueryContext q, String modelId) {
    MarketStore store = new MarketStore(q.store(key));
    List<RoyaltyPayment> out = new ArrayList<>();
    registry
        .model(q, modelId)
        .ifPresent(
            model -> {
              for (Map.Entry<Address, Long> c : ClaimSplit.contributorWeights(model).entrySet()) {
                out.add(
                    RoyaltyPayment.newBuilder()
                        .setContributor(c.getKey().toByteString())
                        .setAmount(store.royalties(modelId, c.getKey()))
                        .build());
              }
            });
    return out;
  }

  /** The weight of each contributor of a model, in address order, as claims divide by it. */
  public static Map<Address, Long> contributorWeights(
      org.fedledger.core.proto.registry.Model model) {
    return ClaimSplit.contributorWeights(model);
  }
}
