package org.fedledger.cli.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.fedledger.cli.client.NodeClient;
import org.junit.jupiter.api.Test;

/** model verify's privacy line, from job records as the node serves them. */
class ModelPrivacyTest {
  private static JsonNode job(String id, String privacy) throws Exception {
    return NodeClient.JSON.readTree(
        "{\"job\":{\"jobId\":\"" + id + "\"},\"privacy\":" + privacy + "}");
  }

  private static String dpJob(String... datasets) {
    StringBuilder rows = new StringBuilder();
    for (String d : datasets) {
      String[] f = d.split(":", -1);
      rows.append(rows.isEmpty() ? "" : ",")
          .append("{\"datasetId\":\"")
          .append(f[0])
          .append("\",\"updates\":")
          .append(f[1])
          .append(",\"spent\":{\"epsilonMicros\":")
          .append(f[2])
          .append(",\"deltaPerTrillion\":10000000}}");
    }
    return "{\"datasets\":[" + rows + "]}";
  }

  @Test
  void aModelOfDpJobsIsAsPrivateAsItsMostSpentDatasetAcrossTheLineage() throws Exception {
    ModelPrivacy p =
        ModelPrivacy.of(
            List.of(
                job("aa", dpJob("ward-a:2:1500000", "ward-b:1:900000", "idle:0:0")),
                job("bb", dpJob("ward-b:3:2000000"))));
    assertThat(p.dp()).isTrue();
    // ward-b trained both jobs: 0.9 + 2.0; its deltas add up too.
    assertThat(p.epsilonMicros()).isEqualTo(2_900_000);
    assertThat(p.deltaPerTrillion()).isEqualTo(20_000_000);
    assertThat(p.statement())
        .startsWith(
            "this model is (epsilon 2.9, delta 0.00002)-DP for every record of every dataset that"
                + " trained it")
        .contains("2 dataset(s), 2 DP job(s)");
  }

  @Test
  void oneJobWithoutDpInTheLineageMakesTheModelNotDp() throws Exception {
    ModelPrivacy p =
        ModelPrivacy.of(List.of(job("aa", dpJob("ward-a:1:500000")), job("bb", "null")));
    assertThat(p.dp()).isFalse();
    assertThat(p.statement())
        .isEqualTo("this model is not DP: job bb trained it without differential privacy");
    assertThat(p.json().has("epsilonMicros")).isFalse();
  }
}
