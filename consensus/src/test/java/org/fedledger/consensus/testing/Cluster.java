package org.fedledger.consensus.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fedledger.consensus.block.BlockParams;
import org.fedledger.consensus.node.ConsensusConfig;
import org.fedledger.consensus.node.ConsensusNode;
import org.fedledger.consensus.node.MembershipPlan;
import org.fedledger.consensus.node.PeerAddress;
import org.fedledger.core.address.Address;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.core.crypto.Ed25519PublicKey;
import org.fedledger.core.proto.BlockHeader;
import org.fedledger.ledger.Genesis;
import org.fedledger.ledger.Ledger;
import org.fedledger.testkit.FreePorts;

/** Validators in one process, on loopback, each with its own data directory. */
public final class Cluster implements AutoCloseable {
  public final List<Ed25519KeyPair> validatorKeys;
  public final List<Ed25519KeyPair> accounts;
  public final Genesis genesis;
  public final List<PeerAddress> peers = new ArrayList<>();
  public final ConsensusNode[] nodes;
  private final Path root;
  private final Map<String, String> raftOverrides;

  public Cluster(Path root, int size, int accountCount) {
    this(root, size, accountCount, Map.of());
  }

  public Cluster(Path root, int size, int accountCount, Map<String, String> raftOverrides) {
    this(root, size, accountCount, raftOverrides, false, List.of());
  }

  /**
   * A cluster whose genesis also funds addresses whose keys the test holds in another form (the
   * edge-case signers of the test kit), with the same balance as the accounts.
   */
  public static Cluster alsoFunding(Path root, int size, int accountCount, List<Address> extra) {
    return new Cluster(root, size, accountCount, Map.of(), false, extra);
  }

  private Cluster(
      Path root,
      int size,
      int accountCount,
      Map<String, String> raftOverrides,
      boolean genesisListsThePeers,
      List<Address> alsoFunded) {
    this.root = root;
    this.raftOverrides = raftOverrides;
    this.validatorKeys = Chains.keys(size + 1, 100); // one spare, for membership tests
    this.accounts = Chains.keys(accountCount, 1);
    for (int i = 0; i < size; i++) {
      peers.add(new PeerAddress("v" + i, "127.0.0.1", FreePorts.one()));
    }
    this.genesis =
        Chains.alsoFunding(
            genesisListsThePeers
                ? Chains.genesisOf(validatorKeys.subList(0, size), peers, accounts)
                : Chains.genesis(validatorKeys, accounts),
            alsoFunded);
    this.nodes = new ConsensusNode[size + 1];
  }

  /**
   * A network whose genesis validator set is the first {@code size} validators at their real Raft
   * addresses, as {@code fedledger init} makes it: Raft membership follows the chain's validator
   * set. The spare validator is no genesis validator; its peer id is the one the chain gives it.
   */
  public static Cluster followingTheChain(Path root, int size, int accountCount) {
    return new Cluster(root, size, accountCount, Map.of(), true, List.of());
  }

  /** The peer id of validator i: "v" + i for a genesis validator, else the chain's id for it. */
  public String idOf(int i) {
    Ed25519PublicKey key = validatorKeys.get(i).publicKey();
    boolean inGenesis = genesis.validators().stream().anyMatch(v -> v.publicKey().equals(key));
    return inGenesis ? "v" + i : MembershipPlan.peerIdOf(key);
  }

  public ConsensusConfig config(int i, List<PeerAddress> group) {
    return ConsensusConfig.of(validatorKeys.get(i), root.resolve("v" + i), idOf(i), group, genesis)
        .withBlock(BlockParams.defaults().withBlockInterval(Duration.ofMillis(50)))
        .withElectionTimeout(Duration.ofMillis(800))
        .withSnapshotThreshold(0)
        .withRaftOverrides(raftOverrides);
  }

  public ConsensusNode start(int i) throws IOException {
    nodes[i] = ConsensusNode.start(config(i, peers));
    return nodes[i];
  }

  /** Starts validator i (beyond the initial group) with the given group, itself included. */
  public ConsensusNode start(int i, List<PeerAddress> group) throws IOException {
    nodes[i] = ConsensusNode.start(config(i, group));
    return nodes[i];
  }

  public int indexOf(ConsensusNode node) {
    for (int i = 0; i < nodes.length; i++) {
      if (nodes[i] == node) {
        return i;
      }
    }
    throw new AssertionError(node.id() + " is not running");
  }

  public void startAll() throws IOException {
    for (int i = 0; i < peers.size(); i++) {
      start(i);
    }
  }

  public List<ConsensusNode> running() {
    List<ConsensusNode> out = new ArrayList<>();
    for (ConsensusNode n : nodes) {
      if (n != null) {
        out.add(n);
      }
    }
    return out;
  }

  public ConsensusNode awaitLeader(Duration timeout) {
    ConsensusNode[] found = new ConsensusNode[1];
    Chains.await(
        timeout,
        "a leader",
        () -> {
          for (ConsensusNode n : running()) {
            if (n.isLeader()) {
              found[0] = n;
              return true;
            }
          }
          return false;
        });
    return found[0];
  }

  public ConsensusNode aFollower() {
    for (ConsensusNode n : running()) {
      if (!n.isLeader()) {
        return n;
      }
    }
    throw new AssertionError("no follower among " + running());
  }

  public void stop(int i) {
    if (nodes[i] != null) {
      nodes[i].close();
      nodes[i] = null;
    }
  }

  /** Headers must be identical on every running node at every height up to the lowest. */
  public long assertSameChain() {
    List<ConsensusNode> rs = running();
    long h = Long.MAX_VALUE;
    for (ConsensusNode n : rs) {
      h = Math.min(h, n.height());
    }
    Ledger first = rs.get(0).ledger();
    for (long height = 1; height <= h; height++) {
      BlockHeader expected = first.headerByHeight(height).orElseThrow();
      for (ConsensusNode n : rs.subList(1, rs.size())) {
        BlockHeader got = n.ledger().headerByHeight(height).orElseThrow();
        if (!got.equals(expected)) {
          throw new AssertionError(
              "node " + n.id() + " differs at height " + height + ": " + got + " vs " + expected);
        }
      }
    }
    return h;
  }

  @Override
  public void close() {
    for (int i = 0; i < nodes.length; i++) {
      stop(i);
    }
  }
}
