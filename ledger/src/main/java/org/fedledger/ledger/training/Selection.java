package org.fedledger.ledger.training;

import com.google.protobuf.ByteString;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.hash.Sha256;
import org.fedledger.ledger.module.Bytes;

/**
 * Deterministic choices from a seed: which participants train a round and which validator
 * aggregates it. The seed mixes the job, round and attempt with the parent block's state root, so
 * every node draws the same and no participant can pick itself by choosing what to send.
 */
final class Selection {
  private Selection() {}

  /**
   * SHA-256("fedledger/training/" ‖ purpose ‖ job id ‖ round ‖ attempt ‖ entropy), where entropy is
   * the state root of the block before the one doing the drawing.
   */
  static Hash seed(String purpose, Hash jobId, long round, long attempt, Hash entropy) {
    return Sha256.hash(
        Bytes.utf8("fedledger/training/" + purpose),
        jobId.toByteArray(),
        Bytes.ofLong(round),
        Bytes.ofLong(attempt),
        entropy.toByteArray());
  }

  /**
   * The first k of joined ordered by SHA-256(seed ‖ address) (ties, impossible in practice, by
   * address): a uniform sample without replacement, in that order.
   */
  static List<ByteString> participants(List<ByteString> joined, int k, Hash seed) {
    record Ranked(Hash rank, ByteString address) {}
    List<Ranked> ranked = new ArrayList<>(joined.size());
    for (ByteString a : joined) {
      ranked.add(new Ranked(Sha256.hash(seed.toByteArray(), a.toByteArray()), a));
    }
    ranked.sort(
        Comparator.comparing(Ranked::rank)
            .thenComparing(Ranked::address, ByteString.unsignedLexicographicalComparator()));
    List<ByteString> out = new ArrayList<>(Math.min(k, ranked.size()));
    for (int i = 0; i < k && i < ranked.size(); i++) {
      out.add(ranked.get(i).address());
    }
    return out;
  }

  /** A candidate for aggregator and its weight (bonded stake, or power when nobody has stake). */
  record Weighted(ByteString address, long weight) {}

  /**
   * Draws one candidate with probability proportional to its weight: r = (first 8 bytes of seed,
   * unsigned; all 32 when the total reaches 2^63) mod total, then the candidate whose cumulative
   * weight first exceeds r, in the given (public-key) order. Candidates of weight 0 are never
   * drawn; null if all weigh 0.
   */
  static ByteString weighted(List<Weighted> candidates, Hash seed) {
    // Summed as a BigInteger: validators' powers and stakes are each a long, but their sum need
    // not be, and an overflow here would fail every round's draw. Below 2^63 the draw is the
    // same as with longs (r = x mod total either way), so no recorded selection changes.
    BigInteger total = BigInteger.ZERO;
    for (Weighted w : candidates) {
      total = total.add(BigInteger.valueOf(Math.max(0, w.weight())));
    }
    if (total.signum() == 0) {
      return null;
    }
    // The seed's first 8 bytes as an unsigned number, as always; a total beyond a long's range
    // would leave most of it out of reach of 64 bits, so it then draws from all 32 bytes.
    byte[] entropy =
        total.bitLength() < Long.SIZE
            ? java.util.Arrays.copyOf(seed.toByteArray(), Long.BYTES)
            : seed.toByteArray();
    BigInteger x = new BigInteger(1, entropy);
    BigInteger r = x.mod(total);
    BigInteger cumulative = BigInteger.ZERO;
    for (Weighted w : candidates) {
      cumulative = cumulative.add(BigInteger.valueOf(Math.max(0, w.weight())));
      if (r.compareTo(cumulative) < 0) {
        return w.address();
      }
    }
    throw new IllegalStateException("weighted draw fell off the end");
  }
}
