package org.fedledger.cli.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.fedledger.cli.client.NodeClient;
import org.fedledger.ledger.registry.PrivacyAccounts;

/**
 * The differential-privacy line of a model's audit report, read from the chain: for the model's job
 * and every ancestor's, what each dataset spent on it (the registry's charge, from the job's REST
 * record). A dataset's costs across the lineage add up (basic composition), and the model is
 * (epsilon, delta)-DP for every record of every dataset with the largest such sum. One job without
 * DP in the lineage makes the model not DP.
 *
 * @param epsilonMicros the largest sum over the lineage's jobs of one dataset's spent epsilon
 * @param deltaPerTrillion likewise for delta
 * @param notDp the jobs of the lineage that trained without DP (empty if the model is DP)
 */
record ModelPrivacy(
    long epsilonMicros, long deltaPerTrillion, int jobs, int datasets, List<String> notDp) {

  boolean dp() {
    return notDp.isEmpty();
  }

  /** The sentence the report states. */
  String statement() {
    if (!dp()) {
      return "this model is not DP: job "
          + notDp.get(0)
          + " trained it without differential privacy";
    }
    return "this model is (epsilon "
        + PrivacyAccounts.epsilon(epsilonMicros)
        + ", delta "
        + PrivacyAccounts.delta(deltaPerTrillion)
        + ")-DP for every record of every dataset that trained it ("
        + datasets
        + " dataset(s), "
        + jobs
        + " DP job(s); spending recorded on the chain)";
  }

  /** Reads the model's job and its ancestors' jobs over the node API. */
  static ModelPrivacy of(NodeClient client, ModelRecords r) {
    List<JsonNode> jobBodies = new ArrayList<>();
    jobBodies.add(r.jobBody());
    for (JsonNode ancestor : r.lineage().path("ancestors")) {
      String jobId = ancestor.path("jobId").asText();
      client.get("/v1/jobs/" + jobId).ifPresent(jobBodies::add);
    }
    return of(jobBodies);
  }

  static ModelPrivacy of(List<JsonNode> jobBodies) {
    Map<String, Long> epsilon = new TreeMap<>();
    Map<String, Long> delta = new TreeMap<>();
    List<String> notDp = new ArrayList<>();
    for (JsonNode body : jobBodies) {
      JsonNode privacy = body.path("privacy");
      if (privacy.isMissingNode() || privacy.isNull()) {
        notDp.add(body.path("job").path("jobId").asText());
        continue;
      }
      for (JsonNode d : privacy.path("datasets")) {
        if (d.path("updates").asLong() == 0) {
          continue; // joined, never trained: its records are not in the model
        }
        String id = d.path("datasetId").asText();
        epsilon.merge(id, d.path("spent").path("epsilonMicros").asLong(), Math::addExact);
        delta.merge(id, d.path("spent").path("deltaPerTrillion").asLong(), Math::addExact);
      }
    }
    long maxEpsilon = epsilon.values().stream().mapToLong(Long::longValue).max().orElse(0);
    long maxDelta = delta.values().stream().mapToLong(Long::longValue).max().orElse(0);
    return new ModelPrivacy(maxEpsilon, maxDelta, jobBodies.size(), epsilon.size(), notDp);
  }

  ObjectNode json() {
    ObjectNode o = NodeClient.JSON.createObjectNode();
    o.put("dp", dp());
    o.put("statement", statement());
    if (dp()) {
      o.put("epsilonMicros", epsilonMicros);
      o.put("deltaPerTrillion", deltaPerTrillion);
    }
    return o;
  }
}
