package org.fedledger.cli.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.fedledger.cli.local.LocalNodes;
import org.fedledger.consensus.node.ConsensusNode;
import org.fedledger.core.address.Address;
import org.fedledger.core.io.FileTrees;
import org.fedledger.node.FedledgerNode;

/**
 * N validators in this process, started as {@code fedledger init} lays them out and {@code node
 * start} runs them (real {@link FedledgerNode}s: Raft on loopback, RocksDB, the API and the blob
 * server; validator i on ports basePort+3i..basePort+3i+2), in a temporary directory that {@link
 * #close} deletes. Genesis also funds the workload's accounts, whose keys the benchmark holds. The
 * load goes straight to each node's consensus layer, as the API's transaction endpoint passes it
 * on: the benchmark measures the ledger's ordering and execution, not HTTP.
 */
final class LocalNetwork implements AutoCloseable {
  static final String CHAIN_ID = "bench";

  private final Path dir;
  private final LocalNodes nodes;

  private final List<Address> alsoFunded;

  private LocalNetwork(Path dir, LocalNodes nodes, List<Address> alsoFunded) {
    this.dir = dir;
    this.nodes = nodes;
    this.alsoFunded = List.copyOf(alsoFunded);
  }

  /**
   * Starts validators node-0..node-(n-1), genesis giving each of the workload's accounts and of
   * alsoFunded balance tokens, and waits until a leader is ready. With tls, the network gets a
   * consortium CA and certificates as {@code fedledger init} makes them: Raft between the
   * validators is mutual TLS.
   */
  static LocalNetwork start(
      int n,
      int basePort,
      TransferWorkload workload,
      long balance,
      List<Address> alsoFunded,
      int maxTransactionsPerBlock,
      Duration blockInterval,
      boolean tls,
      Duration startTimeout)
      throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("fedledger-bench-");
    try {
      LocalNodes nodes =
          LocalNodes.builder()
              .setDir(dir.resolve("net"))
              .setBasePort(basePort)
              .setValidators(n)
              .optChainId(CHAIN_ID)
              .optBalance(balance)
              .optFundedAccounts(
                  Stream.concat(workload.addresses().stream(), alsoFunded.stream()).toList())
              .optMaxTransactionsPerBlock(maxTransactionsPerBlock)
              .optBlockInterval(blockInterval)
              .optTls(tls)
              .start(startTimeout);
      return new LocalNetwork(dir, nodes, alsoFunded);
    } catch (IOException | InterruptedException | RuntimeException e) {
      FileTrees.delete(dir);
      throw e;
    }
  }

  /** Every account genesis funded: the admin's (the network's), the workload's and alsoFunded. */
  List<Address> fundedAccounts(TransferWorkload workload) throws IOException {
    List<Address> all = new ArrayList<>();
    all.add(nodes.adminKey().publicKey().address());
    all.addAll(workload.addresses());
    all.addAll(alsoFunded);
    return all;
  }

  List<ConsensusNode> nodes() {
    return nodes.nodes().stream().map(FedledgerNode::consensus).toList();
  }

  /** The node that is currently the leader, if any. */
  Optional<ConsensusNode> leader() {
    return nodes().stream().filter(ConsensusNode::isLeader).findFirst();
  }

  @Override
  public void close() {
    RuntimeException failure = null;
    try {
      nodes.close();
    } catch (RuntimeException e) {
      failure = e;
    }
    try {
      FileTrees.delete(dir);
    } catch (IOException e) {
      IllegalStateException cannot =
          new IllegalStateException("cannot delete " + dir + ": " + e.getMessage());
      if (failure == null) {
        failure = cannot;
      } else {
        failure.addSuppressed(cannot);
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
