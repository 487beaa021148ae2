package org.fedledger.node.agent;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.fedledger.core.address.Address;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.hash.Sha256;
import org.fedledger.core.proto.registry.Score;
import org.fedledger.core.proto.training.CommitRound;
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
import org.fedledger.node.blob.BlobException;

/**
 * One round's aggregation as the chain sees it: a pure function of the strategy, the global
 * weights, the server optimizer state the previous round left, the job's members and the submitted
 * updates, so the aggregator, every verifier and the auditors compute the same aggregate and state
 * hashes. Updates whose blob could not be had are rejected with that reason; updates the strategy
 * finds invalid, or a robust strategy leaves out, are rejected with its reason (and so slashed);
 * the rest are accepted and scored by cosine similarity (ppm).
 *
 * <p>Canonical order: the updates are combined in the order of their participants' positions in the
 * job's member list (join order, recorded on chain), whatever order they were submitted or fetched
 * in. Float sums depend on order, so a fixed order is what lets every validator reach the same
 * bits; it is also the order a simulation of the same job uses (client i = member i).
 *
 * <p>Server state: a strategy with server optimizer state (fedavgm's momentum, fedadam's moments)
 * starts each round from the state the previous round's commit recorded ({@link #stateBefore}) and
 * leaves a new one, stored as a blob whose hash the commit records ({@link Outcome#stateBlob}).
 */
public final class RoundAggregation {
  /** Prefix of rejections for a missing or corrupt blob: verifiers honour them as committed. */
  public static final String BLOB_REASON = "blob ";

  /**
   * The commit's rejections for a missing or corrupt blob, by update hash: what a verifier honours
   * (leaves out with the same reason) when it re-runs the round.
   */
  static Map<ByteString, String> blobRejections(CommitRound commit) {
    Map<ByteString, String> honour = new HashMap<>();
    for (Rejection rej : commit.getRejectedList()) {
      if (rej.getReason().startsWith(BLOB_REASON)) {
        honour.put(rej.getUpdateHash(), rej.getReason());
      }
    }
    return honour;
  }

  private RoundAggregation() {}

  /**
   * @param aggregateHash SHA-256 of the new global weights' canonical safetensors bytes
   * @param state the server optimizer state after this round
   * @param stateBlob the state's canonical encoding, or null if the strategy keeps no state
   * @param serverStateHash SHA-256 of stateBlob, or empty if there is none
   * @param accepted update hashes, in submission order
   * @param rejected in submission order
   * @param scores one per accepted participant, summing to 1,000,000
   */
  public record Outcome(
      Weights newGlobal,
      Hash aggregateHash,
      ServerState state,
      byte[] stateBlob,
      ByteString serverStateHash,
      List<ByteString> accepted,
      List<Rejection> rejected,
      List<Score> scores) {}

  /**
   * The server state a round starts from: the one the previous round's commit recorded, fetched and
   * checked against its hash; {@link ServerState#EMPTY} in the first round or when the strategy
   * keeps none.
   *
   * @param previous the previous round's commit, or null for the first round
   * @throws BlobException when the recorded state cannot be had or is not a server state
   */
  public static ServerState stateBefore(BlobSource blobs, CommitRound previous)
      throws BlobException {
    if (previous == null || previous.getServerStateHash().isEmpty()) {
      return ServerState.EMPTY;
    }
    Hash hash = Hash.of(previous.getServerStateHash());
    byte[] bytes = blobs.get(hash, previous.getBlobLocation());
    try {
      return ServerState.decode(bytes);
    } catch (IllegalArgumentException e) {
      throw new BlobException(
          "blob " + hash.toHex() + " is not a server state: " + e.getMessage(), e);
    }
  }

  /**
   * @param state the server state the round starts from ({@link #stateBefore})
   * @param members the job's participants in join order: the canonical aggregation order
   * @param fetched update weights by update hash
   * @param unavailable reasons (starting with {@link #BLOB_REASON}) by update hash, for the rest
   * @throws IllegalStateException when no update can be aggregated (the round cannot be committed)
   */
  public static Outcome run(
      String strategy,
      Weights global,
      ServerState state,
      List<ByteString> members,
      List<Submission> submissions,
      Map<ByteString, Weights> fetched,
      Map<ByteString, String> unavailable) {
    Map<ByteString, String> ids = clientIds(members, submissions);
    List<ClientUpdate> updates = new ArrayList<>();
    for (Submission s : submissions) {
      Weights w = fetched.get(s.getUpdateHash());
      if (w != null) {
        updates.add(new ClientUpdate(ids.get(s.getParticipant()), s.getSampleCount(), w));
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
              .aggregate(new AggregationInput(global, updates, state));
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
        reason = notTaken.get(ids.get(s.getParticipant()));
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
                .setPpm(scores.ppm(ids.get(s.getParticipant())))
                .build());
      }
    }
    if (accepted.isEmpty()) {
      throw new IllegalStateException("every update was rejected: " + rejected);
    }
    fixSum(scored);
    ServerState after = result.state();
    byte[] stateBlob = after.buffers().isEmpty() ? null : after.encode();
    ByteString stateHash =
        stateBlob == null ? ByteString.EMPTY : Sha256.hash(stateBlob).toByteString();
    return new Outcome(
        result.newGlobal(),
        WeightsHash.of(result.newGlobal()),
        after,
        stateBlob,
        stateHash,
        accepted,
        rejected,
        scored);
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

  /**
   * Each submitter's client id for the learning module, which combines updates sorted by client id:
   * "member-" and the participant's zero-padded position in the member list, so that sorting by id
   * is member order.
   */
  private static Map<ByteString, String> clientIds(
      List<ByteString> members, List<Submission> submissions) {
    Map<ByteString, String> ids = new HashMap<>();
    for (int i = 0; i < members.size(); i++) {
      ids.putIfAbsent(members.get(i), String.format(Locale.ROOT, "member-%08d", i));
    }
    for (Submission s : submissions) {
      if (!ids.containsKey(s.getParticipant())) {
        throw new IllegalStateException(
            "update "
                + Hash.of(s.getUpdateHash()).toHex()
                + " comes from "
                + Address.of(s.getParticipant())
                + ", who is not a member of the job");
      }
    }
    return ids;
  }
}
