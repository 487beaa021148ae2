package org.fedledger.node;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.fedledger.consensus.block.BlockParams;
import org.fedledger.consensus.mempool.MempoolConfig;
import org.fedledger.consensus.node.ConsensusConfig;
import org.fedledger.consensus.node.ConsensusNode;
import org.fedledger.consensus.node.PeerAddress;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.node.agent.ChainAccess;
import org.fedledger.node.agent.TxSender;
import org.fedledger.node.api.ApiServer;
import org.fedledger.node.api.CommittedBlock;
import org.fedledger.node.api.verify.ModelVerifier;
import org.fedledger.node.blob.BlobStore;
import org.fedledger.node.config.GenesisDocument;
import org.fedledger.node.config.HostPort;
import org.fedledger.node.config.NodeConfig;
import org.fedledger.node.config.TlsSettings;
import org.fedledger.node.keys.KeyFile;
import org.fedledger.node.keys.SecureFiles;
import org.fedledger.node.metrics.NodeMetrics;
import org.fedledger.node.serve.ClaimAgent;
import org.fedledger.node.serve.Serving;
import org.fedledger.node.tls.ApiAccess;
import org.fedledger.node.tls.NodeTls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running node: consensus, the REST API and, when the configuration names a {@code blobAddress},
 * the training side ({@link NodeTraining}: blob server and agents). {@link #close} stops them in
 * the reverse order.
 */
public final class FedledgerNode implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(FedledgerNode.class);

  private final ConsensusNode consensus;
  private final ApiServer api;
  private final NodeTraining training;
  private final Serving serving;
  private final ClaimAgent claims;
  private final String nodeId;

  private FedledgerNode(
      ConsensusNode consensus,
      ApiServer api,
      NodeTraining training,
      Serving serving,
      ClaimAgent claims,
      String nodeId) {
    this.consensus = consensus;
    this.api = api;
    this.training = training;
    this.serving = serving;
    this.claims = claims;
    this.nodeId = nodeId;
  }

  /**
   * Reads the configuration file and every file it points to (keys, genesis, the participants'
   * data), then starts consensus, the API and the training side.
   */
  public static FedledgerNode start(Path configFile) throws IOException {
    NodeConfig config = NodeConfig.load(configFile);
    GenesisDocument genesis =
        GenesisDocument.load(NodeConfig.resolve(configFile, config.genesisFile()));
    Ed25519KeyPair key = KeyFile.load(NodeConfig.resolve(configFile, config.keyFile()));
    NodeTls tls = loadTls(configFile, config);
    NodeTraining.Plan plan = NodeTraining.plan(configFile, config, key, tls);
    Path dataDir =
        SecureFiles.createPrivateDirectories(NodeConfig.resolve(configFile, config.dataDir()));
    ConsensusNode consensus =
        ConsensusNode.start(
            consensusConfig(config, genesis, key, dataDir)
                .withTls(tls == null ? null : tls.raft()));
    try {
      NodeMetrics metrics =
          new NodeMetrics(() -> consensus.mempool().size(), () -> consensus.height());
      // With a blob store, the node replays its registered models' lineages itself.
      BlobStore blobs = plan == null ? null : new BlobStore(dataDir.resolve("blobs"));
      ModelVerifier verifier =
          plan == null
              ? ModelVerifier.withoutBlobStore()
              : new ModelVerifier(
                  consensus::ledger, NodeTraining.blobSource(plan, key, blobs, consensus::ledger));
      ApiServer api = new ApiServer(new ConsensusBackend(consensus), metrics, verifier);
      // With a blob store the node also serves registered models per call, as a provider.
      Serving serving = null;
      ClaimAgent claims = null;
      // One sender for the node's key: its claims, its validator agent and its deadline ticker
      // share the key's nonces.
      TxSender nodeTx = plan == null ? null : new TxSender(key, ChainAccess.of(consensus));
      if (plan != null) {
        serving =
            Serving.builder()
                .setLedger(consensus::ledger)
                .setKey(key)
                .setBlobs(NodeTraining.blobSource(plan, key, blobs, consensus::ledger))
                .setDataDir(dataDir.resolve("vouchers"))
                .setMeterRegistry(metrics.registry())
                .optExpiryMargin(config.serving().expiryMarginOrDefault())
                .build();
        api.withServing(serving);
        claims =
            new ClaimAgent(serving, nodeTx, config.serving().claimThresholdOrDefault())
                .start(Duration.ofMillis(config.serving().claimIntervalMillisOrDefault()));
      }
      consensus.addBlockListener(
          block -> {
            int failed = (int) block.outcomes().stream().filter(o -> !o.ok()).count();
            metrics.blockCommitted(block.outcomes().size(), failed);
            metrics.commitLatency(
                Duration.ofMillis(
                    Math.max(0, System.currentTimeMillis() - block.timestampMillis())));
            api.blockCommitted(CommittedBlock.of(block));
          });
      HostPort listen = HostPort.parse(config.apiAddress());
      try {
        api.start(listen, tls == null ? null : tls.api());
      } catch (RuntimeException e) {
        api.close();
        closeServing(serving, claims);
        throw new IOException(
            "cannot serve the API on "
                + listen
                + " ("
                + e.getMessage()
                + "); is another node using that port? Change \"apiAddress\" in "
                + configFile,
            e);
      }
      NodeTraining training = null;
      if (plan != null) {
        try {
          training =
              NodeTraining.start(plan, configFile, config.nodeId(), key, nodeTx, consensus, blobs);
        } catch (IOException | RuntimeException e) {
          api.close();
          closeServing(serving, claims);
          throw e;
        }
      }
      log.info(
          "node {} of chain {}: API {}://{}{}, Raft {}, {}, data {}",
          config.nodeId(),
          genesis.chainId(),
          api.scheme(),
          HostPort.parse(config.apiAddress()).host() + ":" + api.port(),
          tls == null
              ? " (plaintext: no \"tls\" in the configuration)"
              : " (" + tls.apiAccess().label() + ")",
          config.raftAddress(),
          training == null ? "no blob server" : "blobs " + training.blobUrl(),
          dataDir);
      return new FedledgerNode(consensus, api, training, serving, claims, config.nodeId());
    } catch (IOException | RuntimeException e) {
      consensus.close();
      throw e;
    }
  }

  /** The node's TLS from the configuration's "tls" files; null when it names none. */
  private static NodeTls loadTls(Path configFile, NodeConfig config) throws IOException {
    TlsSettings t = config.tls();
    if (t == null) {
      return null;
    }
    return NodeTls.load(
        NodeConfig.resolve(configFile, t.certFile()),
        NodeConfig.resolve(configFile, t.keyFile()),
        NodeConfig.resolve(configFile, t.caFile()),
        NodeConfig.resolve(configFile, t.crlFile()),
        ApiAccess.parse(t.apiAccess()));
  }

  private static void closeServing(Serving serving, ClaimAgent claims) {
    if (claims != null) {
      claims.close();
    }
    if (serving != null) {
      serving.close();
    }
  }

  /** The provider's serving; null for a node without a blob store. */
  public Serving serving() {
    return serving;
  }

  /** The provider's claiming agent; null for a node without a blob store. */
  public ClaimAgent claims() {
    return claims;
  }

  static ConsensusConfig consensusConfig(
      NodeConfig config, GenesisDocument genesis, Ed25519KeyPair key, Path dataDir) {
    List<PeerAddress> peers =
        config.peers().stream()
            .map(
                p -> {
                  HostPort raft = HostPort.parse(p.raftAddress());
                  return new PeerAddress(p.id(), raft.host(), raft.port());
                })
            .toList();
    NodeConfig.BlockParams b = config.block();
    NodeConfig.Tuning t = config.tuning();
    MempoolConfig mempool = MempoolConfig.defaults();
    if (t.mempoolCapacity() != null) {
      mempool = mempool.withCapacity(t.mempoolCapacity());
    }
    return new ConsensusConfig(
        key,
        dataDir,
        config.nodeId(),
        peers,
        genesis.toGenesis(),
        new BlockParams(
            b.maxTransactions(),
            b.maxBytes(),
            Duration.ofMillis(b.intervalMillis()),
            BlockParams.DEFAULT_IN_FLIGHT,
            BlockParams.DEFAULT_MAX_VOTES),
        mempool,
        t.electionTimeoutMillis() == null
            ? ConsensusConfig.DEFAULT_ELECTION_TIMEOUT
            : Duration.ofMillis(t.electionTimeoutMillis()),
        t.snapshotThreshold() == null
            ? ConsensusConfig.DEFAULT_SNAPSHOT_THRESHOLD
            : t.snapshotThreshold(),
        java.util.Map.of(),
        null);
  }

  public ConsensusNode consensus() {
    return consensus;
  }

  public ApiServer api() {
    return api;
  }

  public int apiPort() {
    return api.port();
  }

  /** The blob server's port; -1 for a ledger-only node. */
  public int blobPort() {
    return training == null ? -1 : training.blobPort();
  }

  @Override
  public void close() {
    log.info("node {} stopping", nodeId);
    try {
      if (claims != null) {
        claims.close();
      }
      if (training != null) {
        training.close();
      }
      api.close();
      if (serving != null) {
        serving.close();
      }
    } finally {
      consensus.close();
    }
    log.info("node {} stopped", nodeId);
  }
}
