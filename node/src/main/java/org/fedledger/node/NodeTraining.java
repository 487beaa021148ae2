package org.fedledger.node;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.fedledger.consensus.node.ConsensusNode;
import org.fedledger.core.address.Address;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.learning.attack.Attack;
import org.fedledger.learning.data.Datasets;
import org.fedledger.learning.data.LabeledData;
import org.fedledger.learning.train.TrainConfig;
import org.fedledger.ledger.Ledger;
import org.fedledger.node.agent.BlobSource;
import org.fedledger.node.agent.ChainAccess;
import org.fedledger.node.agent.ChainBlobAccess;
import org.fedledger.node.agent.DeadlineTicker;
import org.fedledger.node.agent.OwnerData;
import org.fedledger.node.agent.ParticipantAgent;
import org.fedledger.node.agent.TrainingState;
import org.fedledger.node.agent.TxSender;
import org.fedledger.node.agent.ValidatorAgent;
import org.fedledger.node.blob.BlobClient;
import org.fedledger.node.blob.BlobServer;
import org.fedledger.node.blob.BlobStore;
import org.fedledger.node.config.DataDirectory;
import org.fedledger.node.config.HostPort;
import org.fedledger.node.config.NodeConfig;
import org.fedledger.node.keys.KeyFile;
import org.fedledger.node.tls.NodeTls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The training side of a node started from its configuration: its blob store ({@code DATA/blobs})
 * served on {@code blobAddress} under the chain's access rules, the node's {@link ValidatorAgent}
 * (aggregator and verifier) when its key is a validator, a {@link DeadlineTicker} that ticks while
 * this node leads, and a {@link ParticipantAgent} for each data owner named in {@code
 * participants}. In a consortium every member runs a validator node and a data owner's agent runs
 * in the node it trusts (its own): the agent reads that node's ledger, submits through it, and its
 * updates are stored in and served from that node's blob store.
 */
final class NodeTraining implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NodeTraining.class);

  /** How often deadlines tick unless the configuration says: a missed deadline is seen soon. */
  private static final long DEFAULT_TICK_MILLIS = 150;

  /** A data owner whose agent runs here; attack is null for an honest one. */
  record Owner(String name, Ed25519KeyPair key, LabeledData data, Attack attack) {}

  /**
   * What the configuration asks for, its files read and checked; nothing is started yet.
   *
   * @param uploaders who may upload blobs: the node, its owners and {@code blobUploaders}
   * @param peerBlobUrls the other nodes' blob servers
   * @param evaluation test data to score aggregates on, or null
   * @param tickMillis how often the deadline ticker runs while this node leads
   * @param tls the node's TLS (the blob server's and the peer fetches'); null: plaintext
   */
  record Plan(
      HostPort blobAddress,
      Set<Address> uploaders,
      List<String> peerBlobUrls,
      List<Owner> owners,
      LabeledData evaluation,
      long tickMillis,
      NodeTls tls) {}

  private final BlobServer server;
  private final String blobUrl;
  private final List<AutoCloseable> running = new ArrayList<>();

  private NodeTraining(BlobServer server, String blobUrl) {
    this.server = server;
    this.blobUrl = blobUrl;
  }

  /**
   * Reads the owners' keys and data and the evaluation data, so that a wrong path fails before the
   * node starts anything. Null if the configuration names no blobAddress (a ledger-only node).
   */
  static Plan plan(Path configFile, NodeConfig config, Ed25519KeyPair nodeKey, NodeTls tls)
      throws IOException {
    if (config.blobAddress() == null) {
      return null;
    }
    Set<Address> uploaders = new HashSet<>();
    uploaders.add(nodeKey.publicKey().address());
    for (String a : config.blobUploaders()) {
      uploaders.add(Address.fromHex(a));
    }
    List<Owner> owners = new ArrayList<>();
    Set<Address> seen = new HashSet<>();
    seen.add(nodeKey.publicKey().address());
    for (NodeConfig.Participant p : config.participants()) {
      String where = configFile + ": participant " + p.displayName();
      Ed25519KeyPair key;
      LabeledData data;
      try {
        key = KeyFile.load(NodeConfig.resolve(configFile, p.keyFile()));
        data =
            OwnerData.load(
                    NodeConfig.resolve(configFile, p.dataDir()),
                    p.schema() == null || p.schema().equals(Datasets.FASHION_MNIST_SCHEMA_NAME)
                        ? p.schema()
                        : NodeConfig.resolve(configFile, p.schema()).toString())
                .data();
      } catch (IOException e) {
        throw new IOException(where + ": " + describe(e), e);
      }
      if (!seen.add(key.publicKey().address())) {
        throw new IOException(
            where
                + ": the key "
                + key.publicKey().address()
                + " is this node's or another participant's; every owner needs a key of its own");
      }
      uploaders.add(key.publicKey().address());
      owners.add(new Owner(p.displayName(), key, data, p.parsedAttack()));
    }
    LabeledData evaluation = null;
    if (config.evaluationDataDir() != null) {
      try {
        evaluation =
            DataDirectory.load(
                NodeConfig.resolve(configFile, config.evaluationDataDir()),
                DataDirectory.Part.TEST);
      } catch (IOException e) {
        throw new IOException(configFile + ": evaluationDataDir: " + describe(e), e);
      }
    }
    List<String> peers = new ArrayList<>();
    for (NodeConfig.Peer p : config.peers()) {
      if (!p.id().equals(config.nodeId()) && p.blobAddress() != null) {
        peers.add(scheme(tls) + HostPort.parse(p.blobAddress()));
      }
    }
    Long tick = config.tuning().deadlineTickMillis();
    return new Plan(
        HostPort.parse(config.blobAddress()),
        uploaders,
        peers,
        owners,
        evaluation,
        tick == null ? DEFAULT_TICK_MILLIS : tick,
        tls);
  }

  private static String scheme(NodeTls tls) {
    return tls == null ? "http://" : "https://";
  }

  /**
   * Serves the blob store and starts the agents on consensus.
   *
   * @throws IOException if the blob server cannot listen on the plan's address
   */
  static NodeTraining start(
      Plan plan,
      Path configFile,
      String nodeId,
      Ed25519KeyPair nodeKey,
      TxSender nodeTx,
      ConsensusNode consensus,
      BlobStore store)
      throws IOException {
    BlobServer server =
        new BlobServer(
            store,
            ChainBlobAccess.forNode(consensus::ledger),
            plan.uploaders()::contains,
            Clock.systemUTC());
    HostPort listen = plan.blobAddress();
    try {
      server.start(listen.host(), listen.port(), plan.tls() == null ? null : plan.tls().blobs());
    } catch (RuntimeException e) {
      server.close();
      throw new IOException(
          "cannot serve blobs on "
              + listen
              + " ("
              + e.getMessage()
              + "); is another process using that port? Change \"blobAddress\" in "
              + configFile,
          e);
    }
    NodeTraining training =
        new NodeTraining(server, scheme(plan.tls()) + new HostPort(listen.host(), server.port()));
    try {
      training.startAgents(plan, nodeId, nodeKey, nodeTx, consensus, store);
      return training;
    } catch (RuntimeException e) {
      training.close();
      throw e;
    }
  }

  /**
   * Blobs for one key of this node: from the node's store, else from where the chain says (if a
   * member announced that blob server on chain), else from the other nodes; what is fetched lands
   * in the node's store, served from there.
   */
  static BlobSource blobSource(
      Plan plan, Ed25519KeyPair key, BlobStore store, Supplier<Ledger> ledger) {
    return new BlobSource(
        new BlobClient(
            key, store, Clock.systemUTC(), plan.tls() == null ? null : plan.tls().peerClient()),
        plan.peerBlobUrls(),
        BlobSource.announcedOn(ledger));
  }

  /**
   * @param nodeTx the node key's one sender, shared with everything else that signs with that key
   *     (the validator agent, the deadline ticker and the provider's claims), so that their nonces
   *     follow each other instead of colliding
   */
  private void startAgents(
      Plan plan,
      String nodeId,
      Ed25519KeyPair nodeKey,
      TxSender nodeTx,
      ConsensusNode consensus,
      BlobStore store) {
    ChainAccess chain = nodeTx.chain();
    boolean validator =
        new TrainingState(consensus.ledger()).isValidator(nodeKey.publicKey().address());
    if (validator) {
      running.add(
          new ValidatorAgent(
                  nodeId,
                  nodeTx,
                  blobSource(plan, nodeKey, store, consensus::ledger),
                  blobUrl,
                  plan.evaluation())
              .start());
    }
    for (Owner o : plan.owners()) {
      running.add(
          new ParticipantAgent(
                  o.name(),
                  new TxSender(o.key(), chain),
                  blobSource(plan, o.key(), store, consensus::ledger),
                  blobUrl,
                  o.data(),
                  TrainConfig.defaults(),
                  o.attack())
              .start());
    }
    running.add(new DeadlineTicker(nodeTx, plan.tickMillis(), consensus::isLeader));
    log.info(
        "training: blobs at {}, {}; participants: {}",
        blobUrl,
        validator ? "aggregating and verifying as a validator" : "not a validator, no aggregator",
        plan.owners().isEmpty()
            ? "none"
            : plan.owners().stream()
                .map(
                    o ->
                        o.name()
                            + " ("
                            + o.key().publicKey().address()
                            + ", "
                            + o.data().size()
                            + " samples"
                            + (o.attack() == null ? "" : ", malicious: " + o.attack().name())
                            + ")")
                .collect(Collectors.joining(", ")));
  }

  private static String describe(IOException e) {
    if (e instanceof FileSystemException f && f.getReason() != null) {
      return f.getFile() + ": " + f.getReason();
    }
    return e.getMessage();
  }

  String blobUrl() {
    return blobUrl;
  }

  int blobPort() {
    return server.port();
  }

  /** Stops the agents, then the blob server. */
  @Override
  public void close() {
    for (int i = running.size() - 1; i >= 0; i--) {
      try {
        running.get(i).close();
      } catch (Exception e) {
        log.warn("stopping {}: {}", running.get(i), e.toString());
      }
    }
    server.close();
  }
}
