package org.fedledger.node.dashboard;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.SignedTransaction;
import org.fedledger.core.proto.registry.Metric;
import org.fedledger.core.proto.registry.RegisterDataset;
import org.fedledger.core.proto.registry.Score;
import org.fedledger.core.proto.training.AttestRound;
import org.fedledger.core.proto.training.CommitRound;
import org.fedledger.core.proto.training.CreateJob;
import org.fedledger.core.proto.training.JoinJob;
import org.fedledger.core.proto.training.Rejection;
import org.fedledger.core.proto.training.Round;
import org.fedledger.core.proto.training.StartJob;
import org.fedledger.core.proto.training.Submission;
import org.fedledger.core.proto.training.SubmitUpdate;
import org.fedledger.core.tx.TransactionCodec;
import org.fedledger.ledger.training.TrainingModule;

/**
 * Plays a training job through the real contracts with signed transactions: datasets, job, joins,
 * start, and per round the updates, the aggregator's commit and the other validator's attestation.
 * Hashes stand in for weights: the dashboard shows the chain, not tensors.
 */
final class TrainingSeed {
  static final String USE = "model-training:fashion";

  private final SeededNetwork net;

  TrainingSeed(SeededNetwork net) {
    this.net = net;
  }

  /** Each participant registers dataset prefix-i (consenting to USE). */
  void registerDatasets(String prefix, List<Ed25519KeyPair> participants) throws Exception {
    List<SignedTransaction> txs = new ArrayList<>();
    for (int i = 0; i < participants.size(); i++) {
      RegisterDataset d =
          RegisterDataset.newBuilder()
              .setDatasetId(prefix + "-" + i)
              .setCommitmentHash(SeededNetwork.hashOf("data of " + prefix + "-" + i))
              .setSampleCount(1000 + 100L * i)
              .setSchema("image/28x28:label/10")
              .setLicence("cc-by-4.0")
              .addConsent("research")
              .addConsent(USE)
              .build();
      txs.add(net.tx(participants.get(i), "registry", "RegisterDataset", d));
    }
    net.commit(txs);
  }

  /** Creates the job, joins every participant with its dataset, starts round 1; the job id. */
  Hash createJoinStart(
      Ed25519KeyPair sponsor, String prefix, List<Ed25519KeyPair> participants, long rounds)
      throws Exception {
    String spec = "{\"preset\":\"logreg\",\"inputs\":784,\"classes\":10}";
    CreateJob job =
        CreateJob.newBuilder()
            .setModelSpec(spec)
            .setSpecHash(SeededNetwork.hashOf(spec))
            .setInitialWeightsHash(SeededNetwork.hashOf("initial weights " + prefix))
            .setRounds(rounds)
            .setParticipantsPerRound(participants.size())
            .setStrategy("fedavg")
            .setRequiredUse(USE)
            .setMinStake(1_000)
            .setReward(90_000)
            .setRoundBlocks(100_000)
            .setCommitBlocks(100_000)
            .setLicence("apache-2.0")
            .build();
    SignedTransaction create = net.tx(sponsor, "training", "CreateJob", job);
    net.commit(create);
    Hash jobId = TrainingModule.jobIdOf(TransactionCodec.hashOf(create));
    ByteString id = ByteString.copyFrom(jobId.toByteArray());
    List<SignedTransaction> joins = new ArrayList<>();
    for (int i = 0; i < participants.size(); i++) {
      JoinJob join =
          JoinJob.newBuilder().setJobId(id).setDatasetId(prefix + "-" + i).setStake(5_000).build();
      joins.add(net.tx(participants.get(i), "training", "JoinJob", join));
    }
    net.commit(joins);
    net.commit(net.tx(sponsor, "training", "StartJob", StartJob.newBuilder().setJobId(id).build()));
    return jobId;
  }

  /**
   * Plays round r to finality: every selected participant submits, the aggregator commits
   * (rejecting the update of rejected, if not null) with accuracy and loss, the other validator
   * attests.
   */
  void playRound(Hash jobId, long r, List<Ed25519KeyPair> participants, Ed25519KeyPair rejected)
      throws Exception {
    ByteString id = ByteString.copyFrom(jobId.toByteArray());
    Round round = round(jobId, r);
    List<SignedTransaction> updates = new ArrayList<>();
    for (ByteString selected : round.getSelectedList()) {
      Ed25519KeyPair p = keyOf(selected, participants);
      updates.add(
          net.tx(
              p,
              "training",
              "SubmitUpdate",
              SubmitUpdate.newBuilder()
                  .setJobId(id)
                  .setRound(r)
                  .setUpdateHash(SeededNetwork.hashOf("update " + r + " " + selected))
                  .setSampleCount(900)
                  .setTrainLoss(900_000 - 150_000 * r)
                  .setBlobLocation("http://127.0.0.1:1/blobs/update-" + r)
                  .build()));
    }
    net.commit(updates);
    round = round(jobId, r);
    ByteString aggregate = SeededNetwork.hashOf("aggregate " + jobId + " " + r);
    CommitRound.Builder commit =
        CommitRound.newBuilder()
            .setJobId(id)
            .setRound(r)
            .setAggregateHash(aggregate)
            .setBlobLocation("http://127.0.0.1:1/blobs/aggregate-" + r)
            .addMetrics(Metric.newBuilder().setName("accuracy_ppm").setValue(610_000 + 90_000 * r))
            .addMetrics(Metric.newBuilder().setName("loss_micro").setValue(1_200_000 / (r + 1)));
    List<ByteString> accepted = new ArrayList<>();
    for (Submission s : round.getSubmissionsList()) {
      if (rejected != null && s.getParticipant().equals(bytesOf(rejected))) {
        commit.addRejected(
            Rejection.newBuilder()
                .setUpdateHash(s.getUpdateHash())
                .setReason("update norm 38.2 exceeds the bound 10"));
      } else {
        commit.addAccepted(s.getUpdateHash());
        accepted.add(s.getParticipant());
      }
    }
    accepted.sort(ByteString.unsignedLexicographicalComparator());
    long left = 1_000_000;
    for (int i = 0; i < accepted.size(); i++) {
      long share = i == accepted.size() - 1 ? left : 1_000_000 / accepted.size() + 10_000 * i;
      left -= share;
      commit.addScores(Score.newBuilder().setParticipant(accepted.get(i)).setPpm(share));
    }
    Ed25519KeyPair aggregator = keyOf(round.getAggregator(), net.validators);
    net.commit(net.tx(aggregator, "training", "CommitRound", commit.build()));
    for (Ed25519KeyPair v : net.validators) {
      if (v != aggregator) {
        net.commit(
            net.tx(
                v,
                "training",
                "AttestRound",
                AttestRound.newBuilder()
                    .setJobId(id)
                    .setRound(r)
                    .setAggregateHash(aggregate)
                    .build()));
      }
    }
  }

  Round round(Hash jobId, long r) {
    return net.ledger()
        .query(q -> net.ledger().contracts().training().round(q, jobId, r))
        .orElseThrow(() -> new AssertionError("job " + jobId + " has no round " + r));
  }

  private static ByteString bytesOf(Ed25519KeyPair key) {
    return SeededNetwork.bytes(SeededNetwork.address(key));
  }

  private static Ed25519KeyPair keyOf(ByteString address, List<Ed25519KeyPair> keys) {
    for (Ed25519KeyPair k : keys) {
      if (bytesOf(k).equals(address)) {
        return k;
      }
    }
    throw new AssertionError("no key for address " + address);
  }
}
