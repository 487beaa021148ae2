package org.fedledger.node.api.training;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.core.hash.Hash;
import org.fedledger.node.dashboard.SeededNetwork;
import org.fedledger.node.dashboard.TrainingSeed;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job endpoints page what they return, so no request reads an unbounded amount of state under
 * the ledger's read lock: {@code /v1/jobs} says where the next page starts, and {@code
 * /v1/jobs/{id}} returns a window of rounds that {@code rounds_from} moves.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JobQueriesPagingTest {
  @TempDir static Path dir;
  static SeededNetwork net;
  static Hash threeRounds;

  @BeforeAll
  static void playAThreeRoundJobAndOpenAnother() throws Exception {
    net = SeededNetwork.start(dir, 4);
    Ed25519KeyPair sponsor = net.accounts.get(0);
    List<Ed25519KeyPair> lab = net.accounts.subList(1, 3);
    TrainingSeed seed = new TrainingSeed(net);
    seed.registerDatasets("lab", lab);
    threeRounds = seed.createJoinStart(sponsor, "lab", lab, 3);
    for (long r = 1; r <= 3; r++) {
      seed.playRound(threeRounds, r, lab, null);
    }
    seed.createJoinStart(sponsor, "lab", lab, 2);
  }

  @AfterAll
  static void stop() {
    if (net != null) {
      net.close();
    }
  }

  @Test
  void aJobListsItsRoundsInAWindowThatRoundsFromMoves() throws Exception {
    JsonNode all = get("/v1/jobs/" + threeRounds.toHex(), 200);
    assertThat(all.get("rounds"))
        .extracting(r -> r.get("round").asLong())
        .containsExactly(1L, 2L, 3L);
    assertThat(all.get("roundsFrom").asLong()).isEqualTo(1);
    assertThat(all.get("roundsThrough").asLong()).isEqualTo(3);

    JsonNode tail = get("/v1/jobs/" + threeRounds.toHex() + "?rounds_from=2", 200);
    assertThat(tail.get("rounds")).extracting(r -> r.get("round").asLong()).containsExactly(2L, 3L);
    assertThat(tail.get("roundsFrom").asLong()).isEqualTo(2);
    assertThat(tail.get("participants")).hasSize(2);

    JsonNode past = get("/v1/jobs/" + threeRounds.toHex() + "?rounds_from=9", 200);
    assertThat(past.get("rounds")).isEmpty();
    assertThat(past.get("roundsThrough").asLong()).isEqualTo(8);

    assertThat(get("/v1/jobs/" + threeRounds.toHex() + "?rounds_from=-1", 400).toString())
        .contains("rounds_from");
    assertThat(get("/v1/jobs/" + threeRounds.toHex() + "?rounds_from=x", 400).toString())
        .contains("rounds_from");
  }

  @Test
  void theJobListSaysWhereTheNextPageStartsUntilTheLast() throws Exception {
    JsonNode first = get("/v1/jobs?limit=1", 200);
    assertThat(first.get("count").asLong()).isEqualTo(2);
    assertThat(first.get("jobs")).hasSize(1);
    assertThat(first.get("next").asLong()).isEqualTo(1);

    JsonNode second = get("/v1/jobs?from=1&limit=1", 200);
    assertThat(second.get("jobs")).hasSize(1);
    assertThat(second.has("next")).isFalse();
    assertThat(second.at("/jobs/0/jobId").asText())
        .isNotEqualTo(first.at("/jobs/0/jobId").asText());
  }

  private static JsonNode get(String path, int status) throws Exception {
    return net.getJson(path, status);
  }
}
