package org.fedledger.cli.demo;

import java.util.List;

/**
 * What the demo measured, as written to {@code --json}.
 *
 * @param finalAccuracy the last round's accuracy on the held-out test sample, in [0, 1]
 */
record DemoReport(
    double finalAccuracy,
    List<RoundLine> rounds,
    List<ParticipantLine> participants,
    String modelId,
    String jobId,
    String verify,
    List<String> verifyProblems,
    long blocks,
    long transactions,
    double wallSeconds) {

  /** One finalized round. */
  record RoundLine(
      long round,
      double accuracy,
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
