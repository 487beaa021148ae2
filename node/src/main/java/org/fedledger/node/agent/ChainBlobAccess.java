package org.fedledger.node.agent;

import com.google.protobuf.ByteString;
import java.util.function.Supplier;
import org.fedledger.core.address.Address;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.training.FailedCommit;
import org.fedledger.core.proto.training.Job;
import org.fedledger.core.proto.training.Round;
import org.fedledger.core.proto.training.Submission;
import org.fedledger.ledger.Ledger;
import org.fedledger.node.blob.BlobAccess;
import org.fedledger.node.blob.CatchUpAccess;

/**
 * Blob access decided by the chain. An update blob (a round's submitted update hash) is served only
 * to the validators, who aggregate and verify it, and to its own submitter. Global weights (a job's
 * initial weights or a round's aggregate) and a round's server optimizer state are served to the
 * job's members: sponsor, participants and validators. A hash no job refers to is served to no one.
 */
public final class ChainBlobAccess implements BlobAccess {
  private final Supplier<Ledger> ledger;

  public ChainBlobAccess(Supplier<Ledger> ledger) {
    this.ledger = ledger;
  }

  /**
   * The access a node's blob server uses: the chain's decision, with a refusal re-checked while
   * this node may still trail the requester's ({@link CatchUpAccess}).
   */
  public static BlobAccess forNode(Supplier<Ledger> ledger) {
    return new CatchUpAccess(
        new ChainBlobAccess(ledger), () -> ledger.get().height(), CatchUpAccess.DEFAULT_PATIENCE);
  }

  @Override
  public String denial(Hash blob, Address requester) {
    TrainingState chain = new TrainingState(ledger.get());
    ByteString h = blob.toByteString();
    ByteString who = TrainingState.bytes(requester);
    boolean validator = chain.isValidator(requester);
    for (Job job : chain.jobs()) {
      boolean member =
          validator || job.getSponsor().equals(who) || job.getParticipantsList().contains(who);
      if (job.getSpec().getInitialWeightsHash().equals(h)) {
        return member
            ? null
            : requester + " is not a member of job " + TrainingState.id(job).toHex();
      }
      Hash id = TrainingState.id(job);
      // From round 0: a job that standardizes reports and combines feature statistics there,
      // served as its updates and aggregates are.
      for (long r = 0; r <= job.getCurrentRound(); r++) {
        Round round = chain.round(id, r).orElse(null);
        if (round == null) {
          continue;
        }
        boolean aggregate =
            round.getCommit().getAggregateHash().equals(h)
                || round.getCommit().getServerStateHash().equals(h);
        for (FailedCommit f : round.getFailedCommitsList()) {
          aggregate |= f.getAggregateHash().equals(h) || f.getServerStateHash().equals(h);
        }
        if (aggregate) {
          return member ? null : requester + " is not a member of job " + id.toHex();
        }
        for (Submission s : round.getSubmissionsList()) {
          if (s.getUpdateHash().equals(h)) {
            return validator || s.getParticipant().equals(who)
                ? null
                : "update blobs of round "
                    + r
                    + " are served only to its aggregator and verifiers, not to "
                    + requester;
          }
        }
      }
    }
    return "no job on the chain refers to blob " + blob.toHex();
  }
}
