package org.fedledger.consensus.node;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.fedledger.consensus.block.BlockParams;
import org.fedledger.consensus.mempool.MempoolConfig;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.ledger.Genesis;

/**
 * Everything a validator's consensus layer needs to start, already loaded: keys, peers, genesis and
 * limits. A node builds it from its configuration file (node's {@code NodeConfig}).
 *
 * @param key this validator's key: signs state-root votes, names the proposer of its blocks
 * @param dataDir holds {@code ledger/} (the application state) and {@code raft/} (log and
 *     snapshots)
 * @param selfId this node's id among {@code peers}
 * @param peers the Raft group this node starts with, itself included; a one-peer group is a single
 *     node
 * @param genesis identical on every node of the network
 * @param block how the leader cuts blocks; sizes above the genesis' block limits are lowered to
 *     them
 * @param mempool admission limits
 * @param electionTimeout minimum Raft election timeout (the maximum is twice that)
 * @param snapshotThreshold applied log entries between automatic snapshots; 0 disables them
 * @param raftOverrides raw Ratis properties applied last (advanced tuning and tests), e.g. {@code
 *     raft.server.log.segment.size.max}
 * @param tls mutual TLS for every Raft connection (server, peers, clients); null: plaintext, for
 *     in-process test networks only
 */
public record ConsensusConfig(
    Ed25519KeyPair key,
    Path dataDir,
    String selfId,
    List<PeerAddress> peers,
    Genesis genesis,
    BlockParams block,
    MempoolConfig mempool,
    Duration electionTimeout,
    long snapshotThreshold,
    Map<String, String> raftOverrides,
    RaftTls tls) {

  public static final Duration DEFAULT_ELECTION_TIMEOUT = Duration.ofSeconds(1);
  public static final long DEFAULT_SNAPSHOT_THRESHOLD = 10_000;

  public ConsensusConfig {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(selfId, "selfId");
    Objects.requireNonNull(genesis, "genesis");
    Objects.requireNonNull(block, "block");
    Objects.requireNonNull(mempool, "mempool");
    Objects.requireNonNull(electionTimeout, "electionTimeout");
    block = block.within(genesis.blockLimits());
    peers = List.copyOf(peers);
    raftOverrides = Map.copyOf(raftOverrides);
    if (peers.stream().noneMatch(p -> p.id().equals(selfId))) {
      throw new IllegalArgumentException(
          "selfId " + selfId + " is not among the peers " + peers + "; list this node too");
    }
    if (peers.stream().map(PeerAddress::id).distinct().count() != peers.size()) {
      throw new IllegalArgumentException("peer ids must be unique: " + peers);
    }
    if (snapshotThreshold < 0) {
      throw new IllegalArgumentException("snapshotThreshold must be >= 0");
    }
  }

  /** A configuration with default block, mempool, election and snapshot settings. */
  public static ConsensusConfig of(
      Ed25519KeyPair key, Path dataDir, String selfId, List<PeerAddress> peers, Genesis genesis) {
    return new ConsensusConfig(
        key,
        dataDir,
        selfId,
        peers,
        genesis,
        BlockParams.defaults(),
        MempoolConfig.defaults(),
        DEFAULT_ELECTION_TIMEOUT,
        DEFAULT_SNAPSHOT_THRESHOLD,
        Map.of(),
        null);
  }

  public PeerAddress self() {
    return peers.stream().filter(p -> p.id().equals(selfId)).findFirst().orElseThrow();
  }

  public ConsensusConfig withBlock(BlockParams newBlock) {
    return copy(c -> c.block = newBlock);
  }

  public ConsensusConfig withMempool(MempoolConfig newMempool) {
    return copy(c -> c.mempool = newMempool);
  }

  public ConsensusConfig withElectionTimeout(Duration timeout) {
    return copy(c -> c.electionTimeout = timeout);
  }

  public ConsensusConfig withSnapshotThreshold(long threshold) {
    return copy(c -> c.snapshotThreshold = threshold);
  }

  public ConsensusConfig withRaftOverrides(Map<String, String> overrides) {
    return copy(c -> c.raftOverrides = overrides);
  }

  public ConsensusConfig withPeers(List<PeerAddress> newPeers) {
    return copy(c -> c.peers = newPeers);
  }

  /** The same configuration with mutual TLS on every Raft connection (null: plaintext). */
  public ConsensusConfig withTls(RaftTls newTls) {
    return copy(c -> c.tls = newTls);
  }

  /** A copy with the components change sets, checked as a new configuration is. */
  private ConsensusConfig copy(Consumer<Components> change) {
    Components c = new Components(this);
    change.accept(c);
    return new ConsensusConfig(
        c.key,
        c.dataDir,
        c.selfId,
        c.peers,
        c.genesis,
        c.block,
        c.mempool,
        c.electionTimeout,
        c.snapshotThreshold,
        c.raftOverrides,
        c.tls);
  }

  /**
   * A configuration's components, open to change: each with* sets one, so a new component is added
   * here and in {@link #copy} instead of in every with*.
   */
  private static final class Components {
    Ed25519KeyPair key;
    Path dataDir;
    String selfId;
    List<PeerAddress> peers;
    Genesis genesis;
    BlockParams block;
    MempoolConfig mempool;
    Duration electionTimeout;
    long snapshotThreshold;
    Map<String, String> raftOverrides;
    RaftTls tls;

    Components(ConsensusConfig from) {
      key = from.key;
      dataDir = from.dataDir;
      selfId = from.selfId;
      peers = from.peers;
      genesis = from.genesis;
      block = from.block;
      mempool = from.mempool;
      electionTimeout = from.electionTimeout;
      snapshotThreshold = from.snapshotThreshold;
      raftOverrides = from.raftOverrides;
      tls = from.tls;
    }
  }
}
