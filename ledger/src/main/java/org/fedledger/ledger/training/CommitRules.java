package org.fedledger.ledger.training;

import com.google.protobuf.ByteString;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.fedledger.core.address.Address;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.registry.Score;
import org.fedledger.core.proto.training.CommitRound;
import org.fedledger.core.proto.training.Rejection;
import org.fedledger.core.proto.training.Round;
import org.fedledger.core.proto.training.Submission;
import org.fedledger.ledger.module.TxFailedException;

/**
 * What a CommitRound must say about its round: every submitted update exactly once, as accepted or
 * rejected (with a reason); at least one accepted; one score per accepted participant, the scores
 * summing to exactly 1,000,000 ppm; well-formed metrics; a server state hash that is empty or 32
 * bytes (whether the strategy keeps state is for the verifiers to say: they attest both hashes). A
 * commit of the statistics step (round 0) has no scores or metrics; it rejects, with the reason, a
 * report that is not valid statistics (the verifiers, re-running the combination, attest only the
 * same choice), so that the step completes with the others.
 */
final class CommitRules {
  private static final Comparator<ByteString> BYTES =
      ByteString.unsignedLexicographicalComparator();

  private CommitRules() {}

  /** Checks m against the round and its submissions (kept under their own keys). */
  static void check(CommitRound m, Round round, List<Submission> submissions)
      throws TxFailedException {
    JobRules.hash32("aggregate_hash", m.getAggregateHash().toByteArray());
    JobRules.optionalHash32("server_state_hash", m.getServerStateHash());
    JobRules.text("blob_location", m.getBlobLocation(), JobRules.MAX_LOCATION);
    TreeMap<ByteString, Submission> submitted = new TreeMap<>(BYTES);
    for (Submission s : submissions) {
      submitted.put(s.getUpdateHash(), s);
    }
    TreeSet<ByteString> classified = new TreeSet<>(BYTES);
    TreeSet<ByteString> acceptedParticipants = new TreeSet<>(BYTES);
    for (ByteString h : m.getAcceptedList()) {
      Submission s = classify(h, submitted, classified, round.getRound());
      acceptedParticipants.add(s.getParticipant());
    }
    for (Rejection r : m.getRejectedList()) {
      classify(r.getUpdateHash(), submitted, classified, round.getRound());
      if (r.getReason().isEmpty() || r.getReason().length() > JobRules.MAX_TEXT) {
        throw Fail.invalid(
            "the rejection of update "
                + hex(r.getUpdateHash())
                + " needs a reason of 1-"
                + JobRules.MAX_TEXT
                + " characters");
      }
    }
    if (classified.size() != submitted.size()) {
      for (ByteString h : submitted.keySet()) {
        if (!classified.contains(h)) {
          throw Fail.invalid(
              "every submitted update must be accepted or rejected; update "
                  + hex(h)
                  + " is neither");
        }
      }
    }
    if (acceptedParticipants.isEmpty()) {
      throw Fail.invalid("a commit must accept at least one update");
    }
    if (round.getRound() == RoundEngine.STATISTICS_ROUND) {
      checkStatistics(m);
      return;
    }
    checkScores(m, acceptedParticipants);
    JobRules.checkMetrics(m.getMetricsList());
  }

  /**
   * A statistics commit carries no scores or metrics, since nothing is paid for the step and there
   * is no model to measure yet. Its rejections are checked as a training commit's are.
   */
  private static void checkStatistics(CommitRound m) throws TxFailedException {
    if (m.getScoresCount() > 0 || m.getMetricsCount() > 0) {
      throw Fail.invalid(
          "the statistics step (round 0) is neither scored nor measured: its commit accepts the"
              + " valid reports, rejects the others with the reason, and carries no scores or"
              + " metrics");
    }
  }

  private static Submission classify(
      ByteString hash,
      Map<ByteString, Submission> submitted,
      Set<ByteString> classified,
      long round)
      throws TxFailedException {
    Submission s = submitted.get(hash);
    if (s == null) {
      throw Fail.invalid("update " + hex(hash) + " was not submitted in round " + round);
    }
    if (!classified.add(hash)) {
      throw Fail.invalid("update " + hex(hash) + " is listed twice in accepted/rejected");
    }
    return s;
  }

  private static void checkScores(CommitRound m, Set<ByteString> accepted)
      throws TxFailedException {
    TreeSet<ByteString> scored = new TreeSet<>(BYTES);
    long sum = 0;
    for (Score s : m.getScoresList()) {
      if (!accepted.contains(s.getParticipant())) {
        throw Fail.invalid(
            "score for "
                + TrainingHex.of(s.getParticipant())
                + ", who has no accepted update in this commit");
      }
      if (!scored.add(s.getParticipant())) {
        throw Fail.invalid("participant " + TrainingHex.of(s.getParticipant()) + " scored twice");
      }
      if (s.getPpm() < 0 || s.getPpm() > TrainingParams.PPM) {
        throw Fail.invalid(
            "a score is between 0 and 1000000 ppm, got " + Long.toUnsignedString(s.getPpm()));
      }
      sum += s.getPpm();
    }
    if (scored.size() != accepted.size()) {
      throw Fail.invalid(
          "every accepted participant needs a score: "
              + accepted.size()
              + " accepted, "
              + scored.size()
              + " scored");
    }
    if (sum != TrainingParams.PPM) {
      throw Fail.invalid("scores must sum to exactly 1000000 ppm, they sum to " + sum);
    }
  }

  private static String hex(ByteString h) {
    return h.size() == Hash.LENGTH
        ? Hash.of(h).toHex()
        : h.size() == Address.LENGTH
            ? Address.of(h).toHex()
            : java.util.HexFormat.of().formatHex(h.toByteArray());
  }
}
