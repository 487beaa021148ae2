package org.fedledger.node.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.SignedTransaction;
import org.fedledger.core.proto.registry.Metric;
import org.fedledger.core.proto.registry.PrivacyBudget;
import org.fedledger.core.proto.registry.RegisterDataset;
import org.fedledger.core.proto.training.AttestRound;
import org.fedledger.core.proto.training.CommitRound;
import org.fedledger.core.proto.training.CreateJob;
import org.fedledger.core.proto.training.Job;
import org.fedledger.core.proto.training.JoinJob;
import org.fedledger.core.proto.training.Round;
import org.fedledger.core.proto.training.StartJob;
import org.fedledger.core.proto.training.Submission;
import org.fedledger.core.proto.training.SubmitUpdate;
import org.fedledger.core.tx.TransactionCodec;
import org.fedledger.learning.aggregate.ServerState;
import org.fedledger.learning.io.Safetensors;
import org.fedledger.learning.tensor.NamedTensor;
import org.fedledger.learning.tensor.Weights;
import org.fedledger.ledger.training.TrainingModule;
import org.fedledger.node.agent.RoundAggregation;

/**
 * Plays a training job through the real contracts with signed transactions: datasets, job, joins,
 * start, and per round the updates, the aggregator's commit and the other validator's attestation.
 * Weights are real but tiny (a 4x3 logistic regression): every blob (initial weights, updates,
 * aggregates) is kept in the network's blob store and each aggregate is computed by {@link
 * RoundAggregation}, as the agents do, so the node's verifier can replay the lineage.
 */
public final class TrainingSeed {
  static final String USE = "model-training:fashion";
  // A real spec (logistic regression, 4 inputs, 3 classes), so that the model can be served.
  static final String SPEC =
      org.fedledger.learning.model.ModelSpecs.toJson(
          new org.fedledger.learning.model.ModelSpec(
              org.fedledger.learning.model.ModelType.LOGREG, new long[] {4}, 3, List.of()));

  private final SeededNetwork net;

  public TrainingSeed(SeededNetwork net) {
    this.net = net;
  }

  /** Each participant registers dataset prefix-i (consenting to USE). */
  public void registerDatasets(String prefix, List<Ed25519KeyPair> participants) throws Exception {
    registerDatasets(prefix, participants, null);
  }

  /** As above, each dataset with budget as its privacy budget (none if null). */
  void registerDatasets(String prefix, List<Ed25519KeyPair> participants, PrivacyBudget budget)
      throws Exception {
    List<SignedTransaction> txs = new ArrayList<>();
    for (int i = 0; i < participants.size(); i++) {
      RegisterDataset.Builder d =
          RegisterDataset.newBuilder()
              .setDatasetId(prefix + "-" + i)
              .setCommitmentHash(SeededNetwork.hashOf("data of " + prefix + "-" + i))
              .setSampleCount(1000 + 100L * i)
              .setSchema("image/28x28:label/10")
              .setLicence("cc-by-4.0")
              .addConsent("research")
              .addConsent(USE);
      if (budget != null) {
        d.setPrivacyBudget(budget);
      }
      txs.add(net.tx(participants.get(i), "registry", "RegisterDataset", d.build()));
    }
    net.commit(txs);
  }

  /** Creates the job, joins every participant with its dataset, starts round 1; the job id. */
  public Hash createJoinStart(
      Ed25519KeyPair sponsor, String prefix, List<Ed25519KeyPair> participants, long rounds)
      throws Exception {
    return createJoinStart(sponsor, prefix, participants, rounds, job -> {});
  }

  /** As above, the job's other fields (e.g. a local test split) set by more. */
  Hash createJoinStart(
      Ed25519KeyPair sponsor,
      String prefix,
      List<Ed25519KeyPair> participants,
      long rounds,
      Consumer<CreateJob.Builder> more)
      throws Exception {
    Hash initial = net.blobs.put(Safetensors.write(weights(prefix.length(), false)));
    CreateJob.Builder job =
        CreateJob.newBuilder()
            .setModelSpec(SPEC)
            .setSpecHash(SeededNetwork.hashOf(SPEC))
            .setInitialWeightsHash(initial.toByteString())
            .setRounds(rounds)
            .setParticipantsPerRound(participants.size())
            .setStrategy("fedavg")
            .setRequiredUse(USE)
            .setMinStake(1_000)
            .setReward(90_000)
            .setRoundBlocks(100_000)
            .setCommitBlocks(100_000)
            .setLicence("apache-2.0");
    more.accept(job);
    SignedTransaction create = net.tx(sponsor, "training", "CreateJob", job.build());
    net.commit(create);
    Hash jobId = TrainingModule.jobIdOf(TransactionCodec.hashOf(create));
    ByteString id = jobId.toByteString();
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
   * Plays round r to finality: every selected participant submits an update (rejected's holds a
   * NaN, if not null), the aggregator commits what {@link RoundAggregation} makes of them with
   * accuracy and loss, the other validator attests.
   */
  public void playRound(
      Hash jobId, long r, List<Ed25519KeyPair> participants, Ed25519KeyPair rejected)
      throws Exception {
    ByteString id = jobId.toByteString();
    Round round = round(jobId, r);
    List<SignedTransaction> updates = new ArrayList<>();
    for (ByteString selected : round.getSelectedList()) {
      Ed25519KeyPair p = keyOf(selected, participants);
      // Distinct per job, round and participant: equal weights would share one blob.
      int seed = Arrays.hashCode(jobId.toByteArray()) + 31 * (int) r + participants.indexOf(p);
      Hash update = net.blobs.put(Safetensors.write(weights(seed, p == rejected)));
      updates.add(
          net.tx(
              p,
              "training",
              "SubmitUpdate",
              SubmitUpdate.newBuilder()
                  .setJobId(id)
                  .setRound(r)
                  .setUpdateHash(update.toByteString())
                  .setSampleCount(900)
                  .setTrainLoss(900_000 - 150_000 * r)
                  .setBlobLocation("http://127.0.0.1:1/blobs/update-" + r)
                  .build()));
    }
    net.commit(updates);
    round = round(jobId, r);
    Job job = job(jobId);
    Weights global = Safetensors.read(net.blobs.read(globalBefore(job, r)).orElseThrow());
    Map<ByteString, Weights> fetched = new HashMap<>();
    for (Submission s : round.getSubmissionsList()) {
      Hash h = Hash.of(s.getUpdateHash());
      fetched.put(s.getUpdateHash(), Safetensors.read(net.blobs.read(h).orElseThrow()));
    }
    RoundAggregation.Outcome outcome =
        RoundAggregation.run(
            job.getSpec().getStrategy(),
            global,
            ServerState.EMPTY, // the seeded strategies keep no server state
            job.getParticipantsList(),
            round.getSubmissionsList(),
            fetched,
            Map.of());
    Hash stored = net.blobs.put(Safetensors.write(outcome.newGlobal()));
    assertThat(stored).isEqualTo(outcome.aggregateHash());
    ByteString aggregate = stored.toByteString();
    CommitRound commit =
        CommitRound.newBuilder()
            .setJobId(id)
            .setRound(r)
            .setAggregateHash(aggregate)
            .setBlobLocation("http://127.0.0.1:1/blobs/aggregate-" + r)
            .addMetrics(Metric.newBuilder().setName("accuracy_ppm").setValue(610_000 + 90_000 * r))
            .addMetrics(Metric.newBuilder().setName("loss_micro").setValue(1_200_000 / (r + 1)))
            .addAllAccepted(outcome.accepted())
            .addAllRejected(outcome.rejected())
            .addAllScores(outcome.scores())
            .build();
    Ed25519KeyPair aggregator = keyOf(round.getAggregator(), net.validators);
    net.commit(net.tx(aggregator, "training", "CommitRound", commit));
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

  /**
   * A 4x3 weight matrix and a bias of 3, values from seed; with nan, the first value is NaN (an
   * update every strategy rejects as invalid).
   */
  static Weights weights(int seed, boolean nan) {
    float[] w = new float[12];
    for (int i = 0; i < w.length; i++) {
      w[i] = (Math.floorMod(seed * 7919L + i * 104_729L, 1000) - 500) / 5000f;
    }
    if (nan) {
      w[0] = Float.NaN;
    }
    float[] b = {Math.floorMod(seed, 97) / 1000f, -0.01f, 0.02f};
    // Named and shaped as DJL's logistic regression has them: weight [3, 4], then bias [3].
    var shapes =
        org.fedledger.learning.model.Models.parameterShapes(
            org.fedledger.learning.model.ModelSpecs.fromJson(SPEC));
    return new Weights(
        List.of(
            new NamedTensor(shapes.get(0).getKey(), shapes.get(0).getValue(), w),
            new NamedTensor(shapes.get(1).getKey(), shapes.get(1).getValue(), b)));
  }

  /** The weights round r starts from: the job's initial weights, or round r - 1's aggregate. */
  private Hash globalBefore(Job job, long r) {
    ByteString h =
        r == 1
            ? job.getSpec().getInitialWeightsHash()
            : round(Hash.of(job.getJobId()), r - 1).getCommit().getAggregateHash();
    return Hash.of(h);
  }

  Job job(Hash jobId) {
    return net.ledger()
        .query(q -> net.ledger().contracts().training().job(q, jobId))
        .orElseThrow(() -> new AssertionError("no job " + jobId));
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
