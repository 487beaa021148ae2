package org.fedledger.cli.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.fedledger.cli.nemesis.NodeProcess;
import org.fedledger.core.address.Address;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.core.proto.SignedTransaction;
import org.fedledger.core.proto.TxBody;
import org.fedledger.core.proto.bank.Transfer;
import org.fedledger.core.tx.TransactionCodec;
import org.fedledger.node.config.NetworkInitializer;
import org.fedledger.node.config.NodeConfig;
import org.fedledger.node.keys.KeyFile;
import org.fedledger.node.testing.TestNetworks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three {@code fedledger node start} processes under load: one is killed with SIGKILL and
 * restarted, then all three are. Afterwards every node must report the same block hash and state
 * root at every height, every acknowledged transaction must be committed, and the token supply must
 * be unchanged.
 */
@Timeout(value = 200, unit = TimeUnit.SECONDS)
class NodeProcessFaultTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CHAIN = "fault-test";
  private static final int SENDERS = 4;

  /** Below the ledger's nonce window, so a sender never runs ahead of what can be admitted. */
  private static final int MAX_OUTSTANDING = 32;

  @TempDir Path dir;
  private final List<NodeProcess> nodes = new ArrayList<>();
  private final List<String> urls = new ArrayList<>();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final List<Ed25519KeyPair> accounts = new ArrayList<>();
  private final long[] nextNonce = new long[SENDERS];
  private final Map<String, SignedTransaction> acked = new HashMap<>();
  private final Map<Integer, Map<Long, SignedTransaction>> bySenderNonce = new HashMap<>();
  private long totalSupply;
  private int submitCursor;

  record Reply(int status, JsonNode json) {}

  @AfterEach
  void killEveryProcess() throws InterruptedException {
    for (NodeProcess n : nodes) {
      n.kill();
    }
  }

  @Test
  void killedNodesCatchUpAndNothingAcknowledgedIsLost() throws Exception {
    NetworkInitializer.Network net =
        TestNetworks.create(dir.resolve("net"), CHAIN, 3, SENDERS - 1, 1_000_000, 50);
    accounts.add(KeyFile.load(net.adminKeyFile()));
    for (Path k : net.accountKeyFiles()) {
      accounts.add(KeyFile.load(k));
    }
    totalSupply = net.genesis().totalSupply();
    for (Path config : net.configFiles()) {
      urls.add("http://" + NodeConfig.load(config).apiAddress());
      nodes.add(new NodeProcess(config).start());
    }
    List<Integer> all = List.of(0, 1, 2);
    awaitReady(all);

    load(Duration.ofSeconds(3), all);
    int victim = leaderIndex(all);
    nodes.get(victim).kill();
    List<Integer> survivors = all.stream().filter(i -> i != victim).toList();
    load(Duration.ofSeconds(4), survivors);
    nodes.get(victim).start();
    load(Duration.ofSeconds(2), all);
    settle(all);
    checkConsistent(all);

    for (NodeProcess n : nodes) {
      n.kill();
    }
    for (NodeProcess n : nodes) {
      n.start();
    }
    awaitReady(all);
    load(Duration.ofSeconds(2), all);
    settle(all);
    checkConsistent(all);

    System.out.printf(
        "fault test: %d acknowledged transfers, all committed; victim was node-%d%n",
        acked.size(), victim);

    // SIGTERM runs the shutdown hook: the node closes cleanly.
    for (NodeProcess n : nodes) {
      n.terminate();
      assertThat(Files.readString(n.log())).contains("stopped");
    }
  }

  private Reply get(int node, String path) throws IOException, InterruptedException {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(urls.get(node) + path))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return new Reply(r.statusCode(), JSON.readTree(r.body()));
  }

  private Optional<Reply> tryGet(int node, String path) throws InterruptedException {
    try {
      return Optional.of(get(node, path));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private void awaitReady(List<Integer> live) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      boolean ready = true;
      for (int i : live) {
        Optional<Reply> s = tryGet(i, "/v1/status");
        ready &= s.isPresent() && !s.get().json().path("leaderId").isNull();
      }
      if (ready) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("nodes " + live + " did not elect a leader; see " + logs());
  }

  private int leaderIndex(List<Integer> live) throws Exception {
    String leader = get(live.get(0), "/v1/status").json().get("leaderId").asText();
    return Integer.parseInt(leader.substring(leader.indexOf('-') + 1));
  }

  /** Submits transfers round-robin over senders and live nodes for the given time. */
  private void load(Duration duration, List<Integer> live) throws Exception {
    long deadline = System.nanoTime() + duration.toNanos();
    long[] committed = new long[SENDERS];
    int i = 0;
    while (System.nanoTime() < deadline) {
      int s = i++ % SENDERS;
      if (nextNonce[s] - committed[s] >= MAX_OUTSTANDING) {
        committed[s] = committedNonce(s, live);
        if (nextNonce[s] - committed[s] >= MAX_OUTSTANDING) {
          Thread.sleep(5);
          continue;
        }
      }
      SignedTransaction tx = transfer(s, nextNonce[s]);
      if (submit(tx, live)) {
        acked.put(TransactionCodec.hashOf(tx).toHex(), tx);
        bySenderNonce.computeIfAbsent(s, k -> new HashMap<>()).put(nextNonce[s], tx);
        nextNonce[s]++;
      }
    }
  }

  private long committedNonce(int sender, List<Integer> live) throws InterruptedException {
    for (int n : live) {
      Optional<Reply> r =
          tryGet(n, "/v1/accounts/" + accounts.get(sender).publicKey().address().toHex());
      if (r.isPresent()) {
        return r.get().json().get("nonce").asLong();
      }
    }
    return 0;
  }

  private SignedTransaction transfer(int sender, long nonce) {
    Ed25519KeyPair from = accounts.get(sender);
    Ed25519KeyPair to = accounts.get((sender + 1) % SENDERS);
    TxBody body =
        TxBody.newBuilder()
            .setChainId(CHAIN)
            .setSenderPublicKey(from.publicKey().toByteString())
            .setNonce(nonce)
            .setModule("bank")
            .setMessageType("Transfer")
            .setPayload(
                Transfer.newBuilder()
                    .setTo(to.publicKey().address().toByteString())
                    .setAmount(1 + nonce % 7)
                    .build()
                    .toByteString())
            .build();
    return TransactionCodec.sign(body, from);
  }

  /**
   * Offers tx to the live nodes in turn until one acknowledges it: 202, or 409 DUPLICATE (already
   * pending there). Any other refusal is a bug.
   */
  private boolean submit(SignedTransaction tx, List<Integer> live) throws Exception {
    for (int attempt = 0; attempt < 3 * live.size(); attempt++) {
      int node = live.get(submitCursor++ % live.size());
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
        Thread.sleep(50);
        continue;
      }
      if (r.statusCode() == 202) {
        return true;
      }
      String code = JSON.readTree(r.body()).path("error").path("code").asText();
      if (r.statusCode() == 409 && code.equals("DUPLICATE")) {
        return true;
      }
      if (r.statusCode() == 503 || (code.equals("BAD_NONCE") && lagsBehind(node, tx))) {
        // Busy, or a restarted node still catching up: its committed nonce is so far behind that
        // this nonce is outside its window. Another node (or a later try) takes it.
        Thread.sleep(50);
        continue;
      }
      throw new AssertionError("node " + node + " refused a valid transfer: " + r.body());
    }
    return false;
  }

  /** True if node has committed fewer of the sender's transactions than tx's nonce. */
  private boolean lagsBehind(int node, SignedTransaction tx) throws Exception {
    TxBody body = TxBody.parseFrom(tx.getBody());
    Address sender = Address.fromPublicKey(body.getSenderPublicKey().toByteArray());
    Optional<Reply> r = tryGet(node, "/v1/accounts/" + sender.toHex());
    return r.isPresent() && r.get().json().get("nonce").asLong() < body.getNonce();
  }

  /**
   * Waits until every live node has committed every acknowledged transaction (each sender's nonce
   * reached), resubmitting what a dead node may have held, as a client must.
   */
  private void settle(List<Integer> live) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    long lastResubmit = System.nanoTime();
    while (System.nanoTime() < deadline) {
      boolean done = true;
      for (int n : live) {
        for (int s = 0; s < SENDERS; s++) {
          Optional<Reply> r =
              tryGet(n, "/v1/accounts/" + accounts.get(s).publicKey().address().toHex());
          done &= r.isPresent() && r.get().json().get("nonce").asLong() == nextNonce[s];
        }
      }
      if (done) {
        return;
      }
      if (System.nanoTime() - lastResubmit > TimeUnit.SECONDS.toNanos(3)) {
        for (int s = 0; s < SENDERS; s++) {
          for (long nonce = committedNonce(s, live); nonce < nextNonce[s]; nonce++) {
            resubmitQuietly(bySenderNonce.get(s).get(nonce), live);
          }
        }
        lastResubmit = System.nanoTime();
      }
      Thread.sleep(200);
    }
    throw new AssertionError("acknowledged transactions were not all committed; see " + logs());
  }

  private void resubmitQuietly(SignedTransaction tx, List<Integer> live) throws Exception {
    for (int n : live) {
      try {
        http.send(
            HttpRequest.newBuilder(URI.create(urls.get(n) + "/v1/transactions"))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(tx.toByteArray()))
                .build(),
            HttpResponse.BodyHandlers.discarding());
      } catch (IOException e) {
        // That node is down; the others get it.
      }
    }
  }

  /** Same hash and state root at every height on every node; all acked txs in; supply intact. */
  private void checkConsistent(List<Integer> live) throws Exception {
    long minHeight = Long.MAX_VALUE;
    for (int n : live) {
      minHeight = Math.min(minHeight, get(n, "/v1/status").json().get("height").asLong());
    }
    assertThat(minHeight).isPositive();
    Set<String> committed = new HashSet<>();
    for (long h = 1; h <= minHeight; h++) {
      JsonNode first = null;
      for (int n : live) {
        Reply block = get(n, "/v1/blocks/" + h);
        assertThat(block.status()).as("node %d has block %d", n, h).isEqualTo(200);
        if (first == null) {
          first = block.json();
          for (JsonNode entry : first.get("transactions")) {
            committed.add(entry.get("tx").get("hash").asText());
            assertThat(entry.get("receipt").get("status").asText()).isEqualTo("OK");
          }
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
    assertThat(acked).isNotEmpty();
    assertThat(committed).containsAll(acked.keySet());
    for (int n : live) {
      long supply = 0;
      for (Ed25519KeyPair a : accounts) {
        supply +=
            get(n, "/v1/accounts/" + a.publicKey().address().toHex())
                .json()
                .get("balance")
                .asLong();
      }
      assertThat(supply).as("token supply on node %d", n).isEqualTo(totalSupply);
    }
  }

  private String logs() {
    return nodes.stream().map(n -> n.log().toString()).toList().toString();
  }
}
