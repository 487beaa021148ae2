package org.fedledger.cli.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.fedledger.learning.data.Datasets;
import org.fedledger.learning.data.LabeledData;
import org.fedledger.node.agent.OwnerData;
import org.fedledger.node.config.NodeConfig;
import org.fedledger.testkit.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class LocalNodesTest {
  @TempDir Path dir;

  @Test
  @Timeout(120)
  void nodesStartFromGeneratedConfigsAndShowTheirRealAddresses() throws Exception {
    LabeledData[] parts =
        OwnerData.dirichlet(Datasets.fashionMnist(Optional.empty()).train(), 2, 200, 0.5, 1);
    LabeledData test = OwnerData.sample(Datasets.fashionMnist(Optional.empty()).test(), 50, 2);
    int base = FreePorts.consecutive(6);
    try (LocalNodes net =
        LocalNodes.builder()
            .setDir(dir)
            .setBasePort(base)
            .setValidators(2)
            .setOwners(
                List.of(
                    new LocalOwner("honest", parts[0], null),
                    new LocalOwner("flipper", parts[1], "sign-flip:4")))
            .optEvaluation(test)
            .start(Duration.ofSeconds(60))) {
      assertThat(net.apiUrl(1)).isEqualTo("http://127.0.0.1:" + (base + 3));
      assertThat(net.blobUrl(1)).isEqualTo("http://127.0.0.1:" + (base + 5));
      // What the dashboard's network page lists: each validator's Raft and API address.
      JsonNode status = get(net.apiUrl(0) + "/v1/status");
      List<String> listed = new ArrayList<>();
      for (JsonNode v : status.get("validators")) {
        listed.add(v.get("apiAddress").asText() + " " + v.get("raftAddress").asText());
      }
      assertThat(listed)
          .containsExactlyInAnyOrder(
              "127.0.0.1:" + base + " 127.0.0.1:" + (base + 1),
              "127.0.0.1:" + (base + 3) + " 127.0.0.1:" + (base + 4));
      // The malicious owner is its node's configuration, as a deployment would write it.
      NodeConfig second = NodeConfig.load(net.network().configFiles().get(1));
      assertThat(second.participants()).hasSize(1);
      assertThat(second.participants().get(0).name()).isEqualTo("flipper");
      assertThat(second.participants().get(0).attack()).isEqualTo("sign-flip:4");
      assertThat(second.participants().get(0).parsedAttack().name()).isEqualTo("sign-flip:4.0");
      assertThat(NodeConfig.load(net.network().configFiles().get(0)).participants().get(0).attack())
          .isNull();
    }
  }

  @Test
  @Timeout(60)
  void aTakenPortIsReportedWithTheOptionThatMovesIt() throws Exception {
    int base = FreePorts.consecutive(3);
    try (ServerSocket taken =
        new ServerSocket(base, 1, java.net.InetAddress.getLoopbackAddress())) {
      assertThatThrownBy(
              () ->
                  LocalNodes.builder()
                      .setDir(dir)
                      .setBasePort(base)
                      .setValidators(1)
                      .setOwners(List.of())
                      .start(Duration.ofSeconds(30)))
          .isInstanceOf(IOException.class)
          .hasMessageContaining(String.valueOf(base))
          .hasMessageContaining("--base-port");
    }
  }

  @Test
  void ownersWithoutEvaluationDataRunWithoutACentralTestSet() throws Exception {
    LabeledData[] parts =
        OwnerData.dirichlet(Datasets.fashionMnist(Optional.empty()).train(), 1, 50, 0.5, 1);
    try (LocalNodes net =
        LocalNodes.builder()
            .setDir(dir.resolve("net"))
            .setBasePort(FreePorts.consecutive(3))
            .setValidators(1)
            .setOwners(List.of(new LocalOwner("p1", parts[0], null)))
            .start(Duration.ofSeconds(30))) {
      NodeConfig config = NodeConfig.load(net.network().configFiles().get(0));
      // The aggregators score no central test set: a job's metrics are then the owners' own.
      assertThat(config.evaluationDataDir()).isNull();
      assertThat(config.participants())
          .singleElement()
          .satisfies(p -> assertThat(p.name()).isEqualTo("p1"));
      assertThat(Files.exists(net.network().dir().resolve("data").resolve("test"))).isFalse();
    }
  }

  private static JsonNode get(String url) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return new ObjectMapper().readTree(r.body());
  }
}
