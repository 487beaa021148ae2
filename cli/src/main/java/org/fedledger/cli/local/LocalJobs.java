package org.fedledger.cli.local;

import com.google.protobuf.Message;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.fedledger.cli.dataset.DatasetRegisterCommand;
import org.fedledger.cli.job.BlobUpload;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.hash.Sha256;
import org.fedledger.core.proto.registry.RegisterDataset;
import org.fedledger.core.proto.training.CreateJob;
import org.fedledger.core.proto.training.JoinJob;
import org.fedledger.core.proto.training.StartJob;
import org.fedledger.learning.data.DatasetCommitment;
import org.fedledger.learning.data.Datasets;
import org.fedledger.learning.data.schema.DatasetSchema;
import org.fedledger.learning.io.Safetensors;
import org.fedledger.learning.model.ModelSpecs;
import org.fedledger.learning.model.Models;
import org.fedledger.learning.train.TrainConfig;
import org.fedledger.ledger.registry.RegistryModule;
import org.fedledger.ledger.training.TrainingMessages;
import org.fedledger.ledger.training.TrainingModule;
import org.fedledger.node.agent.JobOptions;
import org.fedledger.node.agent.TxSender;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs jobs on {@link LocalNodes} as their members would: the sponsor (the genesis admin) uploads
 * the initial weights to node 0's blob server and creates and starts each job through node 0; each
 * owner registers its dataset (once, with the first job) and joins through its own node. The steps
 * are those of the README's multi-process walk-through.
 */
public final class LocalJobs {
  private static final Logger log = LoggerFactory.getLogger(LocalJobs.class);
  private static final Duration TX_TIMEOUT = Duration.ofSeconds(60);
  private static final String FASHION_MNIST = "fashion-mnist: 1x28x28 float in [0,1], 10 classes";
  private static final String LICENCE = "CC-BY-4.0";

  private final LocalNodes nodes;
  private final TxSender sponsor;
  private final List<TxSender> owners = new ArrayList<>();
  private boolean datasetsRegistered;
  private Consumer<RegisterDataset.Builder> datasetFields = dataset -> {};

  public LocalJobs(LocalNodes nodes) throws IOException {
    this.nodes = nodes;
    this.sponsor = nodes.sender(nodes.adminKey(), 0);
    for (int k = 0; k < nodes.owners().size(); k++) {
      owners.add(nodes.sender(nodes.ownerKey(k), nodes.nodeOf(k)));
    }
  }

  /**
   * Sets more fields of every owner's RegisterDataset (e.g. a privacy budget) before it is sent
   * with the first job.
   */
  public LocalJobs optDatasetFields(Consumer<RegisterDataset.Builder> fields) {
    this.datasetFields = fields;
    return this;
  }

  /** Owner k's sender, through its own node. */
  public TxSender owner(int k) {
    return owners.get(k);
  }

  /**
   * Creates a job seeded with seed (its initial weights too), joins every owner in owner order so
   * that owner k is member k, and starts it.
   *
   * @return the job's id
   */
  public Hash createAndStart(JobOptions o, long seed)
      throws TxSender.TxRefusedException, InterruptedException {
    return createAndStart(o, seed, null);
  }

  /**
   * As {@link #createAndStart(JobOptions, long)}, the job fixing how every owner trains (local
   * epochs, batch size, learning rate); null leaves them to each owner's node.
   */
  public Hash createAndStart(JobOptions o, long seed, TrainConfig training)
      throws TxSender.TxRefusedException, InterruptedException {
    return createAndStart(o, seed, training, job -> {});
  }

  /**
   * As {@link #createAndStart(JobOptions, long, TrainConfig)}, with more of the job's fields set by
   * more (e.g. standardize, test_fraction_ppm) before CreateJob is sent. The job names the owners'
   * schema, which they must share.
   */
  public Hash createAndStart(
      JobOptions o, long seed, TrainConfig training, Consumer<CreateJob.Builder> more)
      throws TxSender.TxRefusedException, InterruptedException {
    DatasetSchema schema = sharedSchema();
    List<Hash> registrations = new ArrayList<>();
    for (int k = 0; !datasetsRegistered && k < owners.size(); k++) {
      LocalOwner owner = nodes.owners().get(k);
      DatasetCommitment c = DatasetCommitment.of(owner.data(), schema);
      RegisterDataset.Builder dataset =
          RegisterDataset.newBuilder()
              .setDatasetId(owner.datasetId())
              .setCommitmentHash(c.hash().toByteString())
              .setSampleCount(c.samples())
              .setSchemaHash(schema.hash().toByteString())
              .setSchema(
                  schema.hash().equals(Datasets.FASHION_MNIST_SCHEMA.hash())
                      ? FASHION_MNIST
                      : DatasetRegisterCommand.schemaText(schema))
              .setLicence(LICENCE)
              .addConsent(JobOptions.USE)
              .addConsent("research");
      datasetFields.accept(dataset);
      registrations.add(
          owners
              .get(k)
              .send(RegistryModule.NAME, RegistryModule.REGISTER_DATASET, dataset.build()));
    }
    String specJson = ModelSpecs.toJson(o.model());
    Hash initialWeights =
        BlobUpload.upload(
            sponsor.key(),
            nodes.blobUrl(0),
            Safetensors.write(Models.initialWeights(o.model(), seed)));
    CreateJob.Builder create =
        CreateJob.newBuilder()
            .setModelSpec(specJson)
            .setSpecHash(Sha256.hash(specJson.getBytes(StandardCharsets.UTF_8)).toByteString())
            .setInitialWeightsHash(initialWeights.toByteString())
            .setRounds(o.rounds())
            .setParticipantsPerRound(o.participantsPerRound())
            .setStrategy(o.strategy())
            .setRequiredUse(JobOptions.USE)
            .setMinStake(1)
            .setReward(o.reward())
            .setRoundBlocks(o.roundBlocks())
            .setCommitBlocks(o.commitBlocks())
            .setAttestQuorum(o.attestQuorum())
            .setMinUpdates(o.minUpdates())
            .setLicence(LICENCE)
            .setSchemaHash(schema.hash().toByteString())
            .setSeed(seed);
    if (training != null) {
      create
          .setLocalEpochs(training.epochs())
          .setBatchSize(training.batchSize())
          .setLearningRateMicros(Math.round(training.learningRate() * 1e6));
    }
    more.accept(create);
    Hash createTx =
        sponsor.send(TrainingMessages.MODULE, TrainingMessages.CREATE_JOB, create.build());
    await(sponsor, createTx);
    for (int k = 0; k < registrations.size(); k++) {
      await(owners.get(k), registrations.get(k));
    }
    datasetsRegistered = true;
    // Each owner's node admits its JoinJob against its own committed state, so the job must have
    // reached that node too, not only the sponsor's.
    for (TxSender owner : owners) {
      await(owner, createTx);
    }
    Hash jobId = TrainingModule.jobIdOf(createTx);
    // One after the other: an owner's index in the job seeds its training and places its update
    // in the aggregation order, so owner k must be member k.
    for (int k = 0; k < owners.size(); k++) {
      sendAndWait(
          owners.get(k),
          TrainingMessages.JOIN_JOB,
          JoinJob.newBuilder()
              .setJobId(jobId.toByteString())
              .setDatasetId(nodes.owners().get(k).datasetId())
              .setStake(o.stake())
              .build());
    }
    sendAndWait(
        sponsor,
        TrainingMessages.START_JOB,
        StartJob.newBuilder().setJobId(jobId.toByteString()).build());
    log.info("job {} started", jobId.toHex());
    return jobId;
  }

  /** The schema every owner's data is read under: one for the job, as the chain requires. */
  private DatasetSchema sharedSchema() {
    DatasetSchema first = nodes.owners().get(0).schema();
    for (LocalOwner owner : nodes.owners()) {
      if (!owner.schema().hash().equals(first.hash())) {
        throw new IllegalArgumentException(
            "owner "
                + owner.name()
                + "'s data has schema "
                + owner.schema().hash().toHex()
                + ", not the job's "
                + first.hash().toHex()
                + ": every owner of a job reads its data under one schema");
      }
    }
    return first;
  }

  private static void sendAndWait(TxSender tx, String type, Message m)
      throws TxSender.TxRefusedException, InterruptedException {
    tx.sendAndWait(TrainingMessages.MODULE, type, m, TX_TIMEOUT);
  }

  private static void await(TxSender tx, Hash h)
      throws TxSender.TxRefusedException, InterruptedException {
    var c = tx.chain().awaitCommitted(h, TX_TIMEOUT);
    if (c.isEmpty()) {
      throw new TxSender.TxRefusedException(
          "transaction " + h.toHex() + " did not commit within " + TX_TIMEOUT.toSeconds() + " s");
    }
    if (!c.get().ok()) {
      throw new TxSender.TxRefusedException(
          "transaction " + h.toHex() + " failed: " + c.get().error());
    }
  }
}
