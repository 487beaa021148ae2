package org.fedledger.ledger.training;

/**
 * The training module's parameters: code, not state, so every node of a network runs the same.
 *
 * @param rejectedUpdateSlashPpm share (parts per million) of a participant's job stake slashed for
 *     each of its updates the aggregator rejected in a finalized round
 * @param aggregatorSlashPpm share of an aggregator's bonded stake slashed when a quorum attests a
 *     different aggregate than it committed, or when it lets its commit window pass
 * @param maxRounds upper bound on CreateJob.rounds
 * @param maxParticipantsPerRound upper bound on CreateJob.participants_per_round
 * @param maxParticipantsPerJob how many may join one job (the job record lists them)
 * @param minCommitBlocks the shortest commit window a job may set: an aggregator given less time
 *     could not commit however honest it is, and would be slashed for it (issue #21); a job whose
 *     window is shorter (created before this rule) gets this many blocks and no slash
 * @param minCommitMillis the shortest time, by block timestamps, an aggregator has to commit once
 *     its window opened: blocks come as fast as transactions do, and anyone can send those, so a
 *     window in blocks alone could pass in a second (issue #21). The aggregator is slashed only
 *     when both its blocks and this time have passed.
 */
public record TrainingParams(
    long rejectedUpdateSlashPpm,
    long aggregatorSlashPpm,
    long maxRounds,
    long maxParticipantsPerRound,
    int maxParticipantsPerJob,
    long minCommitBlocks,
    long minCommitMillis) {
  public static final long PPM = 1_000_000;

  public TrainingParams {
    if (rejectedUpdateSlashPpm < 0 || rejectedUpdateSlashPpm > PPM) {
      throw new IllegalArgumentException("rejectedUpdateSlashPpm must be in [0, 1e6]");
    }
    if (aggregatorSlashPpm < 0 || aggregatorSlashPpm > PPM) {
      throw new IllegalArgumentException("aggregatorSlashPpm must be in [0, 1e6]");
    }
    if (minCommitBlocks < 1) {
      throw new IllegalArgumentException("minCommitBlocks must be at least 1");
    }
    if (minCommitMillis < 0) {
      throw new IllegalArgumentException("minCommitMillis must not be negative");
    }
  }

  public static TrainingParams defaults() {
    return new TrainingParams(100_000, 100_000, 1_000, 1_000, 10_000, 5, 30_000);
  }
}
