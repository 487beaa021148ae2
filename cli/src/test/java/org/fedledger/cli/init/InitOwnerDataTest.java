package org.fedledger.cli.init;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.fedledger.cli.testing.CliRun;
import org.fedledger.node.config.NodeConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * init --owner-data and --owner-schema: the nodes' owners pointed at data of their own, relative to
 * each node's directory, and bad values refused before anything is written. {@code
 * TableWalkthroughTest} runs a job on such a network.
 */
class InitOwnerDataTest {
  @TempDir Path dir;

  private CliRun init(String... more) {
    String[] base = {
      "init", "--validators", "2", "--chain-id", "t", "--dir", dir.resolve("net").toString()
    };
    String[] args = new String[base.length + more.length];
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(more, 0, args, base.length, more.length);
    return CliRun.of(args);
  }

  @Test
  void ownersAreGivenTheirOwnFilesAndNoCentralTestSet() throws Exception {
    Path schema = Files.writeString(dir.resolve("s.schema.json"), "{}");
    CliRun run =
        init(
            "--owners",
            "3",
            "--owner-data",
            dir.resolve("tables/owner-{k}.csv").toString(),
            "--owner-schema",
            schema.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    NodeConfig node0 = NodeConfig.load(dir.resolve("net/node-0/node.json"));
    NodeConfig node1 = NodeConfig.load(dir.resolve("net/node-1/node.json"));
    // Owner k runs in node k mod 2: owners 0 and 2 in node 0, owner 1 in node 1.
    assertThat(node0.participants())
        .extracting(NodeConfig.Participant::dataDir)
        .containsExactly("../../tables/owner-0.csv", "../../tables/owner-2.csv");
    assertThat(node1.participants())
        .extracting(NodeConfig.Participant::dataDir)
        .containsExactly("../../tables/owner-1.csv");
    assertThat(node1.participants().get(0).schema()).isEqualTo("../../s.schema.json");
    assertThat(node0.evaluationDataDir()).isNull();
    assertThat(run.out()).doesNotContain("dataset split");
  }

  @Test
  void withoutOwnerDataTheOwnersKeepInitsLayoutAndTheTestSet() throws Exception {
    CliRun run = init("--owners", "1");
    assertThat(run.exitCode()).as(run.err()).isZero();
    NodeConfig node0 = NodeConfig.load(dir.resolve("net/node-0/node.json"));
    assertThat(node0.participants().get(0).dataDir()).isEqualTo("../data/owner-0");
    assertThat(node0.evaluationDataDir()).isEqualTo("../data/test");
  }

  @Test
  void badOwnerFilesAreRefusedBeforeAnythingIsWritten() {
    CliRun noK = init("--owners", "2", "--owner-data", "tables/owner.csv");
    assertThat(noK.exitCode()).isEqualTo(2);
    assertThat(noK.err()).contains("--owner-data must contain {k}");
    CliRun noSchema = init("--owners", "2", "--owner-schema", dir.resolve("none.json").toString());
    assertThat(noSchema.exitCode()).isEqualTo(2);
    assertThat(noSchema.err()).contains("--owner-schema", "no such file");
    CliRun noOwners = init("--owner-data", "tables/owner-{k}.csv");
    assertThat(noOwners.exitCode()).isEqualTo(2);
    assertThat(noOwners.err()).contains("need --owners");
    assertThat(Files.exists(dir.resolve("net"))).isFalse();
  }
}
