package org.fedledger.ledger.market;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.fedledger.core.address.Address;
import org.fedledger.core.proto.market.Channel;
import org.fedledger.core.proto.market.RoyaltyPayment;
import org.fedledger.core.proto.registry.Model;
import org.fedledger.core.proto.registry.RoundLineage;
import org.fedledger.core.proto.registry.Score;

/**
 * How one claimed amount is paid: a pure function of the amount, the channel's terms and the
 * model's lineage record.
 *
 * <ol>
 *   <li>The amount is divided between provider, owner and contributors in proportion to the
 *       channel's {@code provider_fee_ppm}, {@code owner_share_ppm} and {@code
 *       contributors_share_ppm} ({@link Apportion}, ties in that order).
 *   <li>The contributors' part is divided between the model's contributors in proportion to their
 *       weights ({@link #contributorWeights}), ties in address order.
 *   <li>A model whose lineage holds no scores has no contributors: their part goes to the owner.
 * </ol>
 *
 * Every part is a whole number of tokens and the parts sum to exactly the amount.
 *
 * @param owner the owner's share, plus the contributors' part when the model has no contributors
 * @param royalties one per contributor of non-zero weight, in address order; amounts may be 0
 */
record ClaimSplit(long provider, long owner, List<RoyaltyPayment> royalties) {

  static ClaimSplit of(long amount, Channel channel, Model model) {
    long[] three =
        Apportion.largestRemainder(
            amount,
            new long[] {
              channel.getProviderFeePpm(),
              channel.getOwnerSharePpm(),
              channel.getContributorsSharePpm()
            });
    TreeMap<Address, Long> weights = contributorWeights(model);
    if (weights.isEmpty()) {
      return new ClaimSplit(three[0], Math.addExact(three[1], three[2]), List.of());
    }
    long[] w = new long[weights.size()];
    int i = 0;
    for (long weight : weights.values()) {
      w[i++] = weight;
    }
    long[] parts = Apportion.largestRemainder(three[2], w);
    List<RoyaltyPayment> royalties = new ArrayList<>(parts.length);
    i = 0;
    for (Address contributor : weights.keySet()) {
      royalties.add(
          RoyaltyPayment.newBuilder()
              .setContributor(contributor.toByteString())
              .setAmount(parts[i++])
              .build());
    }
    return new ClaimSplit(three[0], three[1], List.copyOf(royalties));
  }

  /**
   * Each contributor's weight: the sum of its ppm over every round of the model's lineage record
   * ({@code Model.rounds[].scores}), in address order. Only accepted updates are scored, so a
   * participant whose updates were all rejected has no weight; a round without scores (the
   * statistics step) adds nothing. Scores of zero ppm are left out.
   */
  static TreeMap<Address, Long> contributorWeights(Model model) {
    TreeMap<Address, Long> weights = new TreeMap<>();
    for (RoundLineage round : model.getRoundsList()) {
      for (Score s : round.getScoresList()) {
        if (s.getPpm() > 0 && s.getParticipant().size() == Address.LENGTH) {
          weights.merge(Address.of(s.getParticipant()), s.getPpm(), Math::addExact);
        }
      }
    }
    return weights;
  }

  /** The contributors' total, for events and checks. */
  long contributors() {
    long sum = 0;
    for (RoyaltyPayment r : royalties) {
      sum = Math.addExact(sum, r.getAmount());
    }
    return sum;
  }
}
