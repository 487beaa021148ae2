package org.fedledger.cli.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.fedledger.cli.CommandFailedException;
import org.fedledger.cli.client.NodeClient;
import org.fedledger.core.proto.registry.Model;
import org.fedledger.core.proto.training.Job;
import org.fedledger.core.proto.training.Round;

/**
 * What the chain holds about one model, read over the node API: the model with its lineage, the
 * datasets its rounds trained on, and its job with every round and participant record.
 *
 * @param lineage the node's {@code /v1/models/{id}/lineage} answer (datasets, attestations)
 * @param jobBody the node's {@code /v1/jobs/{id}} answer (participants); its rounds are one page,
 *     {@code rounds} holds them all
 */
public record ModelRecords(
    Model model, Job job, Map<Long, Round> rounds, JsonNode lineage, JsonNode jobBody) {

  public static ModelRecords fetch(NodeClient client, String modelId) {
    if (!modelId.matches("[A-Za-z0-9._:-]{1,128}")) {
      throw new IllegalArgumentException(
          "MODEL_ID must be 1-128 characters of A-Z a-z 0-9 . _ : - : " + modelId);
    }
    JsonNode lineage =
        client
            .get("/v1/models/" + modelId + "/lineage")
            .orElseThrow(() -> new CommandFailedException("no model " + modelId + " on the chain"));
    Model model = ProtoJsonReader.read(lineage.path("model"), Model.getDefaultInstance());
    String jobId = HexFormat.of().formatHex(model.getJobId().toByteArray());
    JsonNode jobBody = jobPage(client, modelId, jobId, 1);
    Job job = ProtoJsonReader.read(jobBody.path("job"), Job.getDefaultInstance());
    Map<Long, Round> rounds = new LinkedHashMap<>();
    JsonNode page = jobBody;
    while (true) {
      for (JsonNode r : page.path("rounds")) {
        Round round = ProtoJsonReader.read(r, Round.getDefaultInstance());
        rounds.put(round.getRound(), round);
      }
      // The node pages a job's rounds; a page that ends before the current round has a successor.
      long through = page.path("roundsThrough").asLong(job.getCurrentRound());
      if (through >= job.getCurrentRound() || page.path("rounds").isEmpty()) {
        break;
      }
      page = jobPage(client, modelId, jobId, through + 1);
    }
    return new ModelRecords(model, job, rounds, lineage, jobBody);
  }

  private static JsonNode jobPage(NodeClient client, String modelId, String jobId, long from) {
    return client
        .get("/v1/jobs/" + jobId + "?rounds_from=" + from)
        .orElseThrow(
            () ->
                new CommandFailedException(
                    "model " + modelId + " names job " + jobId + ", not on the chain"));
  }

  /** Where the final weights can be fetched (the last round's commit), or null. */
  public String finalLocation() {
    Round last = rounds.get(job.getCurrentRound());
    return last == null ? null : last.getCommit().getBlobLocation();
  }
}
