package org.fedledger.cli.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import org.fedledger.cli.local.LocalNodes;
import org.fedledger.consensus.node.ConsensusNode;
import org.fedledger.core.address.Address;
import org.fedledger.core.io.FileTrees;
import org.fedledger.node.FedledgerNode;
import org.fedledger.node.tls.CaDirectory;
import org.fedledger.node.tls.CertificateRequest;
import org.fedledger.node.tls.NetworkCertificates;
import org.fedledger.node.tls.NodeTls;
import org.fedledger.node.tls.Role;
import org.fedledger.node.tls.TlsIdentity;

/**
 * N validators in this process, started as {@code fedledger init} lays them out and {@code node
 * start} runs them (real {@link FedledgerNode}s: Raft on loopback, RocksDB, the API and the blob
 * server; validator i on ports basePort+3i..basePort+3i+2), in a temporary directory that {@link
 * #close} deletes. Genesis also funds the workload's accounts, whose keys the benchmark holds. The
 * honest load goes straight to each node's consensus layer, as the API's transaction endpoint
 * passes it on: the benchmark measures the ledger's ordering and execution, not HTTP. A flood (see
 * {@link JunkFlood}) comes through the leader's API, as an attacker's must.
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

  /** The API address of the node that is currently the leader, e.g. http://127.0.0.1:7940. */
  Optional<String> leaderApiUrl() {
    for (int i = 0; i < nodes.nodes().size(); i++) {
      if (nodes.node(i).consensus().isLeader()) {
        return Optional.of(nodes.apiUrl(i));
      }
    }
    return Optional.empty();
  }

  /**
   * A TLS client context with a member's certificate, newly issued as name by the network's CA, or
   * null for a network without TLS: what an API client of a members-only node must show.
   */
  SSLContext memberTls(String name) throws IOException {
    if (!nodes.tls()) {
      return null;
    }
    CaDirectory ca = CaDirectory.open(nodes.network().dir().resolve(NetworkCertificates.TLS_DIR));
    Path cert = ca.dir().resolve(name + ".pem");
    Path key = ca.dir().resolve(name + "-key.pem");
    ca.issue(
        CertificateRequest.builder()
            .setName(name)
            .setRole(Role.MEMBER)
            .setNotBefore(Instant.now())
            .build(),
        cert,
        key);
    return TlsIdentity.load(cert, key, ca.caFile(), ca.crlFile())
        .sslContext("API client", NodeTls.SERVERS);
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
