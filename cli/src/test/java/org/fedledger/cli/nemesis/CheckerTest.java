package org.fedledger.cli.nemesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The checker on fabricated histories: a clean one passes, and each kind of violation is found. */
class CheckerTest {
  private static final long SUPPLY = 1_000;

  private static ChainView.Block block(long height, String hash, String root, String... txs) {
    return new ChainView.Block(height, hash, root, 1_000 * height, List.of(txs));
  }

  private static ChainView chain(String node, ChainView.Block... blocks) {
    return new ChainView(node, List.of(blocks), SUPPLY, List.of());
  }

  private static final List<ChainView.Block> CLEAN =
      List.of(block(1, "h1", "r1", "a", "b"), block(2, "h2", "r2", "c"));

  private static ChainView clean(String node) {
    return new ChainView(node, CLEAN, SUPPLY, List.of());
  }

  @Test
  void aCleanRunHasNoViolationAndCountsItsTransactions() {
    Verdict v =
        Checker.check(
            new History.Snapshot(Set.of("a", "b"), Set.of("c", "d")),
            List.of(clean("node-0"), clean("node-1"), clean("node-2")),
            SUPPLY);
    assertThat(v.violations()).isEmpty();
    assertThat(v.ok()).isTrue();
    assertThat(v.acknowledged()).isEqualTo(2);
    assertThat(v.unacknowledged()).isEqualTo(2);
    assertThat(v.lost()).isZero();
    assertThat(v.duplicated()).isZero();
    assertThat(v.diverged()).isZero();
  }

  @Test
  void anAcknowledgedTransactionMissingFromTheChainIsLost() {
    Verdict v =
        Checker.check(
            new History.Snapshot(Set.of("a", "lost-one"), Set.of()),
            List.of(clean("node-0"), clean("node-1")),
            SUPPLY);
    assertThat(v.lost()).isEqualTo(1);
    assertThat(v.violations())
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .contains("1 acknowledged transaction(s) are not on node-0's chain")
        .contains("lost-one");
  }

  @Test
  void aTransactionCommittedTwiceIsADuplicateWhetherAcknowledgedOrNot() {
    ChainView twice =
        chain(
            "node-0",
            block(1, "h1", "r1", "a", "b"),
            block(2, "h2", "r2", "c", "a"),
            block(3, "h3", "r3", "u"),
            block(4, "h4", "r4", "u"));
    Verdict v =
        Checker.check(new History.Snapshot(Set.of("a"), Set.of("u")), List.of(twice), SUPPLY);
    assertThat(v.duplicated()).isEqualTo(2);
    assertThat(v.violations())
        .containsExactly(
            "acknowledged transaction a is committed twice on node-0: at heights 1 and 2",
            "unacknowledged transaction u is committed twice on node-0: at heights 3 and 4");
  }

  @Test
  void nodesWithDifferentStateRootsAtAHeightHaveDiverged() {
    ChainView other = chain("node-1", block(1, "h1", "r1", "a", "b"), block(2, "h2", "rX", "c"));
    Verdict v =
        Checker.check(
            new History.Snapshot(Set.of("a"), Set.of()), List.of(clean("node-0"), other), SUPPLY);
    assertThat(v.diverged()).isEqualTo(1);
    assertThat(v.violations())
        .containsExactly(
            "divergence at height 2: node-0 has block h2 with state root r2, node-1 has block h2"
                + " with state root rX");
  }

  @Test
  void aNodeThatDidNotCatchUpIsReported() {
    ChainView behind = chain("node-2", block(1, "h1", "r1", "a", "b"));
    Verdict v =
        Checker.check(
            new History.Snapshot(Set.of("a"), Set.of()), List.of(clean("node-0"), behind), SUPPLY);
    assertThat(v.diverged()).isZero();
    assertThat(v.violations())
        .containsExactly(
            "node-2 stopped at height 1 while node-0 reached 2: it did not catch up after healing");
  }

  @Test
  void tokensCreatedOrDestroyedBreakTheSupply() {
    ChainView minted = new ChainView("node-1", CLEAN, SUPPLY + 5, List.of());
    Verdict v =
        Checker.check(
            new History.Snapshot(Set.of(), Set.of()), List.of(clean("node-0"), minted), SUPPLY);
    assertThat(v.violations())
        .containsExactly("node-1: the funded accounts hold 1005 tokens; genesis created 1000");
  }

  @Test
  void blockTimeGoingBackAndRecordedFaultsAreViolations() {
    ChainView back =
        new ChainView(
            "node-0",
            List.of(
                new ChainView.Block(1, "h1", "r1", 5_000, List.of()),
                new ChainView.Block(2, "h2", "r2", 4_000, List.of())),
            SUPPLY,
            List.of("{\"height\":2}"));
    Verdict v = Checker.check(new History.Snapshot(Set.of(), Set.of()), List.of(back), SUPPLY);
    assertThat(v.violations())
        .containsExactly(
            "block time goes back at height 2 on node-0: 4000 ms after 5000 ms",
            "node-0 recorded a fault: {\"height\":2}");
  }

  @Test
  void blockTimeMayStandStillButGoingBackAtAnyHeightIsAViolation() {
    // A leader's clock set back: heights 3 and 4 keep the parent's time (allowed), height 5 goes
    // below it (the ledger must never accept that), then time moves on.
    List<ChainView.Block> history =
        List.of(
            new ChainView.Block(1, "h1", "r1", 1_000, List.of()),
            new ChainView.Block(2, "h2", "r2", 2_000, List.of()),
            new ChainView.Block(3, "h3", "r3", 2_000, List.of()),
            new ChainView.Block(4, "h4", "r4", 2_000, List.of()),
            new ChainView.Block(5, "h5", "r5", 1_999, List.of()),
            new ChainView.Block(6, "h6", "r6", 9_000, List.of()));
    List<ChainView> nodes =
        List.of(
            new ChainView("node-0", history, SUPPLY, List.of()),
            new ChainView("node-1", history, SUPPLY, List.of()),
            new ChainView("node-2", history, SUPPLY, List.of()));
    Verdict v = Checker.check(new History.Snapshot(Set.of(), Set.of()), nodes, SUPPLY);
    assertThat(v.diverged()).isZero();
    assertThat(v.violations())
        .containsExactly("block time goes back at height 5 on node-0: 1999 ms after 2000 ms");

    List<ChainView> standingStill =
        List.of(new ChainView("node-0", history.subList(0, 4), SUPPLY, List.of()));
    assertThat(
            Checker.check(new History.Snapshot(Set.of(), Set.of()), standingStill, SUPPLY)
                .violations())
        .isEmpty();
  }

  @Test
  void checkingNoNodeIsRefused() {
    assertThatThrownBy(
            () -> Checker.check(new History.Snapshot(Set.of(), Set.of()), List.of(), SUPPLY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one node");
  }
}
