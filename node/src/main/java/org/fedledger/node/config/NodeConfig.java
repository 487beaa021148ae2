package org.fedledger.node.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.fedledger.core.address.Address;
import org.fedledger.learning.attack.Attack;
import org.fedledger.learning.attack.NoAttack;

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
 * @param blobAddress host:port of this node's blob server, the address peers fetch blobs from;
 *     absent: no blob server and no training agents (a ledger-only node)
 * @param blobUploaders addresses (hex) that may upload blobs here besides this node's own keys,
 *     e.g. a sponsor's initial weights
 * @param peers every voting member of the Raft group, this node included
 * @param block how the leader cuts blocks
 * @param tuning optional consensus settings; absent fields take the consensus defaults
 * @param participants data owners whose agents run inside this node
 * @param evaluationDataDir optional test data ({@link DataDirectory}, t10k files) on which this
 *     node's aggregates are scored as an accuracy metric
 * @param serving optional settings of the node as an inference provider; absent fields take the
 *     defaults in {@link Serving}
 * @param tls the node's certificate and the consortium's CA: every port (Raft, API, blobs) then
 *     speaks TLS only. {@code fedledger init} always writes it; absent only in the test kit's
 *     in-process networks, which run plaintext on loopback
 */
public record NodeConfig(
    String nodeId,
    String dataDir,
    String keyFile,
    String genesisFile,
    String raftAddress,
    String apiAddress,
    String blobAddress,
    List<String> blobUploaders,
    List<Peer> peers,
    BlockParams block,
    Tuning tuning,
    List<Participant> participants,
    String evaluationDataDir,
    Serving serving,
    TlsSettings tls) {

  static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .setSerializationInclusion(JsonInclude.Include.NON_EMPTY);

  /**
   * A member of the Raft group.
   *
   * @param blobAddress where its blob server listens (optional): asked for blobs the chain names no
   *     location for, such as a job's initial weights
   */
  public record Peer(String id, String raftAddress, String apiAddress, String blobAddress) {
    public Peer(String id, String raftAddress, String apiAddress) {
      this(id, raftAddress, apiAddress, null);
    }
  }

  /**
   * A data owner whose participant agent this node runs: it trains on its data when a job it joined
   * selects it, and submits its updates through this node.
   *
   * @param keyFile the owner's Ed25519 key file (mode 0600)
   * @param dataDir its training data: a CSV file, a folder of class sub-folders of images, or an
   *     IDX folder ({@link DataDirectory}, train files); read by {@code OwnerData.load}
   * @param name for the logs (optional; default: the key file's name without extension)
   * @param schema the data's schema file, or {@code fashion-mnist} (optional; default: the {@code
   *     NAME.schema.json} beside the data, else Fashion-MNIST for an IDX folder)
   * @param attack what this owner does to its updates, as in {@code simulate --attack} (e.g. {@code
   *     sign-flip:4}, {@code label-flip}); absent or {@code none}: an honest owner. For
   *     demonstrations and robustness trials: the chain should reject and slash such an owner.
   */
  public record Participant(
      String keyFile, String dataDir, String name, String schema, String attack) {
    public Participant(String keyFile, String dataDir) {
      this(keyFile, dataDir, null, null, null);
    }

    public Participant(String keyFile, String dataDir, String name) {
      this(keyFile, dataDir, name, null, null);
    }

    /** The attack this owner runs, or null for an honest one. */
    public Attack parsedAttack() {
      if (attack == null || attack.isBlank()) {
        return null;
      }
      Attack a = Attack.parse(attack);
      return a instanceof NoAttack ? null : a;
    }

    /** The name, or the key file's name without its extension. */
    public String displayName() {
      if (name != null && !name.isBlank()) {
        return name;
      }
      String file = Path.of(keyFile).getFileName().toString();
      int dot = file.lastIndexOf('.');
      return dot > 0 ? file.substring(0, dot) : file;
    }
  }

  /**
   * @param maxTransactions most transactions in one block
   * @param maxBytes most encoded transaction bytes in one block
   * @param intervalMillis how long the leader waits for more transactions before cutting a block
   */
  public record BlockParams(int maxTransactions, int maxBytes, long intervalMillis) {
    /** The consensus layer's own defaults, so that a generated config cuts blocks like a test. */
    public static final BlockParams DEFAULT =
        new BlockParams(
            org.fedledger.consensus.block.BlockParams.DEFAULT_MAX_TXS,
            org.fedledger.consensus.block.BlockParams.DEFAULT_MAX_BYTES,
            org.fedledger.consensus.block.BlockParams.DEFAULT_INTERVAL.toMillis());
  }

  /**
   * @param electionTimeoutMillis minimum Raft election timeout
   * @param snapshotThreshold applied log entries between snapshots, 0 disables them
   * @param mempoolCapacity most transactions the mempool holds
   * @param deadlineTickMillis how often the leader's node ticks the training deadlines (each tick
   *     is a block every node applies and every agent reads); absent: 150 ms, so that a missed
   *     deadline is noticed soon
   */
  public record Tuning(
      Long electionTimeoutMillis,
      Long snapshotThreshold,
      Integer mempoolCapacity,
      Long deadlineTickMillis) {
    public static final Tuning DEFAULT = new Tuning(null, null, null, null);

    public Tuning(Long electionTimeoutMillis, Long snapshotThreshold, Integer mempoolCapacity) {
      this(electionTimeoutMillis, snapshotThreshold, mempoolCapacity, null);
    }
  }

  /**
   * How the node, as an inference provider, claims the payment channels it serves.
   *
   * @param claimThreshold unclaimed tokens on a channel that make the provider claim it (reopening
   *     the channel under its next nonce); absent: {@value #DEFAULT_CLAIM_THRESHOLD}. Lower claims
   *     more often (a transaction each) and risks less if the provider's disk is lost; every claim
   *     pauses the channel's calls until it commits.
   * @param expiryMargin blocks a channel must have left before its expiry for a call to be taken,
   *     and within which the provider claims it without reopening; absent: {@value
   *     #DEFAULT_EXPIRY_MARGIN}. It is the time the provider keeps to get its last claim committed.
   * @param claimIntervalMillis how often the provider looks for channels to claim; absent: {@value
   *     #DEFAULT_CLAIM_INTERVAL_MILLIS}
   */
  public record Serving(Long claimThreshold, Long expiryMargin, Long claimIntervalMillis) {
    public static final long DEFAULT_CLAIM_THRESHOLD = 1_000;
    public static final long DEFAULT_EXPIRY_MARGIN = 20;
    public static final long DEFAULT_CLAIM_INTERVAL_MILLIS = 1_000;
    public static final Serving DEFAULT = new Serving(null, null, null);

    public long claimThresholdOrDefault() {
      return claimThreshold == null ? DEFAULT_CLAIM_THRESHOLD : claimThreshold;
    }

    public long expiryMarginOrDefault() {
      return expiryMargin == null ? DEFAULT_EXPIRY_MARGIN : expiryMargin;
    }

    public long claimIntervalMillisOrDefault() {
      return claimIntervalMillis == null ? DEFAULT_CLAIM_INTERVAL_MILLIS : claimIntervalMillis;
    }
  }

  /** A configuration with the default serving settings. */
  public NodeConfig(
      String nodeId,
      String dataDir,
      String keyFile,
      String genesisFile,
      String raftAddress,
      String apiAddress,
      String blobAddress,
      List<String> blobUploaders,
      List<Peer> peers,
      BlockParams block,
      Tuning tuning,
      List<Participant> participants,
      String evaluationDataDir) {
    this(
        nodeId,
        dataDir,
        keyFile,
        genesisFile,
        raftAddress,
        apiAddress,
        blobAddress,
        blobUploaders,
        peers,
        block,
        tuning,
        participants,
        evaluationDataDir,
        null,
        null);
  }

  /** A ledger-only configuration (no blob server, no agents) with default tuning. */
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

  /** A ledger-only configuration (no blob server, no agents). */
  public NodeConfig(
      String nodeId,
      String dataDir,
      String keyFile,
      String genesisFile,
      String raftAddress,
      String apiAddress,
      List<Peer> peers,
      BlockParams block,
      Tuning tuning) {
    this(
        nodeId,
        dataDir,
        keyFile,
        genesisFile,
        raftAddress,
        apiAddress,
        null,
        null,
        peers,
        block,
        tuning,
        null,
        null);
  }

  public NodeConfig {
    blobUploaders = blobUploaders == null ? List.of() : List.copyOf(blobUploaders);
    peers = peers == null ? List.of() : List.copyOf(peers);
    block = block == null ? BlockParams.DEFAULT : block;
    tuning = tuning == null ? Tuning.DEFAULT : tuning;
    participants = participants == null ? List.of() : List.copyOf(participants);
    serving = serving == null ? Serving.DEFAULT : serving;
  }

  /** The same configuration with other tuning. */
  public NodeConfig withTuning(Tuning t) {
    return new NodeConfig(
        nodeId,
        dataDir,
        keyFile,
        genesisFile,
        raftAddress,
        apiAddress,
        blobAddress,
        blobUploaders,
        peers,
        block,
        t,
        participants,
        evaluationDataDir,
        serving,
        tls);
  }

  /** The same configuration with other participants. */
  public NodeConfig withParticipants(List<Participant> p) {
    return new NodeConfig(
        nodeId,
        dataDir,
        keyFile,
        genesisFile,
        raftAddress,
        apiAddress,
        blobAddress,
        blobUploaders,
        peers,
        block,
        tuning,
        p,
        evaluationDataDir,
        serving,
        tls);
  }

  /** The same configuration with other evaluation data, or none (null). */
  public NodeConfig withEvaluationDataDir(String dir) {
    return new NodeConfig(
        nodeId,
        dataDir,
        keyFile,
        genesisFile,
        raftAddress,
        apiAddress,
        blobAddress,
        blobUploaders,
        peers,
        block,
        tuning,
        participants,
        dir,
        serving,
        tls);
  }

  /** The same configuration with other serving settings. */
  public NodeConfig withServing(Serving s) {
    return new NodeConfig(
        nodeId,
        dataDir,
        keyFile,
        genesisFile,
        raftAddress,
        apiAddress,
        blobAddress,
        blobUploaders,
        peers,
        block,
        tuning,
        participants,
        evaluationDataDir,
        s,
        tls);
  }

  /** The same configuration with other TLS files, or none (null: plaintext, test kit only). */
  public NodeConfig withTls(TlsSettings newTls) {
    return TlsSettings.replace(this, newTls);
  }

  public NodeConfig validate() {
    require(nodeId, "nodeId");
    require(dataDir, "dataDir");
    require(keyFile, "keyFile");
    require(genesisFile, "genesisFile");
    HostPort.parse(require(raftAddress, "raftAddress"));
    HostPort.parse(require(apiAddress, "apiAddress"));
    if (blobAddress != null) {
      field("blobAddress", () -> HostPort.parse(blobAddress));
      if (HostPort.parse(blobAddress).isWildcard()) {
        throw new IllegalArgumentException(
            "\"blobAddress\": "
                + blobAddress
                + " would be announced on the chain as the URL peers fetch this node's blobs from;"
                + " give an address they can reach, e.g. this machine's IP address");
      }
    }
    for (String a : blobUploaders) {
      field("blobUploaders", () -> Address.fromHex(a == null ? "" : a));
    }
    if (blobAddress == null && (!participants.isEmpty() || evaluationDataDir != null)) {
      throw new IllegalArgumentException(
          "\"participants\" and \"evaluationDataDir\" need a \"blobAddress\": agents exchange"
              + " weights through this node's blob server");
    }
    Set<String> owners = new HashSet<>();
    for (Participant p : participants) {
      require(p.keyFile(), "participants[].keyFile");
      require(p.dataDir(), "participants[].dataDir");
      field("participants[].attack", p::parsedAttack);
      if (!owners.add(p.keyFile())) {
        throw new IllegalArgumentException(
            "participant key file " + p.keyFile() + " appears twice in \"participants\"");
      }
    }
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
      if (p.blobAddress() != null) {
        field("peers[].blobAddress", () -> HostPort.parse(p.blobAddress()));
      }
    }
    if (!ids.contains(nodeId)) {
      throw new IllegalArgumentException(
          "nodeId " + nodeId + " is not one of \"peers\" " + ids + "; add it");
    }
    if (block.maxTransactions() < 1
        || block.maxBytes() < org.fedledger.consensus.block.BlockParams.MIN_MAX_BYTES
        || block.intervalMillis() < 1) {
      throw new IllegalArgumentException(
          "\"block\": maxTransactions and intervalMillis must be positive, maxBytes at least "
              + org.fedledger.consensus.block.BlockParams.MIN_MAX_BYTES
              + " (256 KiB of each block are kept for state-root votes)");
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
    if (tls != null) {
      tls.validate();
    }
    if (tuning.deadlineTickMillis() != null && tuning.deadlineTickMillis() < 1) {
      throw new IllegalArgumentException("\"tuning\": deadlineTickMillis must be positive");
    }
    if (serving.claimThreshold() != null && serving.claimThreshold() < 1) {
      throw new IllegalArgumentException(
          "\"serving\": claimThreshold must be at least 1 token, got " + serving.claimThreshold());
    }
    if (serving.expiryMargin() != null && serving.expiryMargin() < 1) {
      throw new IllegalArgumentException(
          "\"serving\": expiryMargin must be at least 1 block, got " + serving.expiryMargin());
    }
    if (serving.claimIntervalMillis() != null && serving.claimIntervalMillis() < 1) {
      throw new IllegalArgumentException(
          "\"serving\": claimIntervalMillis must be positive, got "
              + serving.claimIntervalMillis());
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

  /** Runs check; an IllegalArgumentException from it is reported under the field's name. */
  private static void field(String name, Runnable check) {
    try {
      check.run();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("\"" + name + "\": " + e.getMessage(), e);
    }
  }

  private static String require(String value, String field) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("\"" + field + "\" is required");
    }
    return value;
  }
}
