package org.fedledger.cli.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.fedledger.cli.nemesis.NodeProcess;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.core.proto.SignedTransaction;
import org.fedledger.core.proto.bank.Transfer;
import org.fedledger.core.tx.TransactionBuilder;
import org.fedledger.node.config.NetworkInitializer;
import org.fedledger.node.config.NodeConfig;
import org.fedledger.node.keys.KeyFile;
import org.fedledger.node.testing.TestNetworks;

/**
 * Three {@code fedledger node start} processes on a plaintext loopback network, with what the fault
 * tests need: transfers that are acknowledged and then waited for (resubmitted as a client must),
 * and the checks that every node agrees on every block and that tokens are conserved.
 */
public final class ProcessNetwork implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String chain;
  private final List<NodeProcess> nodes = new ArrayList<>();
  private final List<String> urls = new ArrayList<>();
  private final List<NodeConfig> configs = new ArrayList<>();
  private final List<Path> configFiles = new ArrayList<>();
  private final List<Ed25519KeyPair> accounts = new ArrayList<>();
  private final long[] nextNonce;
  private final Map<Integer, Map<Long, SignedTransaction>> sent = new HashMap<>();
  private final long totalSupply;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private int cursor;

  public record Reply(int status, JsonNode json) {}

  private ProcessNetwork(Path dir, String chain, UnaryOperator<NodeConfig> tune)
      throws IOException {
    this.chain = chain;
    NetworkInitializer.Network net = TestNetworks.create(dir, chain, 3, 2, 1_000_000, 30);
    accounts.add(KeyFile.load(net.adminKeyFile()));
    for (Path k : net.accountKeyFiles()) {
      accounts.add(KeyFile.load(k));
    }
    nextNonce = new long[accounts.size()];
    totalSupply = net.genesis().totalSupply();
    for (Path file : net.configFiles()) {
      NodeConfig config = tune.apply(NodeConfig.load(file));
      config.save(file);
      configs.add(config);
      configFiles.add(file);
      urls.add("http://" + config.apiAddress());
      nodes.add(new NodeProcess(file));
    }
  }

  /** Lays out the network; tune changes each node's configuration before it is saved. */
  public static ProcessNetwork create(Path dir, String chain, UnaryOperator<NodeConfig> tune)
      throws IOException {
    return new ProcessNetwork(dir, chain, tune);
  }

  public NodeProcess node(int i) {
    return nodes.get(i);
  }

  public Path dataDir(int i) {
    // A relative data directory is relative to the configuration file's directory.
    return configFiles.get(i).getParent().resolve(configs.get(i).dataDir());
  }

  public List<Integer> all() {
    return List.of(0, 1, 2);
  }

  public void startAll() throws IOException {
    for (NodeProcess n : nodes) {
      n.start();
    }
  }

  public Reply get(int node, String path) throws IOException, InterruptedException {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(urls.get(node) + path))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return new Reply(r.statusCode(), JSON.readTree(r.body()));
  }

  public Optional<Reply> tryGet(int node, String path) throws InterruptedException {
    try {
      return Optional.of(get(node, path));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Waits until every node in live answers and knows a leader among live. */
  public void awaitReady(List<Integer> live, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      boolean ready = true;
      for (int i : live) {
        Optional<Reply> s = tryGet(i, "/v1/status");
        ready &=
            s.isPresent()
                && !s.get().json().path("leaderId").isNull()
                && live.contains(indexOf(s.get().json().path("leaderId").asText()));
      }
      if (ready) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("nodes " + live + " did not elect a leader; see " + logs());
  }

  private static int indexOf(String nodeId) {
    return Integer.parseInt(nodeId.substring(nodeId.indexOf('-') + 1));
  }

  public int leaderIndex(List<Integer> live) throws Exception {
    return indexOf(get(live.get(0), "/v1/status").json().get("leaderId").asText());
  }

  public long height(int node) throws Exception {
    return get(node, "/v1/status").json().get("height").asLong();
  }

  /**
   * Sends transfers to the live nodes in turn for the given time, a few at a time per sender, each
   * acknowledged (202 or DUPLICATE) by some node; returns how many were acknowledged.
   */
  public int sendFor(Duration duration, List<Integer> live) throws Exception {
    long deadline = System.nanoTime() + duration.toNanos();
    int acked = 0;
    while (System.nanoTime() < deadline) {
      for (int s = 0; s < accounts.size(); s++) {
        if (nextNonce[s] - committedNonce(s, live) >= 16) {
          continue; // far enough ahead: wait for commits rather than outrun the nonce window
        }
        SignedTransaction tx = transfer(s, nextNonce[s]);
        if (submit(tx, live)) {
          sent.computeIfAbsent(s, k -> new HashMap<>()).put(nextNonce[s], tx);
          nextNonce[s]++;
          acked++;
        }
      }
      Thread.sleep(20);
    }
    return acked;
  }

  private long committedNonce(int sender, List<Integer> live) throws InterruptedException {
    long best = 0;
    for (int n : live) {
      Optional<Reply> r = tryGet(n, "/v1/accounts/" + address(sender));
      if (r.isPresent() && r.get().status() == 200) {
        best = Math.max(best, r.get().json().get("nonce").asLong());
      }
    }
    return best;
  }

  private String address(int sender) {
    return accounts.get(sender).publicKey().address().toHex();
  }

  private SignedTransaction transfer(int sender, long nonce) {
    Ed25519KeyPair to = accounts.get((sender + 1) % accounts.size());
    return TransactionBuilder.builder()
        .setChainId(chain)
        .setKey(accounts.get(sender))
        .setNonce(nonce)
        .setMessage(
            "bank",
            "Transfer",
            Transfer.newBuilder()
                .setTo(to.publicKey().address().toByteString())
                .setAmount(1 + nonce % 5)
                .build())
        .build();
  }

  private boolean submit(SignedTransaction tx, List<Integer> live) throws Exception {
    for (int attempt = 0; attempt < 2 * live.size(); attempt++) {
      int node = live.get(cursor++ % live.size());
      HttpResponse<String> r;
      try {
        r =
            http.send(
                HttpRequest.newBuilder(URI.create(urls.get(node) + "/v1/transactions"))
                    .header("Content-Type", "application/octet-stream")
                    .timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(tx.toByteArray()))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        continue;
      }
      String code = JSON.readTree(r.body()).path("error").path("code").asText();
      if (r.statusCode() == 202 || code.equals("DUPLICATE")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Waits until every live node has committed every acknowledged transfer (each sender's nonce
   * reached), resubmitting what a failed node may have held, as a client must.
   */
  public void awaitCommitted(List<Integer> live, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    long lastResubmit = System.nanoTime();
    while (System.nanoTime() < deadline) {
      boolean done = true;
      for (int n : live) {
        for (int s = 0; s < accounts.size(); s++) {
          Optional<Reply> r = tryGet(n, "/v1/accounts/" + address(s));
          done &=
              r.isPresent()
                  && r.get().status() == 200
                  && r.get().json().get("nonce").asLong() == nextNonce[s];
        }
      }
      if (done) {
        return;
      }
      if (System.nanoTime() - lastResubmit > TimeUnit.SECONDS.toNanos(2)) {
        for (int s = 0; s < accounts.size(); s++) {
          for (long nonce = committedNonce(s, live); nonce < nextNonce[s]; nonce++) {
            submit(sent.get(s).get(nonce), live);
          }
        }
        lastResubmit = System.nanoTime();
      }
      Thread.sleep(200);
    }
    throw new AssertionError("acknowledged transfers were not all committed; see " + logs());
  }

  /**
   * Checks that the live nodes hold the same block hash and state root at every height up to the
   * lowest of their heights, and conserve the token supply; returns the block timestamps, by height
   * from 1, as the first live node has them.
   */
  public List<Long> checkAgreement(List<Integer> live) throws Exception {
    long minHeight = Long.MAX_VALUE;
    for (int n : live) {
      minHeight = Math.min(minHeight, height(n));
    }
    assertThat(minHeight).isPositive();
    List<Long> times = new ArrayList<>();
    for (long h = 1; h <= minHeight; h++) {
      JsonNode first = null;
      for (int n : live) {
        Reply block = get(n, "/v1/blocks/" + h);
        assertThat(block.status()).as("node %d has block %d", n, h).isEqualTo(200);
        if (first == null) {
          first = block.json();
          times.add(first.get("timestampMillis").asLong());
        } else {
          assertThat(block.json().get("hash").asText())
              .as("block hash at height %d on node %d", h, n)
              .isEqualTo(first.get("hash").asText());
          assertThat(block.json().get("stateRoot").asText())
              .as("state root at height %d on node %d", h, n)
              .isEqualTo(first.get("stateRoot").asText());
        }
      }
    }
    for (int n : live) {
      long supply = 0;
      for (int s = 0; s < accounts.size(); s++) {
        supply += get(n, "/v1/accounts/" + address(s)).json().get("balance").asLong();
      }
      assertThat(supply).as("token supply on node %d", n).isEqualTo(totalSupply);
    }
    return times;
  }

  public String logs() {
    return nodes.stream().map(n -> n.log().toString()).toList().toString();
  }

  @Override
  public void close() throws InterruptedException {
    for (NodeProcess n : nodes) {
      n.kill();
    }
  }
}
