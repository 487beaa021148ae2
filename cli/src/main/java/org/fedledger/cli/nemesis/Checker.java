package org.fedledger.cli.nemesis;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Judges a run from what the clients saw and what the nodes hold, after healing and a quiet period:
 *
 * <ul>
 *   <li>every acknowledged transaction is committed, and exactly once;
 *   <li>an unacknowledged one at most once;
 *   <li>every node has the same block hash and state root at every height, and has caught up;
 *   <li>block times never go back, from one height to the next (equal is allowed), as the ledger's
 *       bound promises under a leader whose clock jumps: checked on the longest chain, which every
 *       other node agrees with at each height it holds or is counted as diverged there;
 *   <li>the token supply is what genesis created, on every node;
 *   <li>no node recorded a fault (validators signing different state roots).
 * </ul>
 *
 * A pure function of its inputs, so that fabricated histories prove each rule can fail.
 */
final class Checker {
  private static final int MAX_LISTED = 10;

  private Checker() {}

  static Verdict check(History.Snapshot history, List<ChainView> chains, long expectedSupply) {
    if (chains.isEmpty()) {
      throw new IllegalArgumentException("the checker needs at least one node's chain");
    }
    List<String> violations = new ArrayList<>();
    ChainView longest = chains.get(0);
    for (ChainView c : chains) {
      if (c.height() > longest.height()) {
        longest = c;
      }
    }
    int diverged = divergedHeights(chains, violations);
    for (ChainView c : chains) {
      if (c.height() < longest.height()) {
        violations.add(
            c.nodeId()
                + " stopped at height "
                + c.height()
                + " while "
                + longest.nodeId()
                + " reached "
                + longest.height()
                + ": it did not catch up after healing");
      }
    }

    Set<String> duplicates = new TreeSet<>();
    for (ChainView c : chains) {
      Map<String, Long> firstSeen = new HashMap<>();
      for (ChainView.Block b : c.blocks()) {
        for (String tx : b.txHashes()) {
          Long earlier = firstSeen.putIfAbsent(tx, b.height());
          if (earlier != null && duplicates.add(tx)) {
            violations.add(
                (history.acknowledged().contains(tx) ? "acknowledged" : "unacknowledged")
                    + " transaction "
                    + tx
                    + " is committed twice on "
                    + c.nodeId()
                    + ": at heights "
                    + earlier
                    + " and "
                    + b.height());
          }
        }
      }
    }

    Set<String> onChain = new HashSet<>();
    longest.blocks().forEach(b -> onChain.addAll(b.txHashes()));
    List<String> lost = new ArrayList<>(new TreeSet<>(history.acknowledged()));
    lost.removeIf(onChain::contains);
    if (!lost.isEmpty()) {
      violations.add(
          lost.size()
              + " acknowledged transaction(s) are not on "
              + longest.nodeId()
              + "'s chain (height "
              + longest.height()
              + "): "
              + listed(lost));
    }

    long previous = Long.MIN_VALUE;
    for (ChainView.Block b : longest.blocks()) {
      if (b.timestampMillis() < previous) {
        violations.add(
            "block time goes back at height "
                + b.height()
                + " on "
                + longest.nodeId()
                + ": "
                + b.timestampMillis()
                + " ms after "
                + previous
                + " ms");
      }
      previous = Math.max(previous, b.timestampMillis());
    }

    for (ChainView c : chains) {
      if (c.supply() != expectedSupply) {
        violations.add(
            c.nodeId()
                + ": the funded accounts hold "
                + c.supply()
                + " tokens; genesis created "
                + expectedSupply);
      }
      for (String fault : c.faults()) {
        violations.add(c.nodeId() + " recorded a fault: " + fault);
      }
    }
    return new Verdict(
        history.acknowledged().size(),
        history.unacknowledged().size(),
        lost.size(),
        duplicates.size(),
        diverged,
        violations);
  }

  /** Heights at which two nodes hold different blocks; each is reported with both versions. */
  private static int divergedHeights(List<ChainView> chains, List<String> violations) {
    Map<Long, ChainView.Block> reference = new HashMap<>();
    Map<Long, String> referenceNode = new HashMap<>();
    Set<Long> diverged = new TreeSet<>();
    for (ChainView c : chains) {
      for (ChainView.Block b : c.blocks()) {
        ChainView.Block seen = reference.putIfAbsent(b.height(), b);
        if (seen == null) {
          referenceNode.put(b.height(), c.nodeId());
        } else if (!seen.hash().equals(b.hash()) || !seen.stateRoot().equals(b.stateRoot())) {
          diverged.add(b.height());
          if (diverged.size() <= MAX_LISTED) {
            violations.add(
                "divergence at height "
                    + b.height()
                    + ": "
                    + referenceNode.get(b.height())
                    + " has block "
                    + seen.hash()
                    + " with state root "
                    + seen.stateRoot()
                    + ", "
                    + c.nodeId()
                    + " has block "
                    + b.hash()
                    + " with state root "
                    + b.stateRoot());
          }
        }
      }
    }
    if (diverged.size() > MAX_LISTED) {
      violations.add("... and " + (diverged.size() - MAX_LISTED) + " more diverged heights");
    }
    return diverged.size();
  }

  private static String listed(List<String> items) {
    return items.size() <= MAX_LISTED
        ? String.join(", ", items)
        : String.join(", ", items.subList(0, MAX_LISTED)) + ", ...";
  }
}
