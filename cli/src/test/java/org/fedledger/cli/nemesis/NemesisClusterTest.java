package org.fedledger.cli.nemesis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.fedledger.testkit.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster's links: with the leader cut off from both peers through the proxies, the other two
 * elect a new leader among themselves; healing lets the old leader rejoin and follow.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class NemesisClusterTest {
  @TempDir Path dir;

  @Test
  void cuttingTheLeadersLinksMakesTheMajorityElectAnotherLeaderAndHealingReunitesThem()
      throws Exception {
    try (NemesisCluster cluster =
        NemesisCluster.builder()
            .setDir(dir.resolve("net"))
            .setNodes(3)
            .optBasePort(FreePorts.consecutive(9))
            .start(Duration.ofSeconds(90))) {
      int leader = cluster.leader().orElseThrow();
      assertThat(Files.readString(cluster.network().genesisFile()))
          .contains(NemesisCluster.host(leader) + ":");
      for (int other = 0; other < 3; other++) {
        if (other != leader) {
          cluster.cut(leader, other);
        }
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      int majorityLeader = leader;
      while (majorityLeader == leader && System.nanoTime() < deadline) {
        Thread.sleep(200);
        int peer = (leader + 1) % 3;
        majorityLeader =
            cluster
                .endpoint(peer)
                .status()
                .filter(s -> s.hasNonNull("leaderId"))
                .map(s -> NemesisCluster.indexOf(s.get("leaderId").asText()))
                .orElse(leader);
      }
      assertThat(majorityLeader).as("the majority's leader after the cut").isNotEqualTo(leader);
      cluster.healLinks();
      deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      List<Long> heights = cluster.heights();
      while (System.nanoTime() < deadline) {
        heights = cluster.heights();
        var status = cluster.endpoint(leader).status();
        if (status.isPresent()
            && status.get().hasNonNull("leaderId")
            && NemesisCluster.indexOf(status.get().get("leaderId").asText()) != leader) {
          break;
        }
        Thread.sleep(200);
      }
      assertThat(cluster.endpoint(leader).status().orElseThrow().get("leaderId").asText())
          .as("the old leader follows after healing; heights %s", heights)
          .isNotEqualTo("node-" + leader);
    }
  }
}
