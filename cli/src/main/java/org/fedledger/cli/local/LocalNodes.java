package org.fedledger.cli.local;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.fedledger.core.address.Address;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.learning.data.LabeledData;
import org.fedledger.ledger.Ledger;
import org.fedledger.node.FedledgerNode;
import org.fedledger.node.agent.ChainAccess;
import org.fedledger.node.agent.TxSender;
import org.fedledger.node.config.DataDirectory;
import org.fedledger.node.config.GenesisDocument;
import org.fedledger.node.config.NetworkInitializer;
import org.fedledger.node.config.NodeConfig;
import org.fedledger.node.keys.KeyFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * N validator nodes in this process, on loopback: the network {@code fedledger init} would lay out
 * (ports from a base port, keys, genesis, one configuration per node) with the owners' data written
 * where their nodes read it, then one {@link FedledgerNode} started per configuration. Owner k's
 * agent runs in node k mod N, as {@code init --owners} places it; a malicious owner is its node's
 * configuration ({@code participants[].attack}), not a hook.
 */
public final class LocalNodes implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LocalNodes.class);

  /** A fixed genesis time: the chain's timestamps, and so its block hashes, start alike. */
  static final long GENESIS_TIME_MILLIS = 1_700_000_000_000L;

  private final Setup setup;
  private final NetworkInitializer.Network network;
  private final List<FedledgerNode> nodes = new ArrayList<>();

  private LocalNodes(Setup setup, NetworkInitializer.Network network) {
    this.setup = setup;
    this.network = network;
  }

  /** What to start: {@code set*} required, {@code opt*} optional. */
  public static Setup builder() {
    return new Setup();
  }

  /** The network's shape, checked by {@link #start}. */
  public static final class Setup {
    private Path dir;
    private int basePort;
    private int validators;
    private final List<LocalOwner> owners = new ArrayList<>();
    private LabeledData evaluation;
    private String chainId = "fedledger-demo";
    private long balance = 100_000_000;
    private Duration blockInterval = Duration.ofMillis(50);
    private int maxTransactionsPerBlock = NodeConfig.BlockParams.DEFAULT.maxTransactions();
    private final List<Address> fundedAccounts = new ArrayList<>();
    private Duration electionTimeout = Duration.ofMillis(800);
    private Duration deadlineTick;
    private NodeConfig.Serving serving = NodeConfig.Serving.DEFAULT;

    private Setup() {}

    /** An empty or missing directory for the network's files. */
    public Setup setDir(Path dir) {
      this.dir = dir;
      return this;
    }

    /** Validator i listens on basePort+3i (API), +3i+1 (Raft) and +3i+2 (blobs). */
    public Setup setBasePort(int basePort) {
      this.basePort = basePort;
      return this;
    }

    public Setup setValidators(int validators) {
      this.validators = validators;
      return this;
    }

    /** The data owners, in the order they join jobs (owner k is member k). */
    public Setup setOwners(List<LocalOwner> owners) {
      this.owners.clear();
      this.owners.addAll(owners);
      return this;
    }

    /**
     * Fashion-MNIST test images every node scores aggregates on (the central metrics, in each
     * commit); without them the aggregators report none, and a job's metrics are the owners'
     * federated ones ({@code test_fraction_ppm}).
     */
    public Setup optEvaluation(LabeledData evaluation) {
      this.evaluation = evaluation;
      return this;
    }

    public Setup optChainId(String chainId) {
      this.chainId = chainId;
      return this;
    }

    /** Every genesis account's balance: the sponsor's (the admin's) and each owner's. */
    public Setup optBalance(long balance) {
      this.balance = balance;
      return this;
    }

    /** How long the leader waits for more transactions before cutting a block. */
    public Setup optBlockInterval(Duration blockInterval) {
      this.blockInterval = blockInterval;
      return this;
    }

    /** The most transactions the leader puts in one block. */
    public Setup optMaxTransactionsPerBlock(int maxTransactionsPerBlock) {
      this.maxTransactionsPerBlock = maxTransactionsPerBlock;
      return this;
    }

    /**
     * Accounts besides the admin and the owners that genesis funds with the same balance, for a
     * client that holds their keys itself (the ledger benchmark's transfer workload).
     */
    public Setup optFundedAccounts(List<Address> addresses) {
      this.fundedAccounts.clear();
      this.fundedAccounts.addAll(addresses);
      return this;
    }

    public Setup optElectionTimeout(Duration electionTimeout) {
      this.electionTimeout = electionTimeout;
      return this;
    }

    /**
     * How often the leader ticks the training deadlines (default: the node's); a network whose
     * deadlines are far away can tick less, each tick being a block for every node to apply.
     */
    public Setup optDeadlineTick(Duration deadlineTick) {
      this.deadlineTick = deadlineTick;
      return this;
    }

    /** How the nodes, as inference providers, claim their channels (default: the node's). */
    public Setup optServing(NodeConfig.Serving serving) {
      this.serving = Objects.requireNonNull(serving);
      return this;
    }

    /** Lays the network out, starts every node and waits for a Raft leader. */
    public LocalNodes start(Duration leaderTimeout) throws IOException, InterruptedException {
      Objects.requireNonNull(dir, "setDir");
      return LocalNodes.start(this, leaderTimeout);
    }
  }

  private static LocalNodes start(Setup s, Duration leaderTimeout)
      throws IOException, InterruptedException {
    NetworkInitializer.Network network =
        NetworkInitializer.initialize(
            new NetworkInitializer.Request(
                s.dir,
                s.chainId,
                s.validators,
                0,
                s.owners.size(),
                s.balance,
                NetworkInitializer.Request.consecutivePorts(s.basePort),
                new NodeConfig.BlockParams(
                    s.maxTransactionsPerBlock,
                    NodeConfig.BlockParams.DEFAULT.maxBytes(),
                    s.blockInterval.toMillis()),
                GENESIS_TIME_MILLIS));
    if (!s.fundedAccounts.isEmpty()) {
      fund(network, s.fundedAccounts, s.balance);
    }
    Path data = network.dir().resolve(NetworkInitializer.DATA_DIR);
    for (int k = 0; k < s.owners.size(); k++) {
      if (s.owners.get(k).onDisk() == null) {
        DataDirectory.write(
            data.resolve(NetworkInitializer.ownerName(k)),
            DataDirectory.Part.TRAIN,
            s.owners.get(k).data());
      }
    }
    if (s.evaluation != null) {
      DataDirectory.write(
          data.resolve(NetworkInitializer.TEST_DATA), DataDirectory.Part.TEST, s.evaluation);
    }
    for (int i = 0; i < s.validators; i++) {
      configure(network.configFiles().get(i), i, s);
    }
    LocalNodes local = new LocalNodes(s, network);
    try {
      for (Path config : network.configFiles()) {
        local.nodes.add(startNode(config, s));
      }
      local.awaitLeader(leaderTimeout);
      return local;
    } catch (IOException | InterruptedException | RuntimeException e) {
      local.close();
      throw e;
    }
  }

  /** Adds the accounts to the genesis document the nodes will start from. */
  private static void fund(
      NetworkInitializer.Network network, List<Address> addresses, long balance)
      throws IOException {
    GenesisDocument genesis = GenesisDocument.load(network.genesisFile());
    List<GenesisDocument.Account> accounts = new ArrayList<>(genesis.accounts());
    for (Address a : addresses) {
      accounts.add(new GenesisDocument.Account(a.toHex(), balance));
    }
    genesis.withAccounts(accounts).validate().save(network.genesisFile());
  }

  /**
   * Names node i's owners, points them at their data files if they have some, gives the malicious
   * one its attack, drops the evaluation data if there is none, and tunes consensus for one machine
   * (a shorter election timeout; no snapshots, so that every node keeps the whole log to audit).
   */
  private static void configure(Path file, int node, Setup s) throws IOException {
    NodeConfig c = NodeConfig.load(file);
    List<NodeConfig.Participant> named = new ArrayList<>();
    int k = node;
    for (NodeConfig.Participant p : c.participants()) {
      LocalOwner o = s.owners.get(k);
      LocalOwner.OnDisk files = o.onDisk();
      named.add(
          new NodeConfig.Participant(
              p.keyFile(),
              files == null ? p.dataDir() : files.data().toString(),
              o.name(),
              files == null ? p.schema() : files.schema().toString(),
              o.attack()));
      k += s.validators;
    }
    if (s.evaluation == null) {
      c = c.withEvaluationDataDir(null);
    }
    c.withParticipants(named)
        .withServing(s.serving)
        .withTuning(
            new NodeConfig.Tuning(
                s.electionTimeout.toMillis(),
                0L,
                null,
                s.deadlineTick == null ? null : s.deadlineTick.toMillis()))
        .save(file);
  }

  private static FedledgerNode startNode(Path config, Setup s) throws IOException {
    try {
      return FedledgerNode.start(config);
    } catch (IOException e) {
      throw new IOException(
          e.getMessage()
              + "; the local network uses ports "
              + s.basePort
              + ".."
              + (s.basePort + 3 * s.validators - 1)
              + ": choose others with --base-port",
          e);
    }
  }

  private void awaitLeader(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (nodes.stream().noneMatch(n -> n.consensus().isLeader())) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "no Raft leader among "
                + nodes.size()
                + " local validators within "
                + timeout.toSeconds()
                + " s; is the machine overloaded?");
      }
      Thread.sleep(20);
    }
  }

  /**
   * Stops node i and starts it again from its configuration file and data directory, as an operator
   * restarting {@code fedledger node start} would (a changed configuration file takes effect), and
   * waits for a Raft leader.
   */
  public FedledgerNode restart(int i, Duration leaderTimeout)
      throws IOException, InterruptedException {
    nodes.get(i).close();
    FedledgerNode started = startNode(network.configFiles().get(i), setup);
    nodes.set(i, started);
    awaitLeader(leaderTimeout);
    return started;
  }

  /** The directory {@code fedledger init} laid out (configurations, keys, data). */
  public NetworkInitializer.Network network() {
    return network;
  }

  public List<FedledgerNode> nodes() {
    return List.copyOf(nodes);
  }

  public FedledgerNode node(int i) {
    return nodes.get(i);
  }

  /** Node 0's ledger (the nodes agree on every committed block). */
  public Ledger ledger() {
    return nodes.get(0).consensus().ledger();
  }

  public List<LocalOwner> owners() {
    return List.copyOf(setup.owners);
  }

  /** The node whose agent trains for owner k, and through which it transacts. */
  public int nodeOf(int owner) {
    return owner % nodes.size();
  }

  public String apiUrl(int node) {
    return "http://127.0.0.1:" + nodes.get(node).apiPort();
  }

  public String blobUrl(int node) {
    return "http://127.0.0.1:" + nodes.get(node).blobPort();
  }

  /** The genesis admin's key: the sponsor, allowed to upload to every node's blob server. */
  public Ed25519KeyPair adminKey() throws IOException {
    return KeyFile.load(network.adminKeyFile());
  }

  public Ed25519KeyPair ownerKey(int owner) throws IOException {
    return KeyFile.load(network.ownerKeyFiles().get(owner));
  }

  public Ed25519KeyPair validatorKey(int node) throws IOException {
    return KeyFile.load(
        network
            .dir()
            .resolve(NetworkInitializer.nodeId(node))
            .resolve(NetworkInitializer.VALIDATOR_KEY_FILE));
  }

  /** A sender for key through node i, as a client of that node would submit. */
  public TxSender sender(Ed25519KeyPair key, int node) {
    return new TxSender(key, ChainAccess.of(nodes.get(node).consensus()));
  }

  /** Stops the nodes, the last first. */
  @Override
  public void close() {
    for (int i = nodes.size() - 1; i >= 0; i--) {
      try {
        nodes.get(i).close();
      } catch (RuntimeException e) {
        log.warn("stopping node {}: {}", i, e.toString());
      }
    }
  }
}
