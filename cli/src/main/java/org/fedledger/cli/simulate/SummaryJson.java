package org.fedledger.cli.simulate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.fedledger.learning.simulation.RoundResult;
import org.fedledger.learning.simulation.SimulationConfig;
import org.fedledger.learning.simulation.SimulationSummary;

/**
 * The JSON summary: {@code final_accuracy} (classification only), {@code final_metrics} (accuracy,
 * macro_f1 and, for two classes, auc; or rmse, mae, r2), {@code final_loss}, {@code seconds},
 * {@code rounds} (objects with round, accuracy, loss, seconds, accepted, rejected, ...) and the
 * full {@code config}. Field names are snake_case and stable: scripts read them.
 */
final class SummaryJson {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private SummaryJson() {}

  static ObjectNode of(SimulationSummary s) {
    ObjectNode root = JSON.createObjectNode();
    // A regression has no accuracy: its summary has final_metrics (rmse, mae, r2) instead.
    boolean classes = !Double.isNaN(s.finalAccuracy());
    if (classes) {
      root.put("final_accuracy", s.finalAccuracy());
    }
    root.set("final_metrics", metrics(s.finalMetrics()));
    root.put("final_loss", s.finalLoss());
    if (classes) {
      root.put("initial_accuracy", s.initialAccuracy());
    }
    root.put("seconds", s.seconds());
    root.put("final_weights_hash", s.finalWeightsHash());
    ArrayNode malicious = root.putArray("malicious_clients");
    s.maliciousClients().forEach(malicious::add);
    ArrayNode rounds = root.putArray("rounds");
    for (RoundResult r : s.rounds()) {
      ObjectNode o = rounds.addObject();
      o.put("round", r.round());
      if (classes) {
        o.put("accuracy", r.accuracy());
      }
      o.set("metrics", metrics(r.metrics()));
      o.put("loss", r.loss());
      o.put("seconds", r.seconds());
      o.put("selected", r.selected());
      o.put("accepted", r.accepted());
      o.put("rejected", r.rejected());
      o.put("excluded", r.excluded());
      o.put("malicious_selected", r.maliciousSelected());
      o.put("train_loss", r.trainLoss());
      o.put("malicious_score_ppm", r.maliciousScorePpm());
    }
    root.set("config", config(s.config()));
    return root;
  }

  static ObjectNode config(SimulationConfig c) {
    ObjectNode o = JSON.createObjectNode();
    o.put("clients", c.clients());
    o.put("rounds", c.rounds());
    o.put("fraction", c.fraction());
    o.put("partition", c.partition());
    o.put("model", c.model());
    o.put("strategy", c.strategy());
    o.put("local_epochs", c.localEpochs());
    o.put("batch", c.batchSize());
    o.put("lr", c.learningRate());
    o.put("lr_schedule", c.learningRateSchedule());
    o.put("prox_mu", c.proxMu());
    o.put("malicious", c.maliciousFraction());
    o.put("attack", c.attack());
    if (c.dataDir().isPresent()) {
      o.put("data", c.dataDir().get().toString());
    } else {
      o.putNull("data");
    }
    o.put("seed", c.seed());
    o.put("train_limit", c.trainLimit());
    o.put("test_limit", c.testLimit());
    o.put("threads", c.threads());
    o.put("scoring", c.leaveOneOut() ? "loo" : "cosine");
    c.schema()
        .ifPresent(
            schema -> {
              o.put("task", schema.task().name().toLowerCase(Locale.ROOT));
              o.put("schema_hash", schema.hash().toHex());
            });
    return o;
  }

  private static ObjectNode metrics(Map<String, Double> values) {
    ObjectNode o = JSON.createObjectNode();
    values.forEach(o::put);
    return o;
  }

  static void write(Path file, SimulationSummary s) throws IOException {
    JSON.writeValue(file.toFile(), of(s));
  }
}
