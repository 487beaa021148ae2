package org.fedledger.ledger.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.registry.Score;
import org.fedledger.core.proto.training.Payout;
import org.junit.jupiter.api.Test;

/** The pure arithmetic and draws the training module relies on. */
class RewardsAndSelectionTest {
  private static ByteString addr(int i) {
    byte[] b = new byte[20];
    b[19] = (byte) i;
    return ByteString.copyFrom(b);
  }

  private static Score score(int i, long ppm) {
    return Score.newBuilder().setParticipant(addr(i)).setPpm(ppm).build();
  }

  @Test
  void aRoundPaysAtMostItsShareAndTheLastRoundGivesTheDustToTheLowestAddressedTopScorer() {
    List<Score> scores = List.of(score(1, 333_333), score(2, 333_333), score(3, 333_334));
    List<Payout> middle = Rewards.split(100, scores, false);
    assertThat(middle).extracting(Payout::getAmount).containsExactly(33L, 33L, 33L);
    List<Payout> last = Rewards.split(100, scores, true);
    assertThat(last).extracting(Payout::getAmount).containsExactly(33L, 33L, 34L);

    List<Score> tie = List.of(score(1, 500_000), score(2, 500_000));
    assertThat(Rewards.split(3, tie, true)).extracting(Payout::getAmount).containsExactly(2L, 1L);
    assertThat(Rewards.total(Rewards.split(Long.MAX_VALUE, tie, true))).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void sharesSpreadTheEscrowSoThatTheLastRoundTakesTheRest() {
    assertThat(Rewards.share(100_000, 3)).isEqualTo(33_333);
    assertThat(Rewards.share(5, 1)).isEqualTo(5);
    assertThatThrownBy(() -> Rewards.share(5, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThat(Rewards.fraction(5_000, 100_000)).isEqualTo(500);
  }

  @Test
  void selectionIsASeededPermutationPrefixWithoutDuplicates() {
    List<ByteString> joined = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      joined.add(addr(i));
    }
    Hash seed = TrainingNet.hash("seed");
    List<ByteString> a = Selection.participants(joined, 4, seed);
    assertThat(a).hasSize(4).doesNotHaveDuplicates().isSubsetOf(joined);
    assertThat(Selection.participants(List.copyOf(joined.reversed()), 4, seed))
        .as("independent of join order")
        .isEqualTo(a);
    assertThat(Selection.participants(joined, 10, seed))
        .containsExactlyInAnyOrderElementsOf(joined);
    assertThat(Selection.participants(joined, 4, TrainingNet.hash("other"))).isNotEqualTo(a);
  }

  @Test
  void theWeightedDrawNeverPicksAZeroWeightAndFollowsTheSeed() {
    List<Selection.Weighted> ws =
        List.of(new Selection.Weighted(addr(1), 0), new Selection.Weighted(addr(2), 7));
    for (int i = 0; i < 20; i++) {
      assertThat(Selection.weighted(ws, TrainingNet.hash("s" + i))).isEqualTo(addr(2));
    }
    assertThat(
            Selection.weighted(List.of(new Selection.Weighted(addr(1), 0)), TrainingNet.hash("s")))
        .isNull();
    List<Selection.Weighted> even =
        List.of(new Selection.Weighted(addr(1), 1), new Selection.Weighted(addr(2), 1));
    List<ByteString> picks = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      picks.add(Selection.weighted(even, TrainingNet.hash("e" + i)));
    }
    assertThat(picks).contains(addr(1), addr(2));
  }

  @Test
  void weightsWhoseSumOverflowsALongStillDrawEveryCandidate() {
    // Three validators of the largest power: their sum is far beyond a long. The draw used to
    // throw (Math.addExact), which failed every round's aggregator selection.
    List<Selection.Weighted> huge =
        List.of(
            new Selection.Weighted(addr(1), Long.MAX_VALUE),
            new Selection.Weighted(addr(2), Long.MAX_VALUE),
            new Selection.Weighted(addr(3), Long.MAX_VALUE));
    List<ByteString> picks = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      picks.add(Selection.weighted(huge, TrainingNet.hash("h" + i)));
    }
    assertThat(picks).doesNotContainNull().contains(addr(1), addr(2), addr(3));
  }

  @Test
  void belowTheLongRangeTheDrawIsTheUnsignedRemainderAsBefore() {
    List<Selection.Weighted> ws =
        List.of(
            new Selection.Weighted(addr(1), 3),
            new Selection.Weighted(addr(2), 5),
            new Selection.Weighted(addr(3), 11));
    for (int i = 0; i < 50; i++) {
      org.fedledger.core.hash.Hash seed = TrainingNet.hash("u" + i);
      long x =
          java.nio.ByteBuffer.wrap(java.util.Arrays.copyOf(seed.toByteArray(), Long.BYTES))
              .getLong();
      long r = Long.remainderUnsigned(x, 19);
      ByteString expected = r < 3 ? addr(1) : r < 8 ? addr(2) : addr(3);
      assertThat(Selection.weighted(ws, seed)).isEqualTo(expected);
    }
  }
}
