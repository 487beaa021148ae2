package org.fedledger.cli.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.fedledger.cli.CommandFailedException;
import org.fedledger.cli.client.NodeClient;
import org.fedledger.cli.nemesis.NodeProcess;
import org.fedledger.cli.testing.CliRun;
import org.fedledger.core.hash.Sha256;
import org.fedledger.learning.data.DatasetCommitment;
import org.fedledger.learning.data.Datasets;
import org.fedledger.learning.data.IdxFolder;
import org.fedledger.testkit.FreePorts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "Training across processes", command for command: {@code fedledger init --owners 3},
 * {@code dataset split}, three {@code node start} processes (each a validator with one data owner's
 * participant agent), then dataset register, job create (initial weights uploaded to node-0's blob
 * server), job join through each owner's own node, job start, {@code job status --wait}, and {@code
 * model verify} against another node, which must say valid, and {@code model export}. The nodes'
 * logs are copied to {@code target/multi-process/}.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class MultiProcessTrainingTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int NODES = 3;
  private static final String USE = "model-training:fashion-mnist";

  @TempDir Path dir;
  private final List<NodeProcess> nodes = new ArrayList<>();
  private int base;

  @AfterEach
  void killEveryProcessAndKeepTheLogs() throws Exception {
    for (NodeProcess n : nodes) {
      n.kill();
    }
    Path logs = Files.createDirectories(Path.of("target", "multi-process"));
    for (int i = 0; i < nodes.size(); i++) {
      if (Files.exists(nodes.get(i).log())) {
        Files.copy(
            nodes.get(i).log(),
            logs.resolve("node-" + i + ".log"),
            StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  @Test
  void aJobRunsAcrossThreeNodeProcessesAndItsModelVerifiesAgainstAPeer() throws Exception {
    base = FreePorts.consecutive(3 * NODES);
    Path net = dir.resolve("net3");
    cli(
        "init",
        "--validators",
        "3",
        "--chain-id",
        "multi",
        "--dir",
        net.toString(),
        "--base-port",
        Integer.toString(base),
        "--owners",
        "3");
    Path data = net.resolve("data");
    cli(
        "dataset",
        "split",
        "--owners",
        "3",
        "--partition",
        "dirichlet:0.5",
        "--samples",
        "900",
        "--seed",
        "1",
        "--out",
        data.toString());
    for (int i = 0; i < NODES; i++) {
      nodes.add(new NodeProcess(net.resolve("node-" + i).resolve("node.json")).start());
    }
    awaitLeader();

    String admin = net.resolve("keys/admin.json").toString();
    for (int k = 0; k < NODES; k++) {
      Path ownerData = data.resolve("owner-" + k);
      JsonNode registered =
          json(
              cli(
                  "dataset",
                  "register",
                  "--node",
                  api(k),
                  "--key",
                  ownerKey(net, k),
                  "--id",
                  "owner-" + k,
                  "--data",
                  ownerData.toString(),
                  "--schema",
                  "fashion-mnist",
                  "--licence",
                  "CC-BY-4.0",
                  "--consent",
                  USE));
      // The commitment covers the samples as the node's participant agent reads them.
      assertThat(registered.path("commitmentHash").asText())
          .isEqualTo(
              DatasetCommitment.of(
                      IdxFolder.read(ownerData, Datasets.FASHION_MNIST_SCHEMA),
                      Datasets.FASHION_MNIST_SCHEMA)
                  .hash()
                  .toHex());
    }
    String job =
        json(cli(
                "job",
                "create",
                "--node",
                api(0),
                "--key",
                admin,
                "--blobs",
                blobs(0),
                "--model",
                "logreg",
                "--rounds",
                "3",
                "--participants-per-round",
                "3",
                "--strategy",
                "fedavg",
                "--reward",
                "90000",
                "--round-blocks",
                "300",
                "--local-epochs",
                "1",
                "--batch",
                "32",
                "--lr",
                "0.05",
                "--required-use",
                USE))
            .path("jobId")
            .asText();
    for (int k = 0; k < NODES; k++) {
      cli(
          "job",
          "join",
          job,
          "--node",
          api(k),
          "--key",
          ownerKey(net, k),
          "--dataset",
          "owner-" + k,
          "--stake",
          "1000");
    }
    cli("job", "start", job, "--node", api(0), "--key", admin);

    CliRun status = cli("job", "status", job, "--node", api(1), "--wait", "--timeout", "150");
    assertThat(status.out()).contains("status     JOB_COMPLETED, round 3 of 3");
    JsonNode body = json(cli("job", "status", job, "--node", api(2), "--json"));
    String model = body.path("job").path("modelId").asText();
    assertThat(model).isNotEmpty();
    // Every owner's agent, each in its own process, trained and had updates accepted; none was
    // rejected (honest owners and fedavg: a rejection would mean a blob went missing between
    // processes).
    assertThat(body.path("participants")).hasSize(NODES);
    for (JsonNode p : body.path("participants")) {
      assertThat(p.path("accepted").asLong()).as(p.toString()).isPositive();
      assertThat(p.path("rejected").asLong()).as(p.toString()).isZero();
    }

    // Each node with a blob store replays its models' lineages itself, fetching from its peers.
    assertThat(awaitVerdict(api(1), model)).isEqualTo("valid");

    CliRun verify =
        cli(
            "model",
            "verify",
            model,
            "--node",
            api(2),
            "--key",
            net.resolve("node-2/validator-key.json").toString(),
            "--peer",
            blobs(0));
    assertThat(verify.out()).contains("model " + model + ": valid");

    Path exported = dir.resolve("model.safetensors");
    cli(
        "model",
        "export",
        model,
        "--node",
        api(2),
        "--key",
        ownerKey(net, 2),
        "--peer",
        blobs(0),
        "--format",
        "safetensors",
        "--out",
        exported.toString());
    String weights =
        new NodeClient(api(0)).require("/v1/models/" + model, "model").path("weightsHash").asText();
    assertThat(Sha256.hash(Files.readAllBytes(exported)).toHex()).isEqualTo(weights);

    for (NodeProcess n : nodes) {
      n.terminate();
      assertThat(Files.readString(n.log())).contains("stopped");
    }
  }

  /** Node i's API (`fedledger init` gives it port BASE+3I). */
  private String api(int node) {
    return "https://127.0.0.1:" + (base + 3 * node);
  }

  /** Node i's blob server (port BASE+3I+2). */
  private String blobs(int node) {
    return "https://127.0.0.1:" + (base + 3 * node + 2);
  }

  private static String ownerKey(Path net, int k) {
    return net.resolve("keys/owner-" + k + ".json").toString();
  }

  private CliRun cli(String... args) {
    // `fedledger init` secures the network: every later command shows the admin's certificate.
    Path cert = dir.resolve("net3/tls/admin.pem");
    CliRun run =
        CliRun.of(
            java.nio.file.Files.exists(cert)
                ? java.util.stream.Stream.concat(
                        java.util.Arrays.stream(args),
                        java.util.stream.Stream.of("--cert", cert.toString()))
                    .toArray(String[]::new)
                : args);
    assertThat(run.exitCode())
        .as("fedledger %s%nstdout:%n%s%nstderr:%n%s", String.join(" ", args), run.out(), run.err())
        .isZero();
    return run;
  }

  private static JsonNode json(CliRun run) throws IOException {
    return JSON.readTree(run.out());
  }

  /** The node's own verdict on the model, once it is no longer pending. */
  private static String awaitVerdict(String node, String model) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    String status;
    do {
      Thread.sleep(250);
      status =
          new NodeClient(node)
              .require("/v1/models/" + model + "/verification", "verification")
              .path("status")
              .asText();
    } while (status.equals("pending") && System.nanoTime() < deadline);
    return status;
  }

  /** Waits until every node answers and knows a leader. */
  private void awaitLeader() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      boolean ready = true;
      for (int i = 0; i < NODES && ready; i++) {
        assertThat(nodes.get(i).isAlive())
            .as("node-%d is running; see %s", i, nodes.get(i).log())
            .isTrue();
        try {
          ready = !new NodeClient(api(i)).require("/v1/status", "status").path("leaderId").isNull();
        } catch (CommandFailedException e) {
          ready = false;
        }
      }
      if (ready) {
        return;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("the nodes did not elect a leader within 90 s; see the node logs");
  }
}
