package org.fedledger.node.agent;

import com.google.protobuf.ByteString;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.fedledger.core.address.Address;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.training.BlobRef;
import org.fedledger.core.proto.training.Job;
import org.fedledger.ledger.Ledger;
import org.fedledger.ledger.training.TrainingModule;
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

  /**
   * One read of the chain's blob index ({@code TrainingModule.blobRefs}), and of the jobs it names:
   * the cost of a request, refused or not, no longer grows with the jobs and rounds on the chain. A
   * blob named in several places (two jobs from the same initial weights) is served if any of them
   * allows it.
   */
  @Override
  public String denial(Hash blob, Address requester) {
    Ledger chain = ledger.get();
    boolean validator = new TrainingState(chain).isValidator(requester);
    ByteString who = requester.toByteString();
    return chain.query(
        q -> {
          TrainingModule training = chain.contracts().training();
          List<BlobRef> refs = training.blobRefs(q, blob);
          if (refs.isEmpty()) {
            return "no job on the chain refers to blob " + blob.toHex();
          }
          String refusal = null;
          for (BlobRef ref : refs) {
            String denied = denial(ref, training.job(q, Hash.of(ref.getJobId())), who, validator);
            if (denied == null) {
              return null;
            }
            refusal = refusal == null ? denied + " (as " + requester + ")" : refusal;
          }
          return refusal;
        });
  }

  private static String denial(BlobRef ref, Optional<Job> job, ByteString who, boolean validator) {
    String id = Hash.of(ref.getJobId()).toHex();
    if (ref.getKind() == BlobRef.Kind.UPDATE) {
      return validator || ref.getParticipant().equals(who)
          ? null
          : "update blobs of round "
              + ref.getRound()
              + " of job "
              + id
              + " are served only to its aggregator and verifiers";
    }
    boolean member =
        validator
            || job.map(j -> j.getSponsor().equals(who) || j.getParticipantsList().contains(who))
                .orElse(false);
    return member ? null : "not a member of job " + id;
  }
}
