package org.fedledger.ledger.training;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.training.EvaluationSummary;
import org.fedledger.core.proto.training.OwnerEvaluation;
import org.fedledger.core.proto.training.Round;
import org.fedledger.core.proto.training.Submission;
import org.fedledger.ledger.module.Bytes;
import org.fedledger.ledger.module.ModuleStore;

/**
 * The lists of one round that grow with its participants, each entry under its own key (scope: job
 * id 32 B ‖ round 8 B): {@code selected/<scope><i 8B>} → address, with {@code
 * selected_by/<scope><address>}; {@code submission/<scope><i 8B>} → {@link Submission}, with {@code
 * submission_by/<scope><address>} and {@code submission_hash/<scope><update hash>}; {@code
 * evaluation/<scope><i 8B>} → {@link OwnerEvaluation}, with {@code evaluation_by/<scope><address>}
 * and {@code evaluation_summary/<scope>} → {@link EvaluationSummary} (their number and the
 * federated means). The round record keeps the lengths of the other two ({@code selected_total},
 * {@code submission_total}). A submission writes its own few keys and the round record, small while
 * the round is open; an evaluation (after the commit, which makes the round record grow with the
 * participants) writes its own keys and the summary, never the round record.
 */
final class RoundEntries {
  private static final String SUBMISSION_HASH = "submission_hash/";
  private static final String EVALUATION_SUMMARY = "evaluation_summary/";

  private final ModuleStore store;
  private final byte[] scope;
  private final StoredList selected;
  private final StoredList submissions;
  private final StoredList evaluations;

  RoundEntries(ModuleStore store, Hash jobId, long round) {
    this.store = store;
    this.scope = Bytes.concat(jobId.toByteArray(), Bytes.ofLong(round));
    this.selected = new StoredList(store, "selected", scope);
    this.submissions = new StoredList(store, "submission", scope);
    this.evaluations = new StoredList(store, "evaluation", scope);
  }

  // ---- selection ----

  /** Stores the selection of a newly opened round (its record gets selected_total). */
  void select(List<ByteString> participants) {
    for (int i = 0; i < participants.size(); i++) {
      byte[] a = participants.get(i).toByteArray();
      selected.put(i, a, a);
    }
  }

  boolean isSelected(ByteString participant) {
    return selected.contains(participant.toByteArray());
  }

  List<ByteString> selected(Round round) {
    List<ByteString> out = new ArrayList<>();
    for (byte[] a : selected.read(round.getSelectedTotal())) {
      out.add(ByteString.copyFrom(a));
    }
    return out;
  }

  // ---- submissions ----

  /** Appends s to the round and returns the round record with the new submission_total. */
  Round addSubmission(Round round, Submission s) {
    long index = round.getSubmissionTotal();
    submissions.put(index, s.getParticipant().toByteArray(), s.toByteArray());
    store.put(hashKey(s.getUpdateHash()), Bytes.ofLong(index));
    return round.toBuilder().setSubmissionTotal(index + 1).build();
  }

  Optional<Submission> submissionOf(ByteString participant) {
    byte[] b = submissions.byId(participant.toByteArray());
    return b == null ? Optional.empty() : Optional.of(parse(b, Submission.parser()));
  }

  /** The submission of this update hash in the round, if any. */
  Optional<Submission> submissionOfUpdate(ByteString updateHash) {
    byte[] index = store.get(hashKey(updateHash));
    return index == null
        ? Optional.empty()
        : Optional.of(parse(submissions.get(Bytes.toLong(index)), Submission.parser()));
  }

  /** Every submission of the round, in submission order. */
  List<Submission> submissions(Round round) {
    List<Submission> out = new ArrayList<>();
    for (byte[] b : submissions.read(round.getSubmissionTotal())) {
      out.add(parse(b, Submission.parser()));
    }
    return out;
  }

  // ---- evaluations ----

  /**
   * Appends e to the round's evaluations and stores their new summary (count and federated means,
   * recomputed from every evaluation: reads, not writes), which is returned.
   */
  EvaluationSummary addEvaluation(OwnerEvaluation e) {
    long index = evaluationSummary().getEvaluationTotal();
    evaluations.put(index, e.getParticipant().toByteArray(), e.toByteArray());
    List<OwnerEvaluation> all = evaluations(index + 1);
    EvaluationSummary summary =
        EvaluationSummary.newBuilder()
            .setEvaluationTotal(index + 1)
            .addAllFederatedMetrics(FederatedMetrics.of(all))
            .build();
    store.put(summaryKey(), summary.toByteArray());
    return summary;
  }

  EvaluationSummary evaluationSummary() {
    byte[] b = store.get(summaryKey());
    return b == null
        ? EvaluationSummary.getDefaultInstance()
        : parse(b, EvaluationSummary.parser());
  }

  boolean hasEvaluated(ByteString participant) {
    return evaluations.contains(participant.toByteArray());
  }

  /** The round's first count owner evaluations, in report order. */
  private List<OwnerEvaluation> evaluations(long count) {
    List<OwnerEvaluation> out = new ArrayList<>();
    for (byte[] b : evaluations.read(count)) {
      out.add(parse(b, OwnerEvaluation.parser()));
    }
    return out;
  }

  // ---- whole round ----

  /**
   * Deletes every entry of the round as recorded (before it is opened afresh: a reopened round
   * starts with a new selection and no submissions, as it always has).
   */
  void clear(Round recorded) {
    selected.clear(recorded.getSelectedTotal(), a -> a);
    for (Submission s : submissions(recorded)) {
      store.delete(hashKey(s.getUpdateHash()));
    }
    submissions.clear(
        recorded.getSubmissionTotal(),
        b -> parse(b, Submission.parser()).getParticipant().toByteArray());
    evaluations.clear(
        evaluationSummary().getEvaluationTotal(),
        b -> parse(b, OwnerEvaluation.parser()).getParticipant().toByteArray());
    store.delete(summaryKey());
  }

  /** The round record with its lists filled in: the shape readers outside the module see. */
  Round filled(Round round) {
    EvaluationSummary summary = evaluationSummary();
    return round.toBuilder()
        .clearSelected()
        .addAllSelected(selected(round))
        .clearSubmissions()
        .addAllSubmissions(submissions(round))
        .clearEvaluations()
        .addAllEvaluations(evaluations(summary.getEvaluationTotal()))
        .setEvaluationTotal(summary.getEvaluationTotal())
        .clearFederatedMetrics()
        .addAllFederatedMetrics(summary.getFederatedMetricsList())
        .build();
  }

  private byte[] summaryKey() {
    return Bytes.concat(Bytes.utf8(EVALUATION_SUMMARY), scope);
  }

  private byte[] hashKey(ByteString updateHash) {
    return Bytes.concat(Bytes.utf8(SUBMISSION_HASH), scope, updateHash.toByteArray());
  }

  static <T> T parse(byte[] bytes, com.google.protobuf.Parser<T> parser) {
    try {
      return parser.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("corrupt training state; restore the data directory", e);
    }
  }
}
