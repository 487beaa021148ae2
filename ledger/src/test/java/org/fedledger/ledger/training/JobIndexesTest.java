package org.fedledger.ledger.training;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.util.List;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.training.BlobRef;
import org.fedledger.core.proto.training.CancelJob;
import org.fedledger.core.proto.training.Job;
import org.fedledger.core.proto.training.Submission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The training module's two indexes, kept by every store of a job or round: the live jobs (what the
 * agents act on, however many jobs have finished) and where each blob hash is named (what a blob
 * server needs to decide a request in one read).
 */
class JobIndexesTest {
  @TempDir Path dir;

  @Test
  void liveJobsHoldExactlyTheOpenAndRunningOnesAsJobsStartEndAndAreCancelled() {
    try (TrainingNet net = new TrainingNet(dir)) {
      JobDriver first = new JobDriver(net);
      Hash a = first.createAndJoin(TrainingNet.job(1, 2, 1_000).build(), 1, 2);
      Hash b = new JobDriver(net).createAndJoin(TrainingNet.job(1, 2, 2_000).build(), 3, 4);
      Hash c = new JobDriver(net).createAndJoin(TrainingNet.job(1, 2, 3_000).build(), 5, 6);
      assertThat(live(net)).containsExactlyInAnyOrder(a, b, c);

      // Cancelling the first frees its slot; the last one moves into it and stays listed.
      net.ok(0, "training", "CancelJob", CancelJob.newBuilder().setJobId(a.toByteString()).build());
      assertThat(live(net)).containsExactlyInAnyOrder(b, c);

      JobDriver second = new JobDriver(net);
      Hash d = second.createAndJoin(TrainingNet.job(1, 2, 4_000).build(), 7, 8);
      second.start();
      assertThat(live(net)).containsExactlyInAnyOrder(b, c, d);
      second.playRound(1, 500_000);
      assertThat(net.job(d).getStatus().name()).isEqualTo("JOB_COMPLETED");
      assertThat(live(net)).containsExactlyInAnyOrder(b, c);
      // Every job is still listed in creation order, finished or not.
      long jobs = net.query(q -> net.training().jobCount(q));
      assertThat(jobs).isEqualTo(4);
    }
  }

  @Test
  void everyBlobAJobNamesIsIndexedWithItsJobRoundAndRole() {
    try (TrainingNet net = new TrainingNet(dir)) {
      JobDriver d = new JobDriver(net);
      Hash id = d.createAndJoin(TrainingNet.job(2, 2, 1_000).build(), 1, 2);
      Hash other = new JobDriver(net).createAndJoin(TrainingNet.job(2, 2, 1_000).build(), 3, 4);
      d.start();
      d.playRound(1, 500_000);

      // Two jobs start from the same initial weights: both are named.
      Job job = net.job(id);
      assertThat(refs(net, job.getSpec().getInitialWeightsHash()))
          .extracting(r -> Hash.of(r.getJobId()), BlobRef::getKind)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(id, BlobRef.Kind.INITIAL_WEIGHTS),
              org.assertj.core.groups.Tuple.tuple(other, BlobRef.Kind.INITIAL_WEIGHTS));
      // Every update of the round, each with its submitter, though they came in one block.
      List<Submission> submissions = net.round(id, 1).getSubmissionsList();
      assertThat(submissions).hasSize(2);
      for (Submission s : submissions) {
        assertThat(refs(net, s.getUpdateHash()))
            .singleElement()
            .satisfies(
                r -> {
                  assertThat(r.getKind()).isEqualTo(BlobRef.Kind.UPDATE);
                  assertThat(r.getParticipant()).isEqualTo(s.getParticipant());
                  assertThat(r.getRound()).isEqualTo(1);
                  assertThat(Hash.of(r.getJobId())).isEqualTo(id);
                });
      }
      assertThat(refs(net, TrainingNet.hashBytes("aggregate:1")))
          .singleElement()
          .satisfies(r -> assertThat(r.getKind()).isEqualTo(BlobRef.Kind.AGGREGATE));
      assertThat(refs(net, TrainingNet.hashBytes("never named"))).isEmpty();
    }
  }

  private static List<Hash> live(TrainingNet net) {
    return net.query(q -> net.training().liveJobs(q)).stream()
        .map(j -> Hash.of(j.getJobId()))
        .toList();
  }

  private static List<BlobRef> refs(TrainingNet net, ByteString hash) {
    return net.query(q -> net.training().blobRefs(q, Hash.of(hash)));
  }
}
