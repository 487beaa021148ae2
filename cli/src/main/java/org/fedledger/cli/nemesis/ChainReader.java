package org.fedledger.cli.nemesis;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.fedledger.core.address.Address;

/** Reads what the checker needs from each node's REST API, once the cluster is quiet. */
final class ChainReader {
  private ChainReader() {}

  /**
   * Waits until every node answers with one and the same height, unchanged for settle; returns
   * whether they got there within timeout (if not, the checker reports who lags).
   */
  static boolean awaitQuiet(NemesisCluster cluster, Duration settle, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<Long> last = List.of();
    long sameSince = System.nanoTime();
    while (System.nanoTime() < deadline) {
      List<Long> heights = cluster.heights();
      if (!heights.equals(last)) {
        last = heights;
        sameSince = System.nanoTime();
      } else if (!heights.contains(-1L)
          && new HashSet<>(heights).size() == 1
          && System.nanoTime() - sameSince >= settle.toNanos()) {
        return true;
      }
      TimeUnit.MILLISECONDS.sleep(200);
    }
    return false;
  }

  /** Node's whole chain, the balances of accounts summed, and its recorded faults. */
  static ChainView read(NodeEndpoint node, List<Address> accounts)
      throws IOException, InterruptedException {
    JsonNode status = require(node, "/v1/status");
    long height = status.path("height").asLong();
    List<ChainView.Block> blocks = new ArrayList<>();
    for (long h = 1; h <= height; h++) {
      JsonNode b = require(node, "/v1/blocks/" + h);
      List<String> txs = new ArrayList<>();
      for (JsonNode entry : b.path("transactions")) {
        txs.add(entry.path("tx").path("hash").asText());
      }
      blocks.add(
          new ChainView.Block(
              h,
              b.path("hash").asText(),
              b.path("stateRoot").asText(),
              b.path("timestampMillis").asLong(),
              txs));
    }
    long supply = 0;
    for (Address a : accounts) {
      supply += require(node, "/v1/accounts/" + a.toHex()).path("balance").asLong();
    }
    List<String> faults = new ArrayList<>();
    for (JsonNode f : status.path("faults")) {
      faults.add(f.toString());
    }
    return new ChainView(node.id(), blocks, supply, faults);
  }

  private static JsonNode require(NodeEndpoint node, String path)
      throws IOException, InterruptedException {
    for (int attempt = 0; attempt < 5; attempt++) {
      Optional<NodeEndpoint.Reply> r = node.get(path);
      if (r.isPresent() && r.get().status() == 200) {
        return r.get().json();
      }
      TimeUnit.MILLISECONDS.sleep(200);
    }
    throw new IOException(node + " did not answer GET " + path + " after healing");
  }
}
