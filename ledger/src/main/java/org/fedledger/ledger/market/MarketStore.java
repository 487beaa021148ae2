package org.fedledger.ledger.market;

import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.fedledger.core.address.Address;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.market.Channel;
import org.fedledger.core.proto.market.ClaimRecord;
import org.fedledger.core.proto.market.Offer;
import org.fedledger.ledger.module.Bytes;
import org.fedledger.ledger.module.ModuleStore;

/**
 * The market module's state layout (under "market/"). Model ids are registry ids, which hold no
 * '/', so a '/' after one ends it.
 *
 * <ul>
 *   <li>{@code offer/<model id>} → {@link Offer}; {@code offer_count} → 8 bytes and {@code
 *       offer_index/<sequence 8B>} → model id (first publication order);
 *   <li>{@code channel/<channel id 32B>} → {@link Channel};
 *   <li>{@code client_count/<address>}, {@code client/<address><sequence 8B>} → channel id (a
 *       client's channels in opening order); likewise {@code provider_count/}, {@code provider/};
 *   <li>{@code claim_count/<model id>}, {@code claim/<model id>/<sequence 8B>} → {@link
 *       ClaimRecord} (a model's claims in order);
 *   <li>{@code royalty/<model id>/<address 20B>} → 8 bytes: royalties paid to that contributor for
 *       that model, over all claims; {@code revenue/<model id>} → 8 bytes: all claimed for it.
 * </ul>
 *
 * Lists are explicit indexes because state has no range scans.
 */
final class MarketStore {
  private static final byte[] OFFER = Bytes.utf8("offer/");
  private static final byte[] OFFER_COUNT = Bytes.utf8("offer_count");
  private static final byte[] OFFER_INDEX = Bytes.utf8("offer_index/");
  private static final byte[] CHANNEL = Bytes.utf8("channel/");
  private static final byte[] CLIENT_COUNT = Bytes.utf8("client_count/");
  private static final byte[] CLIENT = Bytes.utf8("client/");
  private static final byte[] PROVIDER_COUNT = Bytes.utf8("provider_count/");
  private static final byte[] PROVIDER = Bytes.utf8("provider/");
  private static final byte[] CLAIM_COUNT = Bytes.utf8("claim_count/");
  private static final byte[] CLAIM = Bytes.utf8("claim/");
  private static final byte[] ROYALTY = Bytes.utf8("royalty/");
  private static final byte[] REVENUE = Bytes.utf8("revenue/");
  private static final byte[] SLASH = Bytes.utf8("/");

  private final ModuleStore store;

  MarketStore(ModuleStore store) {
    this.store = store;
  }

  // ---- offers ----

  Optional<Offer> offer(String modelId) {
    return read(Bytes.concat(OFFER, Bytes.utf8(modelId)), Offer.parser());
  }

  /** Stores an offer; its first publication appends it to the offer index. */
  void putOffer(Offer offer) {
    byte[] key = Bytes.concat(OFFER, Bytes.utf8(offer.getModelId()));
    if (store.get(key) == null) {
      long seq = store.getLong(OFFER_COUNT);
      store.put(Bytes.concat(OFFER_INDEX, Bytes.ofLong(seq)), Bytes.utf8(offer.getModelId()));
      store.putLong(OFFER_COUNT, seq + 1);
    }
    store.put(key, offer.toByteArray());
  }

  long offerCount() {
    return store.getLong(OFFER_COUNT);
  }

  List<Offer> offers(long from, int limit) {
    long count = offerCount();
    List<Offer> out = new ArrayList<>();
    for (long i = Math.max(0, from); i < count && out.size() < limit; i++) {
      String id =
          new String(store.get(Bytes.concat(OFFER_INDEX, Bytes.ofLong(i))), StandardCharsets.UTF_8);
      offer(id).ifPresent(out::add);
    }
    return out;
  }

  // ---- channels ----

  Optional<Channel> channel(Hash id) {
    return read(Bytes.concat(CHANNEL, id.toByteArray()), Channel.parser());
  }

  void putChannel(Channel channel) {
    store.put(Bytes.concat(CHANNEL, channel.getChannelId().toByteArray()), channel.toByteArray());
  }

  /** Stores a new channel and adds it to its client's and its provider's lists. */
  void createChannel(Channel channel) {
    putChannel(channel);
    byte[] id = channel.getChannelId().toByteArray();
    append(CLIENT_COUNT, CLIENT, channel.getClient().toByteArray(), id);
    append(PROVIDER_COUNT, PROVIDER, channel.getProvider().toByteArray(), id);
  }

  List<Channel> channelsOfClient(Address client, long from, int limit) {
    return channels(CLIENT_COUNT, CLIENT, client.toByteArray(), from, limit);
  }

  List<Channel> channelsOfProvider(Address provider, long from, int limit) {
    return channels(PROVIDER_COUNT, PROVIDER, provider.toByteArray(), from, limit);
  }

  private void append(byte[] countPrefix, byte[] listPrefix, byte[] owner, byte[] value) {
    byte[] countKey = Bytes.concat(countPrefix, owner);
    long seq = store.getLong(countKey);
    store.put(Bytes.concat(listPrefix, owner, Bytes.ofLong(seq)), value);
    store.putLong(countKey, seq + 1);
  }

  private List<Channel> channels(
      byte[] countPrefix, byte[] listPrefix, byte[] owner, long from, int limit) {
    long count = store.getLong(Bytes.concat(countPrefix, owner));
    List<Channel> out = new ArrayList<>();
    for (long i = Math.max(0, from); i < count && out.size() < limit; i++) {
      byte[] id = store.get(Bytes.concat(listPrefix, owner, Bytes.ofLong(i)));
      channel(Hash.of(id)).ifPresent(out::add);
    }
    return out;
  }

  // ---- claims and royalties ----

  /** Appends a claim to its model's list and adds its amounts to the model's totals. */
  void recordClaim(ClaimRecord claim) {
    byte[] model = Bytes.utf8(claim.getModelId());
    byte[] countKey = Bytes.concat(CLAIM_COUNT, model);
    long seq = store.getLong(countKey);
    store.put(Bytes.concat(CLAIM, model, SLASH, Bytes.ofLong(seq)), claim.toByteArray());
    store.putLong(countKey, seq + 1);
    addTo(Bytes.concat(REVENUE, model), claim.getAmount());
    for (var r : claim.getRoyaltiesList()) {
      addTo(Bytes.concat(ROYALTY, model, SLASH, r.getContributor().toByteArray()), r.getAmount());
    }
  }

  long claimCount(String modelId) {
    return store.getLong(Bytes.concat(CLAIM_COUNT, Bytes.utf8(modelId)));
  }

  List<ClaimRecord> claims(String modelId, long from, int limit) {
    byte[] model = Bytes.utf8(modelId);
    long count = claimCount(modelId);
    List<ClaimRecord> out = new ArrayList<>();
    for (long i = Math.max(0, from); i < count && out.size() < limit; i++) {
      read(Bytes.concat(CLAIM, model, SLASH, Bytes.ofLong(i)), ClaimRecord.parser())
          .ifPresent(out::add);
    }
    return out;
  }

  long royalties(String modelId, Address contributor) {
    return store.getLong(
        Bytes.concat(ROYALTY, Bytes.utf8(modelId), SLASH, contributor.toByteArray()));
  }

  long revenue(String modelId) {
    return store.getLong(Bytes.concat(REVENUE, Bytes.utf8(modelId)));
  }

  private void addTo(byte[] key, long amount) {
    store.putLong(key, Math.addExact(store.getLong(key), amount));
  }

  private <T> Optional<T> read(byte[] key, com.google.protobuf.Parser<T> parser) {
    byte[] b = store.get(key);
    if (b == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(parser.parseFrom(b));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("corrupt market state; restore the data directory", e);
    }
  }
}
