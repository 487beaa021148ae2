package org.fedledger.ledger.market;

import java.util.HexFormat;
import java.util.StringJoiner;
import org.fedledger.core.address.Address;
import org.fedledger.core.proto.Attribute;
import org.fedledger.core.proto.Event;
import org.fedledger.core.proto.market.Channel;
import org.fedledger.core.proto.market.ClaimRecord;
import org.fedledger.core.proto.market.Offer;
import org.fedledger.core.proto.market.RoyaltyPayment;

/**
 * The market module's events: their types, their attribute names, and one factory per event that
 * fixes its attributes and their order. Numbers are decimal, ids and addresses lower-case hex.
 * Token movements also appear as the bank's {@code Transfer} events.
 */
public final class MarketEvents {
  public static final String OFFER_PUBLISHED = "OfferPublished";
  public static final String OFFER_WITHDRAWN = "OfferWithdrawn";
  public static final String CHANNEL_OPENED = "ChannelOpened";
  public static final String FUNDS_ADDED = "FundsAdded";
  public static final String CHANNEL_EXTENDED = "ChannelExtended";
  public static final String CHANNEL_CLAIMED = "ChannelClaimed";
  public static final String ROYALTY_PAID = "RoyaltyPaid";
  public static final String CHANNEL_REFUNDED = "ChannelRefunded";

  /** Attribute keys of the events above. */
  public static final class Attributes {
    public static final String MODEL_ID = "model_id";
    public static final String OWNER = "owner";
    public static final String PRICE_PER_CALL = "price_per_call";
    public static final String PROVIDERS = "providers";
    public static final String SPLIT_PPM = "split_ppm";
    public static final String LICENCE = "licence";
    public static final String CHANNEL_ID = "channel_id";
    public static final String CLIENT = "client";
    public static final String PROVIDER = "provider";
    public static final String DEPOSIT = "deposit";
    public static final String EXPIRY_HEIGHT = "expiry_height";
    public static final String AMOUNT = "amount";
    public static final String NONCE = "nonce";
    public static final String PROVIDER_AMOUNT = "provider_amount";
    public static final String OWNER_AMOUNT = "owner_amount";
    public static final String CONTRIBUTORS_AMOUNT = "contributors_amount";
    public static final String REOPENED = "reopened";
    public static final String RETURNED = "returned";
    public static final String CONTRIBUTOR = "contributor";
    public static final String REFUNDED = "refunded";

    private Attributes() {}
  }

  private MarketEvents() {}

  static Event offerPublished(Offer o) {
    StringJoiner providers = new StringJoiner(",");
    o.getProvidersList().forEach(p -> providers.add(Address.of(p).toHex()));
    return new Builder(OFFER_PUBLISHED)
        .add(Attributes.MODEL_ID, o.getModelId())
        .add(Attributes.OWNER, Address.of(o.getOwner()).toHex())
        .add(Attributes.PRICE_PER_CALL, o.getPricePerCall())
        .add(Attributes.PROVIDERS, providers.toString())
        .add(
            Attributes.SPLIT_PPM,
            o.getProviderFeePpm() + ":" + o.getOwnerSharePpm() + ":" + o.getContributorsSharePpm())
        .add(Attributes.LICENCE, o.getLicence())
        .build();
  }

  static Event offerWithdrawn(Offer o) {
    return new Builder(OFFER_WITHDRAWN).add(Attributes.MODEL_ID, o.getModelId()).build();
  }

  static Event channelOpened(Channel c) {
    return channel(CHANNEL_OPENED, c)
        .add(Attributes.MODEL_ID, c.getModelId())
        .add(Attributes.CLIENT, Address.of(c.getClient()).toHex())
        .add(Attributes.PROVIDER, Address.of(c.getProvider()).toHex())
        .add(Attributes.DEPOSIT, c.getDeposit())
        .add(Attributes.EXPIRY_HEIGHT, c.getExpiryHeight())
        .add(Attributes.PRICE_PER_CALL, c.getPricePerCall())
        .build();
  }

  static Event fundsAdded(Channel c, long amount) {
    return channel(FUNDS_ADDED, c)
        .add(Attributes.AMOUNT, amount)
        .add(Attributes.DEPOSIT, c.getDeposit())
        .build();
  }

  static Event channelExtended(Channel c) {
    return channel(CHANNEL_EXTENDED, c).add(Attributes.EXPIRY_HEIGHT, c.getExpiryHeight()).build();
  }

  /**
   * @param returned what went back to the client (0 when the channel reopened)
   */
  static Event channelClaimed(Channel after, ClaimRecord claim, boolean reopened, long returned) {
    long contributors = 0;
    for (RoyaltyPayment r : claim.getRoyaltiesList()) {
      contributors += r.getAmount();
    }
    return channel(CHANNEL_CLAIMED, after)
        .add(Attributes.MODEL_ID, claim.getModelId())
        .add(Attributes.NONCE, claim.getNonce())
        .add(Attributes.AMOUNT, claim.getAmount())
        .add(Attributes.PROVIDER_AMOUNT, claim.getProviderAmount())
        .add(Attributes.OWNER_AMOUNT, claim.getOwnerAmount())
        .add(Attributes.CONTRIBUTORS_AMOUNT, contributors)
        .add(Attributes.REOPENED, Boolean.toString(reopened))
        .add(Attributes.RETURNED, returned)
        .add(Attributes.DEPOSIT, after.getDeposit())
        .build();
  }

  static Event royaltyPaid(Channel c, RoyaltyPayment r) {
    return channel(ROYALTY_PAID, c)
        .add(Attributes.MODEL_ID, c.getModelId())
        .add(Attributes.CONTRIBUTOR, Address.of(r.getContributor()).toHex())
        .add(Attributes.AMOUNT, r.getAmount())
        .build();
  }

  static Event channelRefunded(Channel c, long refunded) {
    return channel(CHANNEL_REFUNDED, c)
        .add(Attributes.CLIENT, Address.of(c.getClient()).toHex())
        .add(Attributes.REFUNDED, refunded)
        .build();
  }

  /** Every channel event names its channel first. */
  private static Builder channel(String type, Channel c) {
    return new Builder(type)
        .add(Attributes.CHANNEL_ID, HexFormat.of().formatHex(c.getChannelId().toByteArray()));
  }

  private static final class Builder {
    private final Event.Builder e;

    Builder(String type) {
      e = Event.newBuilder().setModule(MarketModule.NAME).setType(type);
    }

    Builder add(String key, String value) {
      e.addAttributes(Attribute.newBuilder().setKey(key).setValue(value));
      return this;
    }

    Builder add(String key, long value) {
      return add(key, Long.toString(value));
    }

    Event build() {
      return e.build();
    }
  }
}
