package org.fedledger.cli.demo;

import java.util.List;
import java.util.Map;
import org.fedledger.cli.demo.hospitals.HospitalPrivacy;

/**
 * What the demo measured, as written to {@code --json}.
 *
 * @param scenario fashion or hospitals
 * @param metricsSource where the rounds' metrics come from: {@code central} (the aggregators' test
 *     set) or {@code federated} (the owners' evaluations on their local test splits)
 * @param finalAccuracy the last round's accuracy, in [0, 1]
 * @param finalMetrics the last round's metrics by name ({@code accuracy}, {@code macro_f1}, {@code
 *     auc}, ...), rates in [0, 1]
 * @param privacyBudgets each dataset's privacy budget at the end (DP demos; empty otherwise)
 * @param serving the model in use after training: paid calls, the claim, the royalties; null if the
 *     scenario does not serve its model
 */
record DemoReport(
    String scenario,
    String metricsSource,
    double finalAccuracy,
    Map<String, Double> finalMetrics,
    List<RoundLine> rounds,
    List<ParticipantLine> participants,
    String modelId,
    String jobId,
    String verify,
    List<String> verifyProblems,
    long blocks,
    long transactions,
    double wallSeconds,
    List<HospitalPrivacy.DatasetBudget> privacyBudgets,
    DemoServing.Result serving) {

  /**
   * One finalized round.
   *
   * @param metrics its metrics by name, as {@link DemoReport#finalMetrics}
   * @param evaluations how many owners' evaluations the federated metrics combine (0 for central)
   */
  record RoundLine(
      long round,
      double accuracy,
      Map<String, Double> metrics,
      int evaluations,
      int accepted,
      int rejected,
      String aggregator,
      String aggregateHash,
      int failedCommits) {}

  /** One data owner's standing at the end of the job. */
  record ParticipantLine(
      String id,
      String address,
      boolean malicious,
      long accepted,
      long rejected,
      long reward,
      long slashed) {}
}
