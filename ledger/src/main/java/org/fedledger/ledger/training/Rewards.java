package org.fedledger.ledger.training;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.fedledger.core.proto.registry.Score;
import org.fedledger.core.proto.training.Payout;

/**
 * How a round's share of the reward is split; pure integer arithmetic.
 *
 * <p>A round's share is {@code escrow_remaining / rounds_left}, so the last round's share is all
 * that remains. Each accepted participant gets {@code floor(share * ppm / 1e6)}. The dust this
 * leaves stays in escrow and is part of later rounds' shares; in the last round it goes to the top
 * scorer (highest ppm, ties to the lowest address), so the escrow ends at exactly 0 and never pays
 * more than it holds: the payouts of a round sum to at most its share.
 */
final class Rewards {
  private static final BigInteger MILLION = BigInteger.valueOf(TrainingParams.PPM);

  private Rewards() {}

  static long share(long escrowRemaining, long roundsLeft) {
    if (roundsLeft < 1) {
      throw new IllegalArgumentException("no rounds left to share " + escrowRemaining);
    }
    return escrowRemaining / roundsLeft;
  }

  /**
   * The payouts of one round, in the order of scores (sorted by address); amounts may be 0.
   *
   * @param scores ppm per participant, summing to 1,000,000, sorted by address
   * @param lastRound whether the dust goes to the top scorer
   */
  static List<Payout> split(long share, List<Score> scores, boolean lastRound) {
    List<Payout> out = new ArrayList<>(scores.size());
    long paid = 0;
    int top = -1;
    for (int i = 0; i < scores.size(); i++) {
      Score s = scores.get(i);
      long amount =
          BigInteger.valueOf(share)
              .multiply(BigInteger.valueOf(s.getPpm()))
              .divide(MILLION)
              .longValueExact();
      paid = Math.addExact(paid, amount);
      out.add(Payout.newBuilder().setParticipant(s.getParticipant()).setAmount(amount).build());
      // Sorted by address, so the first of equal ppm is the lowest address.
      if (top < 0 || s.getPpm() > scores.get(top).getPpm()) {
        top = i;
      }
    }
    if (paid > share) {
      throw new IllegalStateException("payouts " + paid + " exceed the round's share " + share);
    }
    if (lastRound && top >= 0 && paid < share) {
      Payout p = out.get(top);
      out.set(top, p.toBuilder().setAmount(p.getAmount() + (share - paid)).build());
    }
    return out;
  }

  static long total(List<Payout> payouts) {
    long sum = 0;
    for (Payout p : payouts) {
      sum = Math.addExact(sum, p.getAmount());
    }
    return sum;
  }

  static long fraction(long amount, long ppm) {
    return BigInteger.valueOf(amount)
        .multiply(BigInteger.valueOf(ppm))
        .divide(MILLION)
        .longValueExact();
  }
}
