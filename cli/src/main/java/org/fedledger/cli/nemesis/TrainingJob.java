package org.fedledger.cli.nemesis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.fedledger.cli.FedledgerCommand;
import picocli.CommandLine;

/**
 * The nemesis' small training job: logistic regression on a few hundred Fashion-MNIST samples split
 * over one data owner per validator, each owner's participant agent running in its node's process,
 * created through the same commands as the README's "Training across processes". It runs while the
 * faults hit the nodes, and must finish with a model that the chain's verification finds valid.
 */
final class TrainingJob {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String USE = "model-training:fashion-mnist";

  private final NemesisCluster cluster;
  private final String jobId;
  private String model = "";

  private TrainingJob(NemesisCluster cluster, String jobId) {
    this.cluster = cluster;
    this.jobId = jobId;
  }

  /** Writes the owners' data and the test data where the network's configurations look for it. */
  static void writeData(Path networkDir, int owners, long seed) {
    cli(
        "dataset",
        "split",
        "--owners",
        Integer.toString(owners),
        "--partition",
        "iid",
        "--samples",
        Integer.toString(100 * owners),
        "--seed",
        Long.toString(seed),
        "--out",
        networkDir.resolve("data").toString());
  }

  /** Registers every owner's dataset, creates, joins and starts the job. */
  static TrainingJob start(NemesisCluster cluster) throws IOException {
    Path net = cluster.network().dir();
    String admin = cluster.network().adminKeyFile().toString();
    int owners = cluster.network().ownerKeyFiles().size();
    for (int k = 0; k < owners; k++) {
      cliOnAnyNode(
          cluster,
          "dataset",
          "register",
          "--key",
          cluster.network().ownerKeyFiles().get(k).toString(),
          "--id",
          "owner-" + k,
          "--data",
          net.resolve("data/owner-" + k).toString(),
          "--schema",
          "fashion-mnist",
          "--licence",
          "CC-BY-4.0",
          "--consent",
          USE);
    }
    String job =
        json(cliOnAnyNode(
                cluster,
                "job",
                "create",
                "--key",
                admin,
                "--blobs",
                cluster.blobUrl(0),
                "--model",
                "logreg",
                "--rounds",
                "2",
                "--participants-per-round",
                Integer.toString(owners),
                "--strategy",
                "fedavg",
                "--reward",
                "90000",
                "--round-blocks",
                "1000000",
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
    for (int k = 0; k < owners; k++) {
      cliOnAnyNode(
          cluster,
          "job",
          "join",
          job,
          "--key",
          cluster.network().ownerKeyFiles().get(k).toString(),
          "--dataset",
          "owner-" + k,
          "--stake",
          "1000");
    }
    cliOnAnyNode(cluster, "job", "start", job, "--key", admin);
    return new TrainingJob(cluster, job);
  }

  String id() {
    return jobId;
  }

  /** The model the job registered, once {@link #awaitValidModel} saw it; empty before. */
  String model() {
    return model;
  }

  /**
   * Waits until the job completes and a node's verification of its model is no longer pending;
   * returns what went wrong, empty if the job finished with a valid model.
   */
  List<String> awaitValidModel(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String status = "unknown";
    while (System.nanoTime() < deadline) {
      Optional<JsonNode> job = get("/v1/jobs/" + jobId);
      if (job.isPresent()) {
        status = job.get().path("job").path("status").asText(status);
        model = job.get().path("job").path("modelId").asText("");
        if (status.equals("JOB_COMPLETED") && !model.isEmpty()) {
          Optional<JsonNode> verdict = get("/v1/models/" + model + "/verification");
          String v = verdict.map(j -> j.path("status").asText()).orElse("pending");
          if (!v.equals("pending")) {
            return v.equals("valid")
                ? List.of()
                : List.of("training job " + jobId + ": its model " + model + " verifies as " + v);
          }
        } else if (status.equals("JOB_CANCELLED")) {
          break;
        }
      }
      TimeUnit.MILLISECONDS.sleep(500);
    }
    List<String> problems = new ArrayList<>();
    problems.add(
        "training job "
            + jobId
            + " did not finish with a verified model within "
            + timeout.toSeconds()
            + " s: status "
            + status
            + (model.isEmpty() ? "" : ", model " + model));
    return problems;
  }

  private Optional<JsonNode> get(String path) throws InterruptedException {
    for (NodeEndpoint e : cluster.endpoints()) {
      Optional<NodeEndpoint.Reply> r = e.get(path);
      if (r.isPresent() && r.get().status() == 200) {
        return Optional.of(r.get().json());
      }
    }
    return Optional.empty();
  }

  /** Runs a fedledger command against each node in turn until one takes it. */
  private static String cliOnAnyNode(NemesisCluster cluster, String... args) {
    IllegalStateException last = null;
    for (int attempt = 0; attempt < 3 * cluster.size(); attempt++) {
      String node = cluster.apiUrl(attempt % cluster.size());
      String[] withNode = new String[args.length + 2];
      System.arraycopy(args, 0, withNode, 0, args.length);
      withNode[args.length] = "--node";
      withNode[args.length + 1] = node;
      try {
        return cli(withNode);
      } catch (IllegalStateException e) {
        last = e;
      }
    }
    throw last;
  }

  private static String cli(String... args) {
    CommandLine cli = FedledgerCommand.newCommandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    if (code != 0) {
      throw new IllegalStateException(
          "fedledger " + String.join(" ", args) + " failed (exit " + code + "): " + err);
    }
    return out.toString();
  }

  private static JsonNode json(String text) throws IOException {
    return JSON.readTree(text);
  }
}
