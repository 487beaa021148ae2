package org.fedledger.node.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A node's configuration file (JSON). Relative paths are resolved against the directory holding the
 * file, so a network directory made by {@code fedledger init} can be moved as a whole.
 *
 * @param nodeId this node's Raft peer id; must be one of {@code peers}
 * @param dataDir where the node keeps its Raft log, snapshots and state database
 * @param keyFile the validator's Ed25519 key file (mode 0600)
 * @param genesisFile the network's genesis.json
 * @param raftAddress host:port the Raft server listens on
 * @param apiAddress host:port the REST API listens on (127.0.0.1 unless you mean to expose it)
 * @param peers every voting member of the Raft group, this node included
 * @param block how the leader cuts blocks
 * @param tuning optional consensus settings; absent fields take the consensus defaults
 */
public record NodeConfig(
    String nodeId,
    String dataDir,
    String keyFile,
    String genesisFile,
    String raftAddress,
    String apiAddress,
    List<Peer> peers,
    BlockParams block,
    Tuning tuning) {

  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** A member of the Raft group. */
  public record Peer(String id, String raftAddress, String apiAddress) {}

  /**
   * @param maxTransactions most transactions in one block
   * @param maxBytes most encoded transaction bytes in one block
   * @param intervalMillis how long the leader waits for more transactions before cutting a block
   */
  public record BlockParams(int maxTransactions, int maxBytes, long intervalMillis) {
    public static final BlockParams DEFAULT = new BlockParams(2000, 4 * 1024 * 1024, 100);
  }

  /**
   * @param electionTimeoutMillis minimum Raft election timeout
   * @param snapshotThreshold applied log entries between snapshots, 0 disables them
   * @param mempoolCapacity most transactions the mempool holds
   */
  public record Tuning(
      Long electionTimeoutMillis, Long snapshotThreshold, Integer mempoolCapacity) {
    public static final Tuning DEFAULT = new Tuning(null, null, null);
  }

  /** A configuration with default tuning. */
  public NodeConfig(
      String nodeId,
      String dataDir,
      String keyFile,
      String genesisFile,
      String raftAddress,
      String apiAddress,
      List<Peer> peers,
      BlockParams block) {
    this(nodeId, dataDir, keyFile, genesisFile, raftAddress, apiAddress, peers, block, null);
  }

  public NodeConfig {
    peers = peers == null ? List.of() : List.copyOf(peers);
    block = block == null ? BlockParams.DEFAULT : block;
    tuning = tuning == null ? Tuning.DEFAULT : tuning;
  }

  public NodeConfig validate() {
    require(nodeId, "nodeId");
    require(dataDir, "dataDir");
    require(keyFile, "keyFile");
    require(genesisFile, "genesisFile");
    HostPort.parse(require(raftAddress, "raftAddress"));
    HostPort.parse(require(apiAddress, "apiAddress"));
    if (peers.isEmpty()) {
      throw new IllegalArgumentException("\"peers\" must list the Raft group, this node included");
    }
    Set<String> ids = new HashSet<>();
    for (Peer p : peers) {
      require(p.id(), "peers[].id");
      if (!ids.add(p.id())) {
        throw new IllegalArgumentException("peer id " + p.id() + " appears twice in \"peers\"");
      }
      HostPort.parse(require(p.raftAddress(), "peers[].raftAddress"));
    }
    if (!ids.contains(nodeId)) {
      throw new IllegalArgumentException(
          "nodeId " + nodeId + " is not one of \"peers\" " + ids + "; add it");
    }
    if (block.maxTransactions() < 1 || block.maxBytes() < 1024 || block.intervalMillis() < 1) {
      throw new IllegalArgumentException(
          "\"block\": maxTransactions and intervalMillis must be positive, maxBytes at least 1024");
    }
    if (tuning.electionTimeoutMillis() != null && tuning.electionTimeoutMillis() < 50) {
      throw new IllegalArgumentException("\"tuning\": electionTimeoutMillis must be at least 50");
    }
    if (tuning.snapshotThreshold() != null && tuning.snapshotThreshold() < 0) {
      throw new IllegalArgumentException("\"tuning\": snapshotThreshold must not be negative");
    }
    if (tuning.mempoolCapacity() != null && tuning.mempoolCapacity() < 1) {
      throw new IllegalArgumentException("\"tuning\": mempoolCapacity must be positive");
    }
    return this;
  }

  /** Reads and validates a configuration file; relative paths stay relative (see resolve). */
  public static NodeConfig load(Path file) throws IOException {
    if (!Files.exists(file)) {
      throw new NoSuchFileException(
          file.toString(), null, "node config not found; create one with `fedledger init`");
    }
    NodeConfig config;
    try {
      config = JSON.readValue(file.toFile(), NodeConfig.class);
    } catch (IOException e) {
      throw new IOException(file + " is not a node configuration: " + e.getMessage(), e);
    }
    try {
      return config.validate();
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
  }

  public void save(Path file) throws IOException {
    Files.write(file, JSON.writeValueAsBytes(validate()));
  }

  /** A path from this configuration, resolved against the directory holding configFile. */
  public static Path resolve(Path configFile, String path) {
    Path dir = configFile.toAbsolutePath().getParent();
    return dir.resolve(path).normalize();
  }

  private static String require(String value, String field) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("\"" + field + "\" is required");
    }
    return value;
  }
}
