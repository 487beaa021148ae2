package org.fedledger.cli.nemesis;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.core.proto.SignedTransaction;
import org.fedledger.core.proto.bank.Transfer;
import org.fedledger.core.tx.TransactionBuilder;
import org.fedledger.core.tx.TransactionCodec;
import org.fedledger.node.keys.KeyFile;

/**
 * The nemesis' transfer workload: one client per funded account, each sending a transfer to the
 * next account, to a node drawn at random, and waiting to see it committed before it sends its
 * next. A client that cannot tell (the node is down, cut off or slow) offers the very same signed
 * transaction to another node, as a real client must; so a transaction may reach several mempools,
 * and the chain must still commit it once. Only a transaction the client saw committed counts as
 * acknowledged.
 */
final class TransferLoad implements AutoCloseable {
  private static final long COMMIT_WAIT_MILLIS = 4_000;

  private final List<NodeEndpoint> nodes;
  private final List<Ed25519KeyPair> senders;
  private final String chainId;
  private final History history;
  private final Consumer<String> anomalies;
  private final long seed;
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean running = true;

  private TransferLoad(
      List<NodeEndpoint> nodes,
      List<Ed25519KeyPair> senders,
      String chainId,
      History history,
      Consumer<String> anomalies,
      long seed) {
    this.nodes = nodes;
    this.senders = senders;
    this.chainId = chainId;
    this.history = history;
    this.anomalies = anomalies;
    this.seed = seed;
  }

  /**
   * Starts a client per key file (each a genesis-funded account with nonce 0), recording into
   * history; a node's refusal of a valid transfer goes to anomalies.
   */
  static TransferLoad start(
      List<NodeEndpoint> nodes,
      List<Path> keyFiles,
      String chainId,
      History history,
      Consumer<String> anomalies,
      long seed)
      throws IOException {
    List<Ed25519KeyPair> senders = new ArrayList<>();
    for (Path k : keyFiles) {
      senders.add(KeyFile.load(k));
    }
    if (senders.size() < 2) {
      throw new IllegalArgumentException("the transfer workload needs at least 2 accounts");
    }
    TransferLoad load = new TransferLoad(nodes, senders, chainId, history, anomalies, seed);
    for (int s = 0; s < senders.size(); s++) {
      int sender = s;
      load.threads.add(
          Thread.ofVirtual().name("nemesis-client-" + s).start(() -> load.run(sender)));
    }
    return load;
  }

  private void run(int sender) {
    Random random = new Random(seed * 31 + sender);
    try {
      for (long nonce = 0; running; nonce++) {
        SignedTransaction tx = transfer(sender, nonce);
        String hash = TransactionCodec.hashOf(tx).toHex();
        history.submitted(hash);
        while (running && !offer(tx, hash, nodes.get(random.nextInt(nodes.size())))) {
          TimeUnit.MILLISECONDS.sleep(50);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Offers tx to node and waits to see it committed there; true once it was. */
  private boolean offer(SignedTransaction tx, String hash, NodeEndpoint node)
      throws InterruptedException {
    Optional<NodeEndpoint.Reply> reply = node.submit(tx.toByteArray());
    if (reply.isEmpty()) {
      return false; // down, paused or cut off: another node next time
    }
    int status = reply.get().status();
    String code = reply.get().errorCode();
    if (status == 409 && code.equals("BAD_NONCE")) {
      // Either it is committed already (through another node), or this node lags behind.
      return seenCommitted(hash, node);
    }
    if (status != 202 && !(status == 409 && code.equals("DUPLICATE"))) {
      if (status / 100 == 4) {
        anomalies.accept(
            node.id() + " refused a valid transfer " + hash + ": " + reply.get().json());
      }
      return false; // 503 (no leader, busy) and the like: try again
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(COMMIT_WAIT_MILLIS);
    while (running && System.nanoTime() < deadline) {
      if (seenCommitted(hash, node)) {
        return true;
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
    return false;
  }

  private boolean seenCommitted(String hash, NodeEndpoint node) throws InterruptedException {
    Optional<NodeEndpoint.Reply> r = node.get("/v1/transactions/" + hash);
    if (r.isPresent() && r.get().status() == 200) {
      history.acknowledged(hash);
      return true;
    }
    return false;
  }

  private SignedTransaction transfer(int sender, long nonce) {
    Ed25519KeyPair to = senders.get((sender + 1) % senders.size());
    return TransactionBuilder.builder()
        .setChainId(chainId)
        .setKey(senders.get(sender))
        .setNonce(nonce)
        .setMessage(
            "bank",
            "Transfer",
            Transfer.newBuilder()
                .setTo(to.publicKey().address().toByteString())
                .setAmount(1 + nonce % 7)
                .build())
        .build();
  }

  /** Stops the clients, waiting up to grace for each to finish its current offer. */
  void stop(Duration grace) throws InterruptedException {
    running = false;
    long deadline = System.nanoTime() + grace.toNanos();
    for (Thread t : threads) {
      long left = deadline - System.nanoTime();
      if (left > 0) {
        t.join(Duration.ofNanos(left));
      }
      t.interrupt();
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop(Duration.ofSeconds(10));
  }
}
