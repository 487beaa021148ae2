package org.fedledger.ledger.training;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.training.Job;
import org.fedledger.core.proto.training.ParticipantRecord;
import org.fedledger.core.proto.training.Round;
import org.fedledger.ledger.staking.StakingKeeper;

/**
 * What a rejected transaction must leave unchanged: the job, its current round, its participants,
 * every balance and every bonded and locked stake.
 */
record Snapshot(
    Optional<Job> job,
    Optional<Round> round,
    List<ParticipantRecord> participants,
    List<Long> balances,
    List<Long> stakes,
    long jobCount) {

  static Snapshot of(TrainingNet net, Hash jobId) {
    Optional<Job> job =
        jobId == null ? Optional.empty() : net.query(q -> net.training().job(q, jobId));
    Optional<Round> round =
        job.flatMap(j -> net.query(q -> net.training().round(q, jobId, j.getCurrentRound())));
    List<ParticipantRecord> participants =
        jobId == null ? List.of() : net.query(q -> net.training().participants(q, jobId));
    List<Long> balances = new ArrayList<>();
    List<Long> stakes = new ArrayList<>();
    List<Integer> ids = new ArrayList<>();
    for (int i = 0; i < TrainingNet.ACCOUNTS; i++) {
      ids.add(i);
    }
    ids.addAll(TrainingNet.validatorIds());
    for (int i : ids) {
      balances.add(net.balance(i));
      stakes.add(net.bonded(i));
      stakes.add(net.locked(i));
    }
    balances.add(net.balance(StakingKeeper.BONDED_POOL));
    balances.add(net.balance(StakingKeeper.COMMUNITY_POOL));
    if (jobId != null) {
      balances.add(net.balance(TrainingModule.escrowAccount(jobId)));
    }
    long jobCount = net.query(q -> net.training().jobCount(q));
    return new Snapshot(job, round, participants, balances, stakes, jobCount);
  }
}
