package org.fedledger.ledger.market;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.math.BigInteger;
import java.util.Random;
import org.fedledger.core.address.Address;
import org.fedledger.core.proto.market.Channel;
import org.fedledger.core.proto.market.RoyaltyPayment;
import org.fedledger.core.proto.registry.Model;
import org.fedledger.core.proto.registry.RoundLineage;
import org.fedledger.core.proto.registry.Score;
import org.junit.jupiter.api.Test;

/** The arithmetic of a claim: largest remainder, exact, nothing created or lost. */
class ClaimSplitTest {
  private static final Channel TERMS =
      Channel.newBuilder()
          .setProviderFeePpm(100_000)
          .setOwnerSharePpm(300_000)
          .setContributorsSharePpm(600_000)
          .build();

  @Test
  void leftoverUnitsGoToTheLargestRemaindersTiesToTheEarlierPart() {
    assertThat(Apportion.largestRemainder(10, new long[] {1, 1, 1})).containsExactly(4, 3, 3);
    assertThat(Apportion.largestRemainder(11, new long[] {1, 1, 1})).containsExactly(4, 4, 3);
    // 7 * 2/7 = 2, 7 * 5/7 = 5: exact, nothing left over.
    assertThat(Apportion.largestRemainder(7, new long[] {2, 5})).containsExactly(2, 5);
    // 5 * (0.1, 0.3, 0.6) = 0.5, 1.5, 3.0: floors 0, 1, 3 leave one unit; the two halves tie, and
    // the earlier part (the provider's) takes it.
    assertThat(Apportion.largestRemainder(5, new long[] {100_000, 300_000, 600_000}))
        .containsExactly(1, 1, 3);
    assertThat(Apportion.largestRemainder(1, new long[] {0, 1, 0})).containsExactly(0, 1, 0);
    assertThat(Apportion.largestRemainder(0, new long[] {3, 4})).containsExactly(0, 0);
  }

  @Test
  void aWeightOfZeroNeverReceivesAUnit() {
    Random random = new Random(11);
    for (int i = 0; i < 2_000; i++) {
      long total = random.nextInt(1_000);
      long[] weights = {random.nextInt(5), 0, 1 + random.nextInt(5), 0};
      long[] parts = Apportion.largestRemainder(total, weights);
      assertThat(parts[1]).isZero();
      assertThat(parts[3]).isZero();
    }
  }

  @Test
  void everyPartIsItsExactShareRoundedDownOrUpAndThePartsSumToTheTotal() {
    Random random = new Random(19);
    for (int i = 0; i < 20_000; i++) {
      long total =
          i % 7 == 0 ? Long.MAX_VALUE - random.nextInt(1_000) : random.nextLong(1, 1L << 40);
      int n = 1 + random.nextInt(12);
      long[] weights = new long[n];
      long sum = 0;
      for (int k = 0; k < n; k++) {
        weights[k] =
            i % 5 == 0 ? random.nextLong(0, Long.MAX_VALUE / 16) : random.nextInt(2_000_000);
        sum += weights[k];
      }
      if (sum == 0) {
        weights[0] = 1;
        sum = 1;
      }
      long[] parts = Apportion.largestRemainder(total, weights);
      BigInteger given = BigInteger.ZERO;
      for (int k = 0; k < n; k++) {
        BigInteger exact = BigInteger.valueOf(total).multiply(BigInteger.valueOf(weights[k]));
        BigInteger[] qr = exact.divideAndRemainder(BigInteger.valueOf(sum));
        long floor = qr[0].longValueExact();
        long ceil = qr[1].signum() == 0 ? floor : floor + 1;
        assertThat(parts[k]).isBetween(floor, ceil);
        given = given.add(BigInteger.valueOf(parts[k]));
      }
      assertThat(given).isEqualTo(BigInteger.valueOf(total));
    }
  }

  @Test
  void badWeightsAreRefused() {
    assertThatThrownBy(() -> Apportion.largestRemainder(5, new long[] {0, 0}))
        .hasMessageContaining("sum to 0");
    assertThatThrownBy(() -> Apportion.largestRemainder(5, new long[] {-1, 2}))
        .hasMessageContaining("negative weight");
    assertThatThrownBy(() -> Apportion.largestRemainder(5, new long[] {Long.MAX_VALUE, 1}))
        .isInstanceOf(ArithmeticException.class);
  }

  @Test
  void contributorsAreWeightedByTheirPpmSummedOverEveryRoundAndTheRejectedHaveNone() {
    Address a = address(1);
    Address b = address(2);
    Address rejected = address(3);
    Model model =
        Model.newBuilder()
            .setSponsor(address(9).toByteString())
            // Round 0 (statistics) has no scores; the rejected owner was never scored.
            .addRounds(
                RoundLineage.newBuilder().setRound(0).addParticipants(rejected.toByteString()))
            .addRounds(round(1, a, 750_000, b, 250_000))
            .addRounds(round(2, a, 250_000, b, 750_000))
            .addRounds(round(3, a, 1_000_000, b, 0))
            .build();

    assertThat(ClaimSplit.contributorWeights(model))
        .containsExactly(java.util.Map.entry(a, 2_000_000L), java.util.Map.entry(b, 1_000_000L));
    ClaimSplit split = ClaimSplit.of(1_000, TERMS, model);
    assertThat(split.provider()).isEqualTo(100);
    assertThat(split.owner()).isEqualTo(300);
    assertThat(split.royalties())
        .extracting(r -> Address.of(r.getContributor()), RoyaltyPayment::getAmount)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(a, 400L),
            org.assertj.core.groups.Tuple.tuple(b, 200L));
  }

  @Test
  void aModelWithoutScoresPaysTheContributorsShareToTheOwner() {
    Model model = Model.newBuilder().addRounds(RoundLineage.newBuilder().setRound(1)).build();
    ClaimSplit split = ClaimSplit.of(1_001, TERMS, model);
    assertThat(split.royalties()).isEmpty();
    assertThat(split.provider() + split.owner()).isEqualTo(1_001);
    assertThat(split.owner()).isEqualTo(901); // 300.3 + 600.6 → 300 + 601 (largest remainder)
  }

  @Test
  void thousandsOfClaimsCreateAndLoseNothingInRounding() {
    Random random = new Random(23);
    Model model =
        Model.newBuilder()
            .addRounds(round(1, address(1), 333_333, address(2), 666_667))
            .addRounds(round(2, address(3), 142_857, address(4), 857_143))
            .addRounds(round(3, address(1), 1, address(5), 999_999))
            .build();
    // Contributors 1..5 in address order, their weights summed over the rounds.
    long[] weights = {333_334, 666_667, 142_857, 857_143, 999_999};
    long claimed = 0;
    long paid = 0;
    long[] royalties = new long[5];
    long[] low = new long[5];
    long[] high = new long[5];
    for (int i = 0; i < 10_000; i++) {
      long amount = random.nextLong(1, 10_000);
      long fee = random.nextInt(1_000_001);
      long owner = random.nextLong(0, 1_000_001 - fee);
      Channel terms =
          Channel.newBuilder()
              .setProviderFeePpm(fee)
              .setOwnerSharePpm(owner)
              .setContributorsSharePpm(1_000_000 - fee - owner)
              .build();
      ClaimSplit split = ClaimSplit.of(amount, terms, model);
      assertThat(split.provider() + split.owner() + split.contributors()).isEqualTo(amount);
      claimed += amount;
      paid += split.provider() + split.owner();
      for (int k = 0; k < 5; k++) {
        royalties[k] += split.royalties().get(k).getAmount();
        paid += split.royalties().get(k).getAmount();
        long exactTimesW = split.contributors() * weights[k];
        low[k] += exactTimesW / 3_000_000;
        high[k] += (exactTimesW + 2_999_999) / 3_000_000;
      }
    }
    assertThat(paid).isEqualTo(claimed);
    // Each contributor got its exact share of every claim, rounded down or up: rounding moved at
    // most a unit per claim, and what one gained another lost (paid == claimed).
    for (int k = 0; k < 5; k++) {
      assertThat(royalties[k]).isBetween(low[k], high[k]);
    }
  }

  private static RoundLineage round(long r, Address a, long ppmA, Address b, long ppmB) {
    return RoundLineage.newBuilder()
        .setRound(r)
        .addScores(Score.newBuilder().setParticipant(a.toByteString()).setPpm(ppmA))
        .addScores(Score.newBuilder().setParticipant(b.toByteString()).setPpm(ppmB))
        .build();
  }

  private static Address address(int i) {
    byte[] b = new byte[20];
    b[0] = (byte) i;
    return Address.of(ByteString.copyFrom(b));
  }
}
