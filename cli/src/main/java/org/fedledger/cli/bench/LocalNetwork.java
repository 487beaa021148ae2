package org.fedledger.cli.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.fedledger.consensus.block.BlockParams;
import org.fedledger.consensus.node.ConsensusConfig;
import org.fedledger.consensus.node.ConsensusNode;
import org.fedledger.consensus.node.PeerAddress;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.core.hash.Sha256;
import org.fedledger.core.io.FileTrees;
import org.fedledger.ledger.Genesis;
import org.fedledger.ledger.ValidatorInfo;

/**
 * N validators in this process, each with its own Raft server (gRPC on a free loopback port) and
 * RocksDB ledger in a temporary directory; {@link #close} stops them and deletes the directory.
 */
final class LocalNetwork implements AutoCloseable {
  static final String CHAIN_ID = "bench";

  private final Path dir;
  private final List<ConsensusNode> nodes;

  private LocalNetwork(Path dir, List<ConsensusNode> nodes) {
    this.dir = dir;
    this.nodes = nodes;
  }

  /**
   * Starts validators v0..v(n-1) with genesis giving each of the workload's accounts balance
   * tokens, and waits until a leader is ready.
   */
  static LocalNetwork start(
      int n, TransferWorkload workload, long balance, BlockParams block, Duration startTimeout)
      throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("fedledger-bench-");
    List<ConsensusNode> started = new ArrayList<>();
    LocalNetwork network = new LocalNetwork(dir, started);
    try {
      List<Ed25519KeyPair> keys = new ArrayList<>();
      List<PeerAddress> peers = new ArrayList<>();
      List<ValidatorInfo> validators = new ArrayList<>();
      List<Integer> ports = freePorts(n);
      for (int i = 0; i < n; i++) {
        Ed25519KeyPair key = validatorKey(i);
        PeerAddress peer = new PeerAddress("v" + i, "127.0.0.1", ports.get(i));
        keys.add(key);
        peers.add(peer);
        validators.add(new ValidatorInfo(key.publicKey(), 1, peer.address(), peer.address()));
      }
      Genesis genesis =
          new Genesis(
              CHAIN_ID,
              0L,
              keys.get(0).publicKey().address(),
              validators,
              workload.genesisAccounts(balance));
      for (int i = 0; i < n; i++) {
        ConsensusConfig config =
            ConsensusConfig.of(keys.get(i), dir.resolve("v" + i), "v" + i, peers, genesis)
                .withBlock(block);
        started.add(ConsensusNode.start(config));
      }
      network.awaitLeader(startTimeout);
      return network;
    } catch (IOException | InterruptedException | RuntimeException e) {
      network.close();
      throw e;
    }
  }

  /** Validator i's key, derived from its index like the accounts' keys. */
  static Ed25519KeyPair validatorKey(int i) {
    return Ed25519KeyPair.fromSeed(
        Sha256.hash(("fedledger/bench/validator/" + i).getBytes(StandardCharsets.UTF_8))
            .toByteArray());
  }

  List<ConsensusNode> nodes() {
    return nodes;
  }

  /** The node that is currently the leader, if any. */
  Optional<ConsensusNode> leader() {
    return nodes.stream().filter(ConsensusNode::isLeader).findFirst();
  }

  private void awaitLeader(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (leader().isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "no Raft leader was elected among "
                + nodes.size()
                + " local validators within "
                + timeout.toSeconds()
                + " s; is the machine overloaded?");
      }
      Thread.sleep(20);
    }
  }

  @Override
  public void close() {
    RuntimeException failure = null;
    for (ConsensusNode node : nodes) {
      try {
        node.close();
      } catch (RuntimeException e) {
        failure = addTo(failure, e);
      }
    }
    try {
      FileTrees.delete(dir);
    } catch (IOException e) {
      failure =
          addTo(failure, new IllegalStateException("cannot delete " + dir + ": " + e.getMessage()));
    }
    if (failure != null) {
      throw failure;
    }
  }

  private static RuntimeException addTo(RuntimeException first, RuntimeException next) {
    if (first == null) {
      return next;
    }
    first.addSuppressed(next);
    return first;
  }

  /** Distinct free loopback ports: all sockets stay open until every port is picked. */
  private static List<Integer> freePorts(int n) throws IOException {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      List<Integer> ports = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        sockets.add(s);
        ports.add(s.getLocalPort());
      }
      return ports;
    } finally {
      for (ServerSocket s : sockets) {
        s.close();
      }
    }
  }
}
