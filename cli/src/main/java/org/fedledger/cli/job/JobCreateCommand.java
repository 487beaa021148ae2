package org.fedledger.cli.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.fedledger.cli.chain.NodeOption;
import org.fedledger.cli.client.NodeClient;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.hash.Sha256;
import org.fedledger.core.proto.training.CreateJob;
import org.fedledger.core.proto.training.DpParams;
import org.fedledger.learning.aggregate.Strategies;
import org.fedledger.learning.data.Datasets;
import org.fedledger.learning.data.schema.DatasetSchema;
import org.fedledger.learning.io.Safetensors;
import org.fedledger.learning.model.ModelSpec;
import org.fedledger.learning.model.ModelSpecs;
import org.fedledger.learning.model.Models;
import org.fedledger.learning.privacy.DpDefaults;
import org.fedledger.learning.privacy.DpStrategies;
import org.fedledger.learning.train.LearningRateSchedule;
import org.fedledger.learning.train.TrainConfig;
import org.fedledger.ledger.training.ScheduleRule;
import org.fedledger.ledger.training.TrainingMessages;
import org.fedledger.ledger.training.TrainingModule;
import org.fedledger.node.keys.KeyFile;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code fedledger job create}: builds the initial weights (Models.initialWeights with --seed),
 * uploads them to a blob server as safetensors, and submits CreateJob escrowing --reward, with
 * --seed also as the job's training seed.
 */
@Command(
    name = "create",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Create a training job: initial weights are uploaded to --blobs, the reward escrowed.",
      "Prints the job id. Start it with `fedledger job start` once enough owners joined.",
      "",
      "Example:",
      "  fedledger job create --key sponsor.key --blobs http://127.0.0.1:7802 --model mlp \\",
      "    --rounds 5 --participants-per-round 3 --strategy fedavg --reward 100000 \\",
      "    --round-blocks 200 --required-use model-training:fashion-mnist",
      "  With differential privacy, each dataset spending at most epsilon 3 (delta 1e-5):",
      "    ... --dp-epsilon 3 --dp-delta 1e-5 [--dp-clip 1.0 --dp-sample-rate 0.01 --dp-steps 100]",
      "  (the learning rate then falls along a cosine over the rounds unless --lr-schedule says"
          + " otherwise)"
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:job created", "1:refused or failed", "2:invalid options"})
public final class JobCreateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin NodeOption node;

  @Option(names = "--key", required = true, description = "Sponsor's key file.")
  Path key;

  @Option(
      names = "--blobs",
      required = true,
      description =
          "Blob server URL that stores and serves the initial weights: a node's blobAddress"
              + " whose blobUploaders list your key.")
  String blobs;

  @Option(
      names = "--model",
      required = true,
      description =
          "A preset (logreg or linear, mlp, mlp:64,32, cnn, cnn:128) or a model spec JSON file."
              + " With --schema a preset takes its input shape and classes or outputs from it.")
  String model;

  @Option(
      names = "--schema",
      paramLabel = "FILE",
      description =
          "The dataset schema the job's owners read their data under (see `fedledger dataset"
              + " schema`), or fashion-mnist; a preset takes its input shape and classes or"
              + " outputs from it, a model spec file must fit it.")
  String schema;

  @Option(names = "--rounds", required = true, description = "Rounds, 1-10000.")
  long rounds;

  @Option(
      names = "--participants-per-round",
      required = true,
      description = "Owners selected per round.")
  long participantsPerRound;

  @Option(
      names = "--strategy",
      defaultValue = "fedavg",
      description =
          "Aggregation strategy, e.g. fedavg, multi-krum:3; dp-bounded or dp-evidence for DP jobs (default:"
              + " ${DEFAULT-VALUE}).")
  String strategy;

  @Option(names = "--reward", required = true, description = "Tokens escrowed for rewards.")
  long reward;

  @Option(names = "--round-blocks", required = true, description = "Blocks a round stays open.")
  long roundBlocks;

  @Option(
      names = "--commit-blocks",
      description = "Blocks to commit and attest after a round closes (default: --round-blocks).")
  Long commitBlocks;

  @Option(
      names = "--required-use",
      required = true,
      description = "Consent term a joining dataset must allow.")
  String requiredUse;

  @Option(names = "--min-stake", defaultValue = "1", description = "Stake to join (default: 1).")
  long minStake;

  @Option(
      names = "--attest-quorum",
      defaultValue = "0",
      description = "Attestations that finalize a round; 0 = a validator majority.")
  long attestQuorum;

  @Option(
      names = "--min-updates",
      defaultValue = "0",
      description = "Fewest updates a round may commit with; 0 = 1.")
  long minUpdates;

  @Option(names = "--licence", defaultValue = "CC-BY-4.0", description = "Model licence.")
  String licence;

  @Option(names = "--parent-model", defaultValue = "", description = "Model id to fine-tune.")
  String parentModel;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description =
          "Seed of the initial weights and of the participants' local training"
              + " (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--local-epochs",
      defaultValue = "0",
      description =
          "Passes over its data each participant makes per round, 1-100 (default: 0 ="
              + " each participant's own setting, 1 for `node start`).")
  int localEpochs;

  @Option(
      names = "--batch",
      defaultValue = "0",
      description = "Participants' minibatch size, 1-65536 (default: 0 = their own, 32).")
  int batchSize;

  @Option(
      names = "--lr",
      description =
          "Participants' SGD learning rate, e.g. 0.05; recorded in millionths (default: their"
              + " own, 0.05; with DP, "
              + DpDefaults.STEP_FACTOR
              + " × 0.05 / --dp-clip, as DP-SGD's clipped steps are shorter).")
  Double learningRate;

  @Option(
      names = "--lr-schedule",
      paramLabel = "S",
      description =
          "How the participants' learning rate changes over the rounds: constant, exp:G (times G"
              + " each round, 0 < G <= 1) or cosine[:F] (from the rate in round 1 down to F times"
              + " it in the last along half a cosine, 0 <= F <= 1; default 0) (default: with DP, "
              + DpDefaults.SCHEDULE
              + ", as the noise the last rounds add is what stays in the model; else constant).")
  String lrSchedule;

  @Option(
      names = "--standardize",
      description =
          "Federated standardization (tables): before round 1 every owner reports its feature"
              + " statistics, validators combine and attest them, and all owners train on that"
              + " one standardization; the exported model takes raw features.")
  boolean standardize;

  @Option(
      names = "--test-fraction",
      paramLabel = "F",
      defaultValue = "0",
      description =
          "Federated evaluation: the share of its samples, 0 <= F < 1 (e.g. 0.2), each owner holds"
              + " out as its seeded local test split and evaluates every round's model on;"
              + " the job's metrics are their sample-weighted mean (default: ${DEFAULT-VALUE},"
              + " none).")
  double testFraction;

  @Option(names = "--timeout", defaultValue = "60", description = "Seconds to wait for the commit.")
  int timeoutSeconds;

  @Mixin DpOptions dp;

  @Override
  public Integer call() throws Exception {
    ModelSpec spec = modelSpec();
    DatasetSchema dataSchema = schema == null ? null : SchemaFit.check(this.spec, schema, spec);
    check(rounds >= 1 && rounds <= 10_000, "--rounds must be 1-10000");
    check(participantsPerRound >= 1, "--participants-per-round must be at least 1");
    check(reward >= 1, "--reward must be at least 1");
    check(roundBlocks >= 1, "--round-blocks must be at least 1");
    check(minStake >= 0 && attestQuorum >= 0 && minUpdates >= 0, "counts must not be negative");
    // The chain's own limits, checked here too so that a bad value fails before anything is signed.
    check(
        localEpochs >= 0 && localEpochs <= TrainingModule.MAX_LOCAL_EPOCHS,
        "--local-epochs must be 1-" + TrainingModule.MAX_LOCAL_EPOCHS);
    check(
        batchSize >= 0 && batchSize <= TrainingModule.MAX_BATCH_SIZE,
        "--batch must be 1-" + TrainingModule.MAX_BATCH_SIZE);
    long testFractionPpm = testFractionPpm();
    Optional<DpParams> dpParams = dp.params(this.spec, rounds);
    long rateMicros = learningRateMicros(learningRate, dpParams);
    check(
        (learningRate == null && rateMicros == 0)
            || (rateMicros >= 1 && rateMicros <= TrainingModule.MAX_LEARNING_RATE_MICROS),
        (learningRate == null
                ? "the DP learning rate " + rateMicros / 1e6 + " (from --dp-clip)"
                : "--lr")
            + " must be between 0.000001 and "
            + TrainingModule.MAX_LEARNING_RATE_MICROS / 1_000_000);
    String schedule = learningRateSchedule(lrSchedule, dpParams.isPresent());
    try {
      Strategies.check(strategy, dpParams.isPresent());
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(
          this.spec.commandLine(), "--strategy: " + e.getMessage());
    }
    // dp-bounded's bounds scale with the learning rate, so every verifier must know the one the
    // owners train with: the job fixes it rather than leaving it to each owner.
    check(
        !Strategies.needsDp(strategy) || learningRate != null,
        "--strategy " + strategy + " needs --lr: its bounds scale with the owners' learning rate");
    if (dpParams.isPresent()) {
      Optional<String> unsuited = DpStrategies.problem(strategy);
      if (unsuited.isPresent()) {
        throw new CommandLine.ParameterException(
            this.spec.commandLine(), "--strategy " + strategy + " with DP: " + unsuited.get());
      }
    }
    Ed25519KeyPair sponsor = KeyFile.load(key);
    String specJson = ModelSpecs.toJson(spec);
    byte[] initial = Safetensors.write(Models.initialWeights(spec, seed));
    Hash initialHash = BlobUpload.upload(sponsor, blobs, initial);
    CreateJob create =
        CreateJob.newBuilder()
            .setModelSpec(specJson)
            .setSpecHash(bytes(Sha256.hash(specJson.getBytes(StandardCharsets.UTF_8))))
            .setInitialWeightsHash(bytes(initialHash))
            .setRounds(rounds)
            .setParticipantsPerRound(participantsPerRound)
            .setStrategy(strategy)
            .setRequiredUse(requiredUse)
            .setMinStake(minStake)
            .setReward(reward)
            .setRoundBlocks(roundBlocks)
            .setCommitBlocks(commitBlocks == null ? roundBlocks : commitBlocks)
            .setAttestQuorum(attestQuorum)
            .setMinUpdates(minUpdates)
            .setLicence(licence)
            .setParentModelId(parentModel)
            .setSeed(seed)
            .setLocalEpochs(localEpochs)
            .setBatchSize(batchSize)
            .setLearningRateMicros(rateMicros)
            .setLearningRateSchedule(schedule)
            .setStandardize(standardize)
            .setTestFractionPpm(testFractionPpm)
            // With a schema the chain refuses, at JoinJob, datasets registered under another.
            .setSchemaHash(dataSchema == null ? ByteString.EMPTY : dataSchema.hash().toByteString())
            .build();
    if (dpParams.isPresent()) {
      create = create.toBuilder().setDp(dpParams.get()).build();
    }
    NodeClient client = node.client();
    JsonNode tx =
        new ChainTx(client, sponsor)
            .submitAndWait(
                TrainingMessages.MODULE,
                TrainingMessages.CREATE_JOB,
                create,
                Duration.ofSeconds(timeoutSeconds));
    String txHash = tx.path("receipt").path("txHash").asText(tx.path("hash").asText());
    Hash jobId = TrainingModule.jobIdOf(Hash.fromHex(txHash));
    ObjectNode out = NodeClient.JSON.createObjectNode();
    out.put("jobId", jobId.toHex());
    out.put("txHash", txHash);
    out.put("initialWeightsHash", initialHash.toHex());
    out.put("model", specJson);
    if (dataSchema != null) {
      out.put("schemaHash", dataSchema.hash().toHex());
    }
    out.put("blobs", blobs);
    out.put("learningRateSchedule", schedule.isEmpty() ? "constant" : schedule);
    dpParams.ifPresent(p -> DpOptions.describe(p, rounds, out.putObject("dp")));
    this.spec.commandLine().getOut().println(NodeClient.pretty(out));
    this.spec.commandLine().getOut().flush();
    return 0;
  }

  /**
   * The rate the job fixes, in millionths: --lr, or for a DP job without it {@link DpDefaults}'
   * rate for the owners' own default, since clipped steps at a plain rate are far too short; 0
   * (each owner's own) for a plain job without --lr.
   */
  static long learningRateMicros(Double given, Optional<DpParams> dp) {
    if (given != null) {
      return Math.round(given * 1e6);
    }
    if (dp.isEmpty()) {
      return 0;
    }
    double plain = TrainConfig.defaults().learningRate();
    return Math.round(DpDefaults.learningRate(plain, dp.get().getClipNormMicros() / 1e6) * 1e6);
  }

  /**
   * The schedule the job records: --lr-schedule in lowercase, refused here with the reason if
   * learning or the chain would refuse it; without it {@link DpDefaults#SCHEDULE} for a DP job, as
   * {@code simulate} and {@code bench privacy} train DP-SGD, and empty (constant, as every job
   * before schedules) for a plain one.
   */
  String learningRateSchedule(String given, boolean dp) {
    if (given == null) {
      return dp ? DpDefaults.SCHEDULE : "";
    }
    String normalized = given.trim().toLowerCase(Locale.ROOT);
    try {
      LearningRateSchedule.parse(normalized);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--lr-schedule: " + e.getMessage());
    }
    Optional<String> refused = ScheduleRule.problem(normalized);
    if (refused.isPresent()) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--lr-schedule: the chain refuses it: " + refused.get());
    }
    return normalized;
  }

  /** The job's model: a preset or spec file, fitted to or checked against --schema if given. */
  ModelSpec modelSpec() throws IOException {
    Optional<DatasetSchema> datasetSchema = datasetSchema();
    Path file = Path.of(model);
    try {
      if (Files.isRegularFile(file)) {
        String json = Files.readString(file);
        return datasetSchema.isPresent()
            ? ModelSpecs.parse(json.trim(), datasetSchema.get())
            : ModelSpecs.fromJson(json);
      }
      if (datasetSchema.isPresent()) {
        return ModelSpecs.preset(model, datasetSchema.get());
      }
      return ModelSpecs.preset(model);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          Files.exists(file)
              ? "--model " + model + ": " + e.getMessage()
              : "--model must be one of the presets or a model spec file; "
                  + model
                  + ": "
                  + e.getMessage()
                  + " (not a file either)");
    }
  }

  /**
   * --test-fraction in millionths, as the chain records it: at least 0 and below 1, as an owner
   * must keep samples to train on, and 0 or at least one millionth, so that a split asked for is
   * one.
   */
  private long testFractionPpm() {
    long ppm = Math.round(testFraction * 1e6);
    check(
        testFraction >= 0 && testFraction < 1 && ppm < 1_000_000,
        "--test-fraction must be at least 0 and below 1 (the share of its samples each owner holds"
            + " out to evaluate on; the rest it trains on), got "
            + testFraction);
    check(
        testFraction == 0 || ppm >= 1,
        "--test-fraction must be 0 (no local test split) or at least 0.000001, got "
            + testFraction);
    return ppm;
  }

  private Optional<DatasetSchema> datasetSchema() {
    if (schema == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Datasets.schema(schema));
    } catch (IOException | IllegalArgumentException e) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--schema " + schema + ": " + e.getMessage(), e);
    }
  }

  private void check(boolean ok, String message) {
    if (!ok) {
      throw new CommandLine.ParameterException(spec.commandLine(), message);
    }
  }

  static ByteString bytes(Hash h) {
    return h.toByteString();
  }
}
