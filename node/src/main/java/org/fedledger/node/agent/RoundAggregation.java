package org.fedledger.node.agent;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.fedledger.core.address.Address;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.registry.Score;
import org.fedledger.core.proto.training.Rejection;
import org.fedledger.core.proto.training.Submission;
import org.fedledger.learning.aggregate.AggregationInput;
import org.fedledger.learning.aggregate.AggregationResult;
import org.fedledger.learning.aggregate.ClientUpdate;
import org.fedledger.learning.aggregate.Exclusion;
import org.fedledger.learning.aggregate.Parallel;
import org.fedledger.learning.aggregate.ServerState;
import org.fedledger.learning.aggregate.Strategies;
import org.fedledger.learning.io.WeightsHash;
import org.fedledger.learning.score.ContributionScores;
import org.fedledger.learning.score.CosineScorer;
import org.fedledger.learning.tensor.Weights;

/**
 * One round's aggregation as the chain sees it: a pure function of the strategy, the global weights
 * and the submitted updates (in submission order), so the aggregator, every verifier and the
 * auditor compute the same aggregate hash. Updates whose blob could not be had are rejected with
 * that reason; updates the strategy finds invalid, or a robust strategy leaves out, are rejected
 * with its reason (and so slashed); the rest are accepted and scored by cosine similarity (ppm).
 *
 * <p>Server optimizer state (momentum, Adam) is not on chain, so every round starts from {@link
 * ServerState#EMPTY}: strategies that keep such state behave as their stateless form.
 */
public final class RoundAggregation {
  /** Prefix of rejections for a missing or corrupt blob: verifiers honour them as committed. */
  public static final String BLOB_REASON = "blob ";

  private RoundAggregation() {}

  /**
   * @param aggregateHash SHA-256 of the new global weights' canonical safetensors bytes
   * @param accepted update hashes, in submission order
   * @param rejected in submission order
   * @param scores one per accepted participant, summing to 1,000,000
   */
  public record Outcome(
      Weights newGlobal,
      Hash aggregateHash,
      List<ByteString> accepted,
      List<Rejection> rejected,
      List<Score> scores) {}

  /**
   * @param fetched update weights by update hash
   * @param unavailable reasons (starting with {@link #BLOB_REASON}) by update hash, for the rest
   * @throws IllegalStateException when no update can be aggregated (the round cannot be committed)
   */
  public static Outcome run(
      String strategy,
      Weights global,
      List<Submission> submissions,
      Map<ByteString, Weights> fetched,
      Map<ByteString, String> unavailable) {
    List<ClientUpdate> updates = new ArrayList<>();
    for (Submission s : submissions) {
      Weights w = fetched.get(s.getUpdateHash());
      if (w != null) {
        updates.add(new ClientUpdate(clientId(s), s.getSampleCount(), w));
      }
    }
    if (updates.isEmpty()) {
      throw new IllegalStateException(
          "none of the "
              + submissions.size()
              + " updates could be fetched: "
              + unavailable.values());
    }
    AggregationResult result;
    try {
      result =
          Strategies.parse(strategy, Parallel.SERIAL)
              .aggregate(new AggregationInput(global, updates, ServerState.EMPTY));
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("aggregation failed: " + e.getMessage(), e);
    }
    Map<String, String> notTaken = new HashMap<>();
    for (org.fedledger.learning.aggregate.Rejection r : result.rejected()) {
      notTaken.put(r.clientId(), "invalid update: " + r.reason());
    }
    for (Exclusion e : result.excluded()) {
      notTaken.put(e.clientId(), "excluded by " + strategy + ": " + e.reason());
    }
    ContributionScores scores = new CosineScorer(Parallel.SERIAL).score(updates, result);
    List<ByteString> accepted = new ArrayList<>();
    List<Rejection> rejected = new ArrayList<>();
    List<Score> scored = new ArrayList<>();
    for (Submission s : submissions) {
      String reason = unavailable.get(s.getUpdateHash());
      if (reason == null && !fetched.containsKey(s.getUpdateHash())) {
        reason = BLOB_REASON + "unavailable";
      }
      if (reason == null) {
        reason = notTaken.get(clientId(s));
      }
      if (reason != null) {
        rejected.add(
            Rejection.newBuilder()
                .setUpdateHash(s.getUpdateHash())
                .setReason(reason.length() > 200 ? reason.substring(0, 200) : reason)
                .build());
      } else {
        accepted.add(s.getUpdateHash());
        scored.add(
            Score.newBuilder()
                .setParticipant(s.getParticipant())
                .setPpm(scores.ppm(clientId(s)))
                .build());
      }
    }
    if (accepted.isEmpty()) {
      throw new IllegalStateException("every update was rejected: " + rejected);
    }
    fixSum(scored);
    return new Outcome(
        result.newGlobal(), WeightsHash.of(result.newGlobal()), accepted, rejected, scored);
  }

  /**
   * The scorer's ppm sum to 1,000,000 over every valid update, and excluded ones score 0; should
   * rounding leave a remainder anyway, the first accepted participant takes it, deterministically.
   */
  private static void fixSum(List<Score> scored) {
    long sum = 0;
    for (Score s : scored) {
      sum += s.getPpm();
    }
    long diff = ContributionScores.TOTAL - sum;
    if (diff != 0) {
      Score first = scored.get(0);
      scored.set(0, first.toBuilder().setPpm(Math.max(0, first.getPpm() + diff)).build());
    }
  }

  static String clientId(Submission s) {
    return Address.of(s.getParticipant().toByteArray()).toHex();
  }
}
