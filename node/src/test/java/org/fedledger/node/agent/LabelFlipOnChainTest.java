package org.fedledger.node.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.fedledger.core.address.Address;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.hash.Sha256;
import org.fedledger.core.proto.training.Job;
import org.fedledger.core.proto.training.JobStatus;
import org.fedledger.core.proto.training.Round;
import org.fedledger.learning.aggregate.VectorMath;
import org.fedledger.learning.attack.LabelFlip;
import org.fedledger.learning.data.DataSplit;
import org.fedledger.learning.data.Datasets;
import org.fedledger.learning.data.LabeledData;
import org.fedledger.learning.io.Safetensors;
import org.fedledger.learning.model.ModelSpecs;
import org.fedledger.learning.simulation.Seeds;
import org.fedledger.learning.tensor.Weights;
import org.fedledger.learning.train.LocalTrainer;
import org.fedledger.learning.train.OptimizerKind;
import org.fedledger.learning.train.TrainConfig;
import org.fedledger.learning.train.TrainResult;
import org.fedledger.node.testing.TrainingNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A label-flipping owner on the chain attacks as a simulated client does (the attack once existed
 * only in the simulation): its update is the delta trained on flipped labels.
 */
class LabelFlipOnChainTest {
  private static final TrainConfig TRAIN = new TrainConfig(1, 32, OptimizerKind.SGD, 0.05f, 0f);

  @TempDir Path dir;

  @Test
  @Timeout(120)
  void aLabelFlippingOwnerSubmitsTheDeltaTrainedOnFlippedLabels() throws Exception {
    DataSplit split = Datasets.fashionMnist(Optional.empty());
    LabeledData[] data = OwnerData.dirichlet(split.train(), 3, 900, 1.0, 5);
    List<TrainingNetwork.Owner> owners = new ArrayList<>();
    owners.add(new TrainingNetwork.Owner("p0", data[0], null));
    owners.add(new TrainingNetwork.Owner("p1", data[1], null));
    owners.add(new TrainingNetwork.Owner("flipper", data[2], new LabelFlip()));
    try (TrainingNetwork net = TrainingNetwork.start(dir, 1, owners, 21, null, null, TRAIN)) {
      JobOptions options =
          JobOptions.builder()
              .setModel(ModelSpecs.preset("logreg"))
              .setRounds(1)
              .setParticipantsPerRound(3)
              .setStrategy("fedavg")
              .optMinUpdates(3)
              .optReward(1_000_000)
              .optStake(10_000)
              .optRoundBlocks(300)
              .optCommitBlocks(300)
              .optAttestQuorum(1)
              .build();
      Hash jobId = net.createAndStartJob(options);
      long end = System.nanoTime() + 100_000_000_000L;
      while (new TrainingState(net.ledger())
              .job(jobId)
              .map(j -> j.getStatus() != JobStatus.JOB_COMPLETED)
              .orElse(true)
          && System.nanoTime() < end) {
        Thread.sleep(100);
      }
      TrainingState chain = new TrainingState(net.ledger());
      Job job = chain.job(jobId).orElseThrow();
      assertThat(job.getStatus()).isEqualTo(JobStatus.JOB_COMPLETED);
      Round round = chain.round(jobId, 1).orElseThrow();
      Weights global =
          net.auditorSource()
              .weights(chain.globalBefore(job, 1), chain.globalLocation(job, 1).orElse(null));
      Address flipper = net.participants().get(2).key().publicKey().address();
      long seed =
          Seeds.localTraining(job.getSpec().getSeed(), 1, TrainingState.memberIndex(job, flipper));
      int[] flipped = new LabelFlip().poisonLabels(data[2].labels(), data[2].classCount());

      AgentLoop.noGradOnThisThread();
      Hash onFlippedLabels;
      Hash onTrueLabels;
      try (LocalTrainer trainer = LocalTrainer.create(ModelSpecs.preset("logreg"))) {
        TrainConfig config = JobTraining.of(job.getSpec(), TRAIN, 1);
        TrainResult poisoned = trainer.train(global, data[2].withLabels(flipped), config, seed);
        onFlippedLabels =
            Sha256.hash(Safetensors.write(VectorMath.subtract(poisoned.weights(), global)));
        TrainResult honest = trainer.train(global, data[2], config, seed);
        onTrueLabels =
            Sha256.hash(Safetensors.write(VectorMath.subtract(honest.weights(), global)));
      }
      ByteString submitted =
          round.getSubmissionsList().stream()
              .filter(s -> s.getParticipant().equals(TrainingState.bytes(flipper)))
              .findFirst()
              .orElseThrow()
              .getUpdateHash();
      assertThat(TrainingState.hash(submitted))
          .isEqualTo(onFlippedLabels)
          .isNotEqualTo(onTrueLabels);
    }
  }
}
