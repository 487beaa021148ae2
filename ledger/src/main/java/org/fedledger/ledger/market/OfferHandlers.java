package org.fedledger.ledger.market;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.fedledger.core.address.Address;
import org.fedledger.core.proto.market.Offer;
import org.fedledger.core.proto.market.PublishOffer;
import org.fedledger.core.proto.market.WithdrawOffer;
import org.fedledger.core.proto.registry.Model;
import org.fedledger.ledger.module.ExecutionContext;
import org.fedledger.ledger.module.QueryContext;
import org.fedledger.ledger.module.StoreKey;
import org.fedledger.ledger.module.TxFailedException;
import org.fedledger.ledger.registry.RegistryKeeper;

/**
 * PublishOffer and WithdrawOffer. Only a model's owner, the sponsor of the job that produced it
 * (its registry record's {@code sponsor}), may offer it or withdraw its offer. Publishing again
 * replaces the offer (and undoes a withdrawal); channels already open keep the terms they opened
 * under.
 */
final class OfferHandlers {
  /** Most providers one offer may name: each is checked on every OpenChannel. */
  static final int MAX_PROVIDERS = 64;

  /** Longest licence, in UTF-8 bytes. */
  static final int MAX_LICENCE_BYTES = 256;

  static final long PPM = 1_000_000;

  private final StoreKey key;
  private final RegistryKeeper registry;

  OfferHandlers(StoreKey key, RegistryKeeper registry) {
    this.key = key;
    this.registry = registry;
  }

  void publish(PublishOffer m, ExecutionContext ctx) throws TxFailedException {
    checkTerms(m);
    Model model = requireModel(registry.model(ctx, m.getModelId()), m.getModelId());
    requireOwner(model, ctx.sender());
    Offer offer =
        Offer.newBuilder()
            .setModelId(m.getModelId())
            .setOwner(model.getSponsor())
            .setPricePerCall(m.getPricePerCall())
            .addAllProviders(m.getProvidersList())
            .setProviderFeePpm(m.getProviderFeePpm())
            .setOwnerSharePpm(m.getOwnerSharePpm())
            .setContributorsSharePpm(m.getContributorsSharePpm())
            .setLicence(m.getLicence())
            .setPublishedHeight(ctx.height())
            .build();
    new MarketStore(ctx.store(key)).putOffer(offer);
    ctx.events().emit(MarketEvents.offerPublished(offer));
  }

  void admitPublish(PublishOffer m, Address sender, QueryContext q) throws TxFailedException {
    checkTerms(m);
    requireOwner(requireModel(registry.model(q, m.getModelId()), m.getModelId()), sender);
  }

  void withdraw(WithdrawOffer m, ExecutionContext ctx) throws TxFailedException {
    MarketStore store = new MarketStore(ctx.store(key));
    Offer offer = requireOffer(store.offer(m.getModelId()), m.getModelId());
    if (!Address.of(offer.getOwner()).equals(ctx.sender())) {
      throw Fail.unauthorized(
          "only the model's owner "
              + Address.of(offer.getOwner())
              + " may withdraw the offer of model '"
              + m.getModelId()
              + "'");
    }
    if (offer.getWithdrawn()) {
      throw Fail.invalid("the offer of model '" + m.getModelId() + "' is already withdrawn");
    }
    Offer withdrawn = offer.toBuilder().setWithdrawn(true).build();
    store.putOffer(withdrawn);
    ctx.events().emit(MarketEvents.offerWithdrawn(withdrawn));
  }

  /** The offer's own rules, which need no state. */
  static void checkTerms(PublishOffer m) throws TxFailedException {
    if (m.getModelId().isEmpty()) {
      throw Fail.invalid("PublishOffer.model_id is empty; name a registered model");
    }
    if (m.getPricePerCall() <= 0) {
      // uint64 above 2^63-1 arrives negative: more than any supply, refused like 0.
      throw Fail.invalid(
          "price_per_call must be between 1 and 2^63-1 tokens, got "
              + Long.toUnsignedString(m.getPricePerCall()));
    }
    if (m.getProvidersCount() < 1 || m.getProvidersCount() > MAX_PROVIDERS) {
      throw Fail.invalid(
          "an offer names 1 to "
              + MAX_PROVIDERS
              + " providers, got "
              + m.getProvidersCount()
              + "; add --provider ADDRESS");
    }
    Set<ByteString> seen = new HashSet<>();
    for (ByteString p : m.getProvidersList()) {
      if (p.size() != Address.LENGTH) {
        throw Fail.invalid("a provider is a 20-byte address, got " + p.size() + " bytes");
      }
      if (!seen.add(p)) {
        throw Fail.invalid("provider " + Address.of(p) + " is named twice");
      }
    }
    long provider = m.getProviderFeePpm();
    long owner = m.getOwnerSharePpm();
    long contributors = m.getContributorsSharePpm();
    if (!inPpm(provider)
        || !inPpm(owner)
        || !inPpm(contributors)
        || provider + owner + contributors != PPM) {
      throw Fail.invalid(
          "the split (provider fee, owner share, contributors' share) must sum to exactly "
              + PPM
              + " ppm, got "
              + Long.toUnsignedString(provider)
              + ":"
              + Long.toUnsignedString(owner)
              + ":"
              + Long.toUnsignedString(contributors));
    }
    int licence = m.getLicence().getBytes(StandardCharsets.UTF_8).length;
    if (licence == 0 || licence > MAX_LICENCE_BYTES) {
      throw Fail.invalid(
          "licence must be 1 to " + MAX_LICENCE_BYTES + " bytes, got " + licence + " bytes");
    }
  }

  private static boolean inPpm(long ppm) {
    return ppm >= 0 && ppm <= PPM;
  }

  private static Model requireModel(Optional<Model> model, String id) throws TxFailedException {
    return model.orElseThrow(
        () -> Fail.invalid("no model '" + id + "' is registered; offer a registered model"));
  }

  static Offer requireOffer(Optional<Offer> offer, String modelId) throws TxFailedException {
    return offer.orElseThrow(() -> Fail.invalid("model '" + modelId + "' has no offer"));
  }

  private static void requireOwner(Model model, Address sender) throws TxFailedException {
    if (model.getSponsor().size() != Address.LENGTH
        || !Address.of(model.getSponsor()).equals(sender)) {
      throw Fail.unauthorized(
          "only the model's owner (the sponsor of its job, "
              + (model.getSponsor().size() == Address.LENGTH
                  ? Address.of(model.getSponsor()).toHex()
                  : "unknown")
              + ") may offer model '"
              + model.getModelId()
              + "'; "
              + sender
              + " is not");
    }
  }
}
