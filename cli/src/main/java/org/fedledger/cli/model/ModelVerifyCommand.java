package org.fedledger.cli.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import org.fedledger.cli.chain.NodeOption;
import org.fedledger.cli.client.NodeClient;
import org.fedledger.core.proto.registry.RoundLineage;
import org.fedledger.core.proto.registry.Score;
import org.fedledger.core.proto.training.Payout;
import org.fedledger.core.proto.training.Round;
import org.fedledger.core.proto.training.SlashEntry;
import org.fedledger.node.agent.AuditReport;
import org.fedledger.node.agent.ModelAuditor;
import org.fedledger.node.keys.KeyFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code fedledger model verify MODEL_ID}: replays the model's lineage with the node's {@link
 * ModelAuditor} (the same replay a node's background verifier runs) over records read from the node
 * API and blobs fetched from peers, and prints the verdict (valid, invalid, or unavailable when a
 * blob could not be had), the first failing check and an audit report, with the privacy line
 * ({@link ModelPrivacy}): whether the model is (epsilon, delta)-DP for every record that trained
 * it.
 */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Re-check every hash of a model's lineage and re-run every round's aggregation from the"
          + " recorded blobs; print the verdict and an audit report.",
      "",
      "Example:",
      "  fedledger model verify 3f2a... --key auditor.key --peer http://127.0.0.1:7800"
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:valid",
      "1:invalid (the first failing check is printed), a blob unavailable, or the model cannot be"
          + " read",
      "2:invalid options"
    })
public final class ModelVerifyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin NodeOption node;
  @Mixin BlobOptions blobs;

  @Parameters(index = "0", paramLabel = "MODEL_ID", description = "The model id.")
  String modelId;

  @Option(names = "--json", description = "Also write the audit report as JSON to this file.")
  Path json;

  @Override
  public Integer call() throws Exception {
    ModelRecords records = ModelRecords.fetch(node.client(), modelId);
    AuditReport audit;
    try (AuditorBlobs source = new AuditorBlobs(KeyFile.load(blobs.key), blobs.peers)) {
      audit =
          new ModelAuditor(source.source()).audit(records.model(), records.job(), records.rounds());
    }
    ObjectNode report = report(records, audit);
    report.set("privacy", ModelPrivacy.of(node.client(), records).json());
    PrintWriter out = spec.commandLine().getOut();
    print(report, out);
    if (json != null) {
      Path parent = json.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(json, NodeClient.pretty(report));
    }
    out.flush();
    return audit.valid() ? 0 : 1;
  }

  static ObjectNode report(ModelRecords r, AuditReport audit) {
    List<String> reasons = audit.reasons();
    ObjectNode o = NodeClient.JSON.createObjectNode();
    o.put("modelId", r.model().getModelId());
    o.put("verdict", audit.verdict());
    o.put("firstFailure", reasons.isEmpty() ? null : reasons.get(0));
    ArrayNode p = o.putArray("problems");
    reasons.forEach(p::add);
    o.put("jobId", hex(r.model().getJobId().toByteArray()));
    o.put("weightsHash", hex(r.model().getWeightsHash().toByteArray()));
    o.put("strategy", r.model().getStrategy());
    o.put("licence", r.model().getLicence());
    o.put("sponsor", hex(r.model().getSponsor().toByteArray()));
    ArrayNode datasets = o.putArray("datasets");
    for (JsonNode d : r.lineage().path("datasets")) {
      ObjectNode x = datasets.addObject();
      x.put("datasetId", d.path("datasetId").asText());
      x.put("owner", d.path("owner").asText());
      x.put("commitmentHash", d.path("commitmentHash").asText());
      x.put("sampleCount", d.path("sampleCount").asLong());
      x.put("licence", d.path("licence").asText());
      x.set("consent", d.path("consent"));
    }
    o.set("participants", r.jobBody().path("participants"));
    ArrayNode rounds = o.putArray("rounds");
    for (RoundLineage l : r.model().getRoundsList()) {
      ObjectNode x = rounds.addObject();
      x.put("round", l.getRound());
      x.put("aggregateHash", hex(l.getAggregateHash().toByteArray()));
      x.put("aggregator", hex(l.getAggregator().toByteArray()));
      x.put("updates", l.getUpdateHashesCount());
      x.put("accepted", l.getAcceptedUpdateHashesCount());
      x.put(
          "verdict",
          audit.rounds().stream()
              .filter(c -> c.round() == l.getRound())
              .map(AuditReport.RoundCheck::status)
              .findFirst()
              .orElse("not checked"));
      ArrayNode att = x.putArray("attesters");
      l.getAttestersList().forEach(a -> att.add(hex(a.toByteArray())));
      ObjectNode scores = x.putObject("scoresPpm");
      for (Score s : l.getScoresList()) {
        scores.put(hex(s.getParticipant().toByteArray()), s.getPpm());
      }
      Round round = r.rounds().get(l.getRound());
      ObjectNode rewards = x.putObject("rewards");
      ArrayNode slashes = x.putArray("slashes");
      if (round != null) {
        for (Payout pay : round.getPayoutsList()) {
          rewards.put(hex(pay.getParticipant().toByteArray()), pay.getAmount());
        }
        for (SlashEntry s : round.getSlashesList()) {
          slashes
              .addObject()
              .put("account", hex(s.getAccount().toByteArray()))
              .put("amount", s.getAmount())
              .put("reason", s.getReason());
        }
      }
    }
    return o;
  }

  private static void print(ObjectNode r, PrintWriter out) {
    out.printf("model %s: %s%n", r.path("modelId").asText(), r.path("verdict").asText());
    if (!r.path("firstFailure").isNull()) {
      out.printf("first failing check: %s%n", r.path("firstFailure").asText());
      for (JsonNode p : r.path("problems")) {
        out.printf("  - %s%n", p.asText());
      }
    }
    out.printf(
        "job %s, strategy %s, licence %s%n",
        r.path("jobId").asText(), r.path("strategy").asText(), r.path("licence").asText());
    out.printf("weights %s%n", r.path("weightsHash").asText());
    if (r.has("privacy")) {
      out.printf("privacy: %s%n", r.path("privacy").path("statement").asText());
    }
    out.println("datasets:");
    for (JsonNode d : r.path("datasets")) {
      out.printf(
          "  %-24s owner %s  %d samples  %s  consent %s%n",
          d.path("datasetId").asText(),
          d.path("owner").asText(),
          d.path("sampleCount").asLong(),
          d.path("licence").asText(),
          d.path("consent"));
    }
    out.println("participants:");
    for (JsonNode p : r.path("participants")) {
      out.printf(
          "  %s  %-20s accepted %d rejected %d reward %d slashed %d%n",
          p.path("participant").asText(),
          p.path("datasetId").asText(),
          p.path("accepted").asLong(),
          p.path("rejected").asLong(),
          p.path("reward").asLong(),
          p.path("slashed").asLong());
    }
    out.println("rounds:");
    for (JsonNode x : r.path("rounds")) {
      out.printf(
          "  %d  %s  aggregate %s  by %s  %d/%d accepted  attesters %s%n",
          x.path("round").asLong(),
          x.path("verdict").asText(),
          x.path("aggregateHash").asText().substring(0, 16),
          x.path("aggregator").asText(),
          x.path("accepted").asLong(),
          x.path("updates").asLong(),
          x.path("attesters"));
      out.printf(
          "      scores %s  rewards %s%s%n",
          x.path("scoresPpm"),
          x.path("rewards"),
          x.path("slashes").isEmpty() ? "" : "  slashes " + x.path("slashes"));
    }
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}
