package org.fedledger.cli.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.fedledger.cli.FedledgerCommand;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.hash.Sha256;
import org.fedledger.core.proto.training.Job;
import org.fedledger.learning.data.CsvReader;
import org.fedledger.learning.data.DatasetCommitment;
import org.fedledger.learning.data.Datasets;
import org.fedledger.learning.data.LabeledData;
import org.fedledger.learning.data.SchemaInference;
import org.fedledger.learning.data.schema.DatasetSchema;
import org.fedledger.learning.data.schema.DatasetSchemaJson;
import org.fedledger.learning.train.TrainConfig;
import org.fedledger.ledger.Ledger;
import org.fedledger.node.ConsensusBackend;
import org.fedledger.node.agent.JobOptions;
import org.fedledger.node.agent.OwnerData;
import org.fedledger.node.agent.TrainingState;
import org.fedledger.node.api.ApiServer;
import org.fedledger.node.config.DataDirectory;
import org.fedledger.node.config.HostPort;
import org.fedledger.node.keys.KeyFile;
import org.fedledger.node.metrics.NodeMetrics;
import org.fedledger.node.testing.TrainingNetwork;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/**
 * The training commands against a real in-process network (three validators, Raft over loopback,
 * RocksDB, agents, blob servers) with its REST API: one two-round job runs once; then job status,
 * dataset register, job create, model verify and export, and finally a tampered blob.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(120)
class TrainingCommandsTest {
  private static final long SEED = 7;

  private Path dir;

  private TrainingNetwork net;
  private ApiServer api;
  private String nodeUrl;
  private Hash jobId;
  private String modelId;
  private Path validatorKey;
  private Path ownerKey;
  private Path sponsorKey;

  private StringWriter out;
  private StringWriter err;

  @BeforeAll
  void startNetworkAndRunAJob() throws Exception {
    dir = Files.createTempDirectory("training-commands");
    LabeledData[] parts =
        OwnerData.dirichlet(Datasets.fashionMnist(Optional.empty()).train(), 3, 300, 0.5, SEED);
    List<TrainingNetwork.Owner> owners = new ArrayList<>();
    for (int i = 0; i < parts.length; i++) {
      owners.add(new TrainingNetwork.Owner("p" + (i + 1), parts[i], null));
    }
    net =
        TrainingNetwork.start(
            dir.resolve("net"), 3, owners, SEED, null, null, TrainConfig.defaults());
    NodeMetrics metrics = new NodeMetrics(() -> 0, () -> net.node().height());
    api =
        new ApiServer(new ConsensusBackend(net.node()), metrics)
            .start(HostPort.parse("127.0.0.1:0"));
    nodeUrl = "http://127.0.0.1:" + api.port();
    validatorKey = save("validator.key", net.validators().get(0).key());
    ownerKey = save("owner.key", net.participants().get(0).key());
    // The network's sponsor key, derived as TrainingNetwork derives it (role 3, index 0).
    sponsorKey =
        save(
            "sponsor.key",
            Ed25519KeyPair.fromSeed(
                Sha256.hash(ByteBuffer.allocate(20).putLong(SEED).putInt(3).putInt(0).array())
                    .toByteArray()));
    // The job runs through the CLI: owners register and join, the sponsor creates and starts.
    List<Path> ownerKeys = new ArrayList<>();
    for (int i = 0; i < owners.size(); i++) {
      Path k = save("owner-" + i + ".key", net.participants().get(i).key());
      ownerKeys.add(k);
      Path ownerData = dir.resolve("owner-" + i);
      DataDirectory.write(ownerData, DataDirectory.Part.TRAIN, parts[i]);
      cli(
          "dataset",
          "register",
          "--node",
          nodeUrl,
          "--key",
          k.toString(),
          "--id",
          net.participants().get(i).datasetId(),
          "--data",
          ownerData.toString(),
          "--schema",
          "fashion-mnist",
          "--licence",
          "CC-BY-4.0",
          "--consent",
          JobOptions.USE);
    }
    cli(
        "job",
        "create",
        "--node",
        nodeUrl,
        "--key",
        sponsorKey.toString(),
        "--blobs",
        net.sponsorBlobUrl(),
        "--model",
        "logreg",
        "--rounds",
        "2",
        "--participants-per-round",
        "3",
        "--strategy",
        "fedavg",
        "--reward",
        "90000",
        "--round-blocks",
        "200",
        "--attest-quorum",
        "1",
        "--min-updates",
        "3",
        "--seed",
        Long.toString(SEED),
        "--local-epochs",
        "2",
        "--batch",
        "16",
        "--lr",
        "0.1",
        "--required-use",
        JobOptions.USE);
    jobId = Hash.fromHex(new ObjectMapper().readTree(out.toString()).path("jobId").asText());
    for (int i = 0; i < owners.size(); i++) {
      cli(
          "job",
          "join",
          jobId.toHex(),
          "--node",
          nodeUrl,
          "--key",
          ownerKeys.get(i).toString(),
          "--dataset",
          net.participants().get(i).datasetId(),
          "--stake",
          "1000");
    }
    cli("job", "start", jobId.toHex(), "--node", nodeUrl, "--key", sponsorKey.toString());
    long deadline = System.nanoTime() + 90_000_000_000L;
    Job job;
    do {
      Thread.sleep(100);
      job = new TrainingState(net.ledger()).job(jobId).orElseThrow();
    } while (job.getModelId().isEmpty() && System.nanoTime() < deadline);
    modelId = job.getModelId();
    assertThat(modelId).as("the job completed and registered a model").isNotEmpty();
  }

  /** The owner's samples as CSV rows (label, then features): what its commitment covers. */
  private void cli(String... args) {
    assertThat(run(args)).as("%s%n%s", String.join(" ", args), both()).isZero();
  }

  @AfterAll
  void stop() {
    if (api != null) {
      api.close();
    }
    if (net != null) {
      net.close();
    }
    if (dir != null) {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }

  private Path save(String name, Ed25519KeyPair key) throws Exception {
    Path p = dir.resolve("keys").resolve(name);
    KeyFile.save(p, key);
    return p;
  }

  private int run(String... args) {
    out = new StringWriter();
    err = new StringWriter();
    CommandLine cli = FedledgerCommand.newCommandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  /** {@code job create} for 2 participants per round, 1 token, 5 blocks, with model and rounds. */
  private int createJobWith(String model, String rounds, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "job",
                "create",
                "--node",
                nodeUrl,
                "--key",
                sponsorKey.toString(),
                "--blobs",
                net.sponsorBlobUrl(),
                "--model",
                model,
                "--rounds",
                rounds,
                "--participants-per-round",
                "2",
                "--reward",
                "1",
                "--round-blocks",
                "5",
                "--required-use",
                "u"));
    args.addAll(List.of(more));
    return run(args.toArray(new String[0]));
  }

  private String both() {
    return "stdout:\n" + out + "\nstderr:\n" + err;
  }

  @Test
  @Order(1)
  void jobStatusShowsRoundsScoresAndRewards() throws Exception {
    assertThat(run("job", "status", jobId.toHex(), "--node", nodeUrl)).as(both()).isZero();
    assertThat(out.toString())
        .contains("JOB_COMPLETED", "ROUND_FINAL", "score", modelId, "participant")
        .contains("training   lr 0.1, schedule constant, epochs 2, batch 16\n");
    assertThat(run("job", "status", jobId.toHex(), "--node", nodeUrl, "--json"))
        .as(both())
        .isZero();
    JsonNode json = new ObjectMapper().readTree(out.toString());
    assertThat(json.path("rounds")).hasSize(2);
    assertThat(json.path("participants")).hasSize(3);
    JsonNode spec = json.path("job").path("spec");
    assertThat(spec.path("localEpochs").asLong()).as(spec.toString()).isEqualTo(2);
    assertThat(spec.path("batchSize").asLong()).isEqualTo(16);
    assertThat(spec.path("learningRateMicros").asLong()).isEqualTo(100_000);
  }

  @Test
  @Order(2)
  void jobStatusOfAnUnknownJobFails() {
    assertThat(run("job", "status", "ab".repeat(32), "--node", nodeUrl)).isEqualTo(1);
    assertThat(err.toString()).contains("no job");
    assertThat(run("job", "status", "not-hex", "--node", nodeUrl)).isEqualTo(2);
    assertThat(err.toString()).contains("JOB_ID must be 64 hex digits");
    // job join waits a little for a job to reach its node, then says it knows none.
    assertThat(
            run(
                "job",
                "join",
                "ab".repeat(32),
                "--node",
                nodeUrl,
                "--key",
                ownerKey.toString(),
                "--dataset",
                "d",
                "--stake",
                "1"))
        .isEqualTo(1);
    assertThat(err.toString()).contains("the node knows no job " + "ab".repeat(32));
  }

  @Test
  @Order(3)
  void datasetRegisterCommitsToTheSamplesReadUnderTheSchema() throws Exception {
    Path csv = dir.resolve("data.csv");
    Files.writeString(csv, "label,x1,x2\n1,0.5,0.25\n0,0.1,0.2\n");
    Path schemaFile = dir.resolve("data.schema.json");
    DatasetSchema schema = SchemaInference.infer(csv, List.of("label"), Optional.empty());
    DatasetSchemaJson.write(schema, schemaFile);
    int code =
        run(
            "dataset",
            "register",
            "--node",
            nodeUrl,
            "--key",
            ownerKey.toString(),
            "--id",
            "cli-ds-1",
            "--data",
            csv.toString(),
            "--schema",
            schemaFile.toString(),
            "--licence",
            "CC-BY-4.0",
            "--consent",
            "research,model-training:test");
    assertThat(code).as(both()).isZero();
    JsonNode printed = new ObjectMapper().readTree(out.toString());
    assertThat(printed.path("sampleCount").asLong()).isEqualTo(2);
    assertThat(printed.path("commitmentHash").asText())
        .isEqualTo(DatasetCommitment.of(CsvReader.read(csv, schema), schema).hash().toHex());
    assertThat(printed.path("schemaHash").asText()).isEqualTo(schema.hash().toHex());
    JsonNode onChain =
        new ObjectMapper().readTree(java.net.URI.create(nodeUrl + "/v1/datasets/cli-ds-1").toURL());
    assertThat(onChain.toString()).contains(printed.path("commitmentHash").asText());
    // The same id again is refused by the chain.
    int again =
        run(
            "dataset",
            "register",
            "--node",
            nodeUrl,
            "--key",
            ownerKey.toString(),
            "--id",
            "cli-ds-1",
            "--data",
            csv.toString(),
            "--schema",
            schemaFile.toString(),
            "--licence",
            "l",
            "--consent",
            "research");
    assertThat(again).isEqualTo(1);
  }

  @Test
  @Order(4)
  void jobCreateUploadsInitialWeightsAndOpensAJob() throws Exception {
    int code =
        run(
            "job",
            "create",
            "--node",
            nodeUrl,
            "--key",
            sponsorKey.toString(),
            "--blobs",
            net.sponsorBlobUrl(),
            "--model",
            "logreg",
            "--rounds",
            "2",
            "--participants-per-round",
            "2",
            "--strategy",
            "fedavg",
            "--reward",
            "1000",
            "--round-blocks",
            "50",
            "--required-use",
            JobOptions.USE,
            "--seed",
            "3");
    assertThat(code).as(both()).isZero();
    JsonNode created = new ObjectMapper().readTree(out.toString());
    String newJob = created.path("jobId").asText();
    assertThat(run("job", "status", newJob, "--node", nodeUrl, "--json")).as(both()).isZero();
    JsonNode status = new ObjectMapper().readTree(out.toString());
    assertThat(status.path("job").path("status").asText()).isEqualTo("JOB_OPEN");
    String dataset = net.participants().get(0).datasetId();
    assertThat(
            run(
                "job",
                "join",
                newJob,
                "--node",
                nodeUrl,
                "--key",
                ownerKey.toString(),
                "--dataset",
                dataset,
                "--stake",
                "10"))
        .as(both())
        .isZero();
    assertThat(run("job", "status", newJob, "--node", nodeUrl)).as(both()).isZero();
    assertThat(out.toString()).contains(dataset);
    assertThat(status.path("job").path("spec").path("initialWeightsHash").asText())
        .isEqualTo(created.path("initialWeightsHash").asText());
    // --seed is the job's training seed too.
    assertThat(status.path("job").path("spec").path("seed").asLong()).isEqualTo(3);
    // Never started: --wait gives up after its timeout, saying so.
    assertThat(run("job", "status", newJob, "--node", nodeUrl, "--wait", "--timeout", "1"))
        .isEqualTo(1);
    assertThat(out.toString()).startsWith("JOB_OPEN");
    assertThat(err.toString()).contains("is still JOB_OPEN after 1 s");
  }

  @Test
  @Order(4)
  void jobCreateRecordsStandardizeAndTheTestFraction() throws Exception {
    assertThat(createJobWith("logreg", "1", "--standardize", "--test-fraction", "0.2"))
        .as(both())
        .isZero();
    String created = new ObjectMapper().readTree(out.toString()).path("jobId").asText();
    Job job = new TrainingState(net.ledger()).job(Hash.fromHex(created)).orElseThrow();
    assertThat(job.getSpec().getStandardize()).isTrue();
    assertThat(job.getSpec().getTestFractionPpm()).isEqualTo(200_000);
    // Without them: no statistics step, no local test split.
    assertThat(createJobWith("logreg", "1")).as(both()).isZero();
    String plain = new ObjectMapper().readTree(out.toString()).path("jobId").asText();
    Job without = new TrainingState(net.ledger()).job(Hash.fromHex(plain)).orElseThrow();
    assertThat(without.getSpec().getStandardize()).isFalse();
    assertThat(without.getSpec().getTestFractionPpm()).isZero();
  }

  @Test
  @Order(4)
  void jobCreateRecordsTheScheduleCosineForADpJobAndNoneForAPlainOne() throws Exception {
    assertThat(createJobWith("logreg", "3", "--dp-epsilon", "3")).as(both()).isZero();
    JsonNode created = new ObjectMapper().readTree(out.toString());
    assertThat(created.path("learningRateSchedule").asText()).isEqualTo("cosine");
    Job dp =
        new TrainingState(net.ledger())
            .job(Hash.fromHex(created.path("jobId").asText()))
            .orElseThrow();
    assertThat(dp.getSpec().getLearningRateSchedule()).isEqualTo("cosine");
    assertThat(run("job", "status", created.path("jobId").asText(), "--node", nodeUrl))
        .as(both())
        .isZero();
    assertThat(out.toString())
        .contains("training   lr 0.8, schedule cosine, epochs own, batch own, DP-SGD");

    assertThat(createJobWith("logreg", "3", "--dp-noise", "1.1", "--lr-schedule", "exp:0.9"))
        .as(both())
        .isZero();
    String given = new ObjectMapper().readTree(out.toString()).path("jobId").asText();
    assertThat(
            new TrainingState(net.ledger())
                .job(Hash.fromHex(given))
                .orElseThrow()
                .getSpec()
                .getLearningRateSchedule())
        .isEqualTo("exp:0.9");

    // A plain job records none (constant), as every job before schedules did.
    assertThat(createJobWith("logreg", "3")).as(both()).isZero();
    JsonNode plain = new ObjectMapper().readTree(out.toString());
    assertThat(plain.path("learningRateSchedule").asText()).isEqualTo("constant");
    assertThat(
            new TrainingState(net.ledger())
                .job(Hash.fromHex(plain.path("jobId").asText()))
                .orElseThrow()
                .getSpec()
                .getLearningRateSchedule())
        .isEmpty();
  }

  @Test
  @Order(5)
  void badOptionsExitTwoWithAClearMessage() {
    int jobsBefore = new TrainingState(net.ledger()).jobs().size();
    assertThat(createJobWith("logreg", "0")).isEqualTo(2);
    assertThat(err.toString()).contains("--rounds must be 1-10000");
    assertThat(createJobWith("nosuch", "1")).isEqualTo(2);
    assertThat(err.toString()).contains("--model must be one of");
    assertThat(createJobWith("logreg", "1", "--strategy", "bogus")).isEqualTo(2);
    assertThat(err.toString()).contains("--strategy");
    assertThat(createJobWith("logreg", "1", "--lr", "0")).isEqualTo(2);
    assertThat(err.toString()).contains("--lr must be between 0.000001 and 10");
    assertThat(createJobWith("logreg", "1", "--local-epochs", "101")).isEqualTo(2);
    assertThat(err.toString()).contains("--local-epochs must be 1-100");
    assertThat(createJobWith("logreg", "1", "--batch", "-1")).isEqualTo(2);
    assertThat(err.toString()).contains("--batch must be 1-65536");
    assertThat(new TrainingState(net.ledger()).jobs())
        .as("no refused job create reached the chain")
        .hasSize(jobsBefore);
    assertThat(
            run(
                "dataset",
                "register",
                "--node",
                nodeUrl,
                "--key",
                ownerKey.toString(),
                "--id",
                "x",
                "--schema",
                "s",
                "--licence",
                "l",
                "--consent",
                "c"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("--data", "--embedded");
    assertThat(
            run(
                "model",
                "export",
                modelId,
                "--node",
                nodeUrl,
                "--key",
                validatorKey.toString(),
                "--format",
                "onnx",
                "--out",
                dir.resolve("m.onnx").toString()))
        .isEqualTo(2);
    assertThat(err.toString()).contains("only safetensors");
  }

  @Test
  @Order(6)
  void missingKeyFileIsNamed() {
    int code =
        run(
            "model",
            "verify",
            modelId,
            "--node",
            nodeUrl,
            "--key",
            dir.resolve("nokey").toString());
    assertThat(code).isEqualTo(1);
    assertThat(err.toString()).contains("nokey", "key file not found");
  }

  @Test
  @Order(7)
  void unknownModelFails() {
    assertThat(
            run(
                "model",
                "verify",
                "no-such-model",
                "--node",
                nodeUrl,
                "--key",
                validatorKey.toString()))
        .isEqualTo(1);
    assertThat(err.toString()).contains("no model no-such-model");
  }

  @Test
  @Order(8)
  void verifyReplaysTheLineageAndSaysValid() throws Exception {
    Path report = dir.resolve("audit.json");
    int code =
        run(
            "model",
            "verify",
            modelId,
            "--node",
            nodeUrl,
            "--key",
            validatorKey.toString(),
            "--peer",
            net.sponsorBlobUrl(),
            "--json",
            report.toString());
    assertThat(code).as(both()).isZero();
    assertThat(out.toString()).contains("model " + modelId + ": valid", "datasets:", "rounds:");
    JsonNode r = new ObjectMapper().readTree(report.toFile());
    assertThat(r.path("verdict").asText()).isEqualTo("valid");
    assertThat(r.path("rounds")).hasSize(2);
    assertThat(r.path("datasets")).hasSize(3);
    assertThat(r.path("rounds").get(0).path("attesters")).isNotEmpty();
  }

  @Test
  @Order(9)
  void exportWritesTheWeightsTheChainRecords() throws Exception {
    Path file = dir.resolve("out").resolve("model.safetensors");
    int code =
        run(
            "model",
            "export",
            modelId,
            "--node",
            nodeUrl,
            "--key",
            validatorKey.toString(),
            "--format",
            "safetensors",
            "--out",
            file.toString());
    assertThat(code).as(both()).isZero();
    Ledger ledger = net.ledger();
    Job job = new TrainingState(ledger).job(jobId).orElseThrow();
    String expected =
        HexFormat.of()
            .formatHex(
                new TrainingState(ledger)
                    .round(jobId, job.getCurrentRound())
                    .orElseThrow()
                    .getCommit()
                    .getAggregateHash()
                    .toByteArray());
    assertThat(Sha256.hash(Files.readAllBytes(file)).toHex()).isEqualTo(expected);
    org.fedledger.learning.io.Safetensors.read(file);
  }

  @Test
  @Order(10)
  void aTamperedBlobMakesTheModelInvalid() throws Exception {
    Job job = new TrainingState(net.ledger()).job(jobId).orElseThrow();
    String round1 =
        HexFormat.of()
            .formatHex(
                new TrainingState(net.ledger())
                    .round(jobId, 1)
                    .orElseThrow()
                    .getCommit()
                    .getAggregateHash()
                    .toByteArray());
    assertThat(job.getCurrentRound()).isEqualTo(2);
    int tampered = 0;
    try (Stream<Path> files = Files.walk(dir.resolve("net"))) {
      for (Path p : files.filter(f -> f.getFileName().toString().equals(round1)).toList()) {
        byte[] b = Files.readAllBytes(p);
        b[b.length - 1] ^= 1;
        Files.write(p, b);
        tampered++;
      }
    }
    assertThat(tampered).isPositive();
    int code =
        run(
            "model",
            "verify",
            modelId,
            "--node",
            nodeUrl,
            "--key",
            validatorKey.toString(),
            "--peer",
            net.sponsorBlobUrl());
    assertThat(code).as(both()).isEqualTo(1);
    assertThat(out.toString()).contains(": invalid", "first failing check:", round1);
  }
}
