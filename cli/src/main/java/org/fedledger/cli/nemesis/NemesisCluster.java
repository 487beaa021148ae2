package org.fedledger.cli.nemesis;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.fedledger.cli.nemesis.clock.FakeClock;
import org.fedledger.node.config.NetworkInitializer;
import org.fedledger.node.config.NodeConfig;

/**
 * Validators in their own processes on loopback, every Raft connection between two of them through
 * a {@link LinkProxy} the nemesis controls.
 *
 * <p>Validator i's Raft address, on chain and in every configuration, is the name {@code
 * node-i.nemesis}. Each process resolves names through its own hosts file ({@code
 * -Djdk.net.hosts.file}): its own name to 127.0.0.1, where it listens, and peer j's name to
 * 127.0.(i+1).(j+1), where the proxy of the link i→j listens on j's port. Every node thus sees the
 * same address for a peer, as the chain requires, while each directed link has its own proxy. The
 * cluster runs plaintext: it tests consensus under faults, and the proxies forward TLS bytes
 * unchanged anyway.
 */
public final class NemesisCluster implements AutoCloseable {
  static final String CHAIN_ID = "nemesis";
  private static final long GENESIS_TIME_MILLIS = 1_700_000_000_000L;

  /** fedledger node start's exit status when the node's Raft stopped under it (StartCommand). */
  private static final int FAIL_STOP_EXIT = 70;

  private final NetworkInitializer.Network network;
  private final List<NodeProcess> processes;
  private final List<NodeEndpoint> endpoints;
  private final LinkProxy[][] links;
  private final List<FakeClock> clocks = new ArrayList<>();

  private NemesisCluster(
      NetworkInitializer.Network network,
      List<NodeProcess> processes,
      List<NodeEndpoint> endpoints,
      LinkProxy[][] links) {
    this.network = network;
    this.processes = processes;
    this.endpoints = endpoints;
    this.links = links;
  }

  public static Setup builder() {
    return new Setup();
  }

  /** The first port of a cluster unless {@link Setup#optBasePort} says otherwise. */
  public static final int DEFAULT_BASE_PORT = 19600;

  /** Ports a node takes from the base port: API, Raft, blob server. */
  static final int PORTS_PER_NODE = 3;

  /** What to start: set* is required, opt* optional. */
  public static final class Setup {
    private Path dir;
    private int nodes;
    private int accounts = 7;
    private long balance = 1_000_000_000L;
    private Duration electionTimeout = Duration.ofSeconds(1);
    private Duration blockInterval = Duration.ofMillis(50);
    private boolean training;
    private long dataSeed = 1;
    private boolean fakeClocks;
    private int basePort = DEFAULT_BASE_PORT;
    private final Map<Integer, Map<String, String>> environment = new HashMap<>();

    private Setup() {}

    /** An empty or absent directory for the network's files and the nodes' data and logs. */
    public Setup setDir(Path dir) {
      this.dir = dir;
      return this;
    }

    /** 3 or 5 validators (any number from 2 works; odd numbers make majorities clear). */
    public Setup setNodes(int nodes) {
      if (nodes < 2 || nodes > 9) {
        throw new IllegalArgumentException("a nemesis cluster has 2..9 nodes, got " + nodes);
      }
      this.nodes = nodes;
      return this;
    }

    /** Funded accounts besides the admin's; default 7. */
    public Setup optAccounts(int accounts) {
      this.accounts = accounts;
      return this;
    }

    public Setup optBalance(long balance) {
      this.balance = balance;
      return this;
    }

    /**
     * Node i listens on basePort + 3i (API), + 1 (Raft; its peers reach it through proxies on their
     * own loopback addresses, same port) and + 2 (blob server, with training); default {@value
     * #DEFAULT_BASE_PORT}, as {@code fedledger init --base-port} lays a network out.
     */
    public Setup optBasePort(int basePort) {
      if (basePort < 1024 || basePort + PORTS_PER_NODE * 9 > 65535) {
        throw new IllegalArgumentException(
            "--base-port must be 1024-" + (65535 - PORTS_PER_NODE * 9) + ", got " + basePort);
      }
      this.basePort = basePort;
      return this;
    }

    /** Raft's minimum election timeout; default 1 s (the machine may be loaded). */
    public Setup optElectionTimeout(Duration electionTimeout) {
      this.electionTimeout = electionTimeout;
      return this;
    }

    public Setup optBlockInterval(Duration blockInterval) {
      this.blockInterval = blockInterval;
      return this;
    }

    /**
     * Gives every validator a data owner whose participant agent runs in it, and a blob server, so
     * that a {@link TrainingJob} can run; the owners' data is split from Fashion-MNIST with seed.
     */
    public Setup optTraining(long seed) {
      this.training = true;
      this.dataSeed = seed;
      return this;
    }

    /**
     * Starts every node under its own {@link FakeClock} (libfaketime), at real time until a clock
     * fault moves it. Needs libfaketime ({@link FakeClock#available}).
     */
    public Setup optFakeClocks() {
      this.fakeClocks = true;
      return this;
    }

    /** Environment variables of node i's JVM (a clock fault's libfaketime). */
    public Setup optEnvironment(int node, Map<String, String> env) {
      environment.computeIfAbsent(node, k -> new HashMap<>()).putAll(env);
      return this;
    }

    public NemesisCluster start(Duration leaderTimeout) throws IOException, InterruptedException {
      if (dir == null || nodes == 0) {
        throw new IllegalStateException("setDir and setNodes are required");
      }
      return NemesisCluster.start(this, leaderTimeout);
    }
  }

  private static NemesisCluster start(Setup s, Duration leaderTimeout)
      throws IOException, InterruptedException {
    List<Integer> apiPorts = new ArrayList<>();
    List<Integer> raftPorts = new ArrayList<>();
    List<Integer> blobPorts = new ArrayList<>();
    for (int i = 0; i < s.nodes; i++) {
      int base = s.basePort + PORTS_PER_NODE * i;
      apiPorts.add(base);
      raftPorts.add(base + 1);
      blobPorts.add(s.training ? base + 2 : 0);
    }
    NetworkInitializer.Network network =
        NetworkInitializer.initialize(
            new NetworkInitializer.Request(
                s.dir,
                CHAIN_ID,
                s.nodes,
                s.accounts,
                s.training ? s.nodes : 0,
                s.balance,
                i ->
                    new NetworkInitializer.Ports(
                        apiPorts.get(i), raftPorts.get(i), blobPorts.get(i), host(i)),
                new NodeConfig.BlockParams(1000, 4 * 1024 * 1024, s.blockInterval.toMillis()),
                GENESIS_TIME_MILLIS));
    if (s.training) {
      TrainingJob.writeData(network.dir(), s.nodes, s.dataSeed);
    }
    LinkProxy[][] links = new LinkProxy[s.nodes][s.nodes];
    List<NodeProcess> processes = new ArrayList<>();
    List<NodeEndpoint> endpoints = new ArrayList<>();
    NemesisCluster cluster = new NemesisCluster(network, processes, endpoints, links);
    try {
      for (int from = 0; from < s.nodes; from++) {
        for (int to = 0; to < s.nodes; to++) {
          if (from != to) {
            links[from][to] =
                LinkProxy.start(
                    NetworkInitializer.nodeId(from) + "->" + NetworkInitializer.nodeId(to),
                    new InetSocketAddress(proxyAddress(from, to), raftPorts.get(to)),
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), raftPorts.get(to)));
          }
        }
      }
      for (int i = 0; i < s.nodes; i++) {
        Path config = network.configFiles().get(i);
        NodeConfig c = NodeConfig.load(config);
        c.withTuning(new NodeConfig.Tuning(s.electionTimeout.toMillis(), null, null)).save(config);
        Path hosts = writeHostsFile(config.resolveSibling("hosts"), i, s.nodes);
        endpoints.add(new NodeEndpoint(c.nodeId(), c.apiAddress()));
        NodeProcess process =
            new NodeProcess(config)
                .optJvmArg("-Djdk.net.hosts.file=" + hosts)
                .optEnvironment(s.environment.getOrDefault(i, Map.of()));
        if (s.fakeClocks) {
          FakeClock clock = FakeClock.create(config.resolveSibling("clock"));
          cluster.clocks.add(clock);
          process.optEnvironment(clock.environment());
        }
        processes.add(process);
      }
      for (NodeProcess p : processes) {
        p.start();
      }
      cluster.awaitLeader(leaderTimeout);
      return cluster;
    } catch (IOException | InterruptedException | RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  /** Validator i's host name, its Raft address's host on chain. */
  static String host(int i) {
    return NetworkInitializer.nodeId(i) + ".nemesis";
  }

  /** Where the proxy of the link from → to listens: a loopback address of its own. */
  static InetAddress proxyAddress(int from, int to) {
    try {
      return InetAddress.getByAddress(new byte[] {127, 0, (byte) (from + 1), (byte) (to + 1)});
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException("four bytes are always an IPv4 address", e);
    }
  }

  private static Path writeHostsFile(Path file, int self, int nodes) throws IOException {
    StringBuilder b = new StringBuilder();
    b.append("# node ").append(self).append("'s view of the nemesis cluster\n");
    // Without the usual names the JVM could not resolve localhost or its own host name at all: a
    // hosts file given to the JDK replaces the system's resolver.
    b.append("127.0.0.1 localhost ").append(InetAddress.getLocalHost().getHostName()).append('\n');
    for (int j = 0; j < nodes; j++) {
      String address = j == self ? "127.0.0.1" : proxyAddress(self, j).getHostAddress();
      b.append(address).append(' ').append(host(j)).append('\n');
    }
    Files.writeString(file, b.toString(), StandardCharsets.UTF_8);
    return file;
  }

  public int size() {
    return processes.size();
  }

  public NetworkInitializer.Network network() {
    return network;
  }

  /** Node i's REST API, as a URL for the CLI's --node. */
  String apiUrl(int i) {
    return endpoints.get(i).url();
  }

  /** Node i's blob server, as a URL for the CLI's --blobs (a training cluster only). */
  String blobUrl(int i) throws IOException {
    String blobs = NodeConfig.load(network.configFiles().get(i)).blobAddress();
    if (blobs == null) {
      throw new IllegalStateException("this cluster was started without training: no blob server");
    }
    return "http://" + blobs;
  }

  /** Node i's clock; only for a cluster started with {@link Setup#optFakeClocks}. */
  FakeClock clock(int i) {
    if (clocks.isEmpty()) {
      throw new IllegalStateException("this cluster was started without fake clocks");
    }
    return clocks.get(i);
  }

  /** Node i's data directory. */
  Path dataDir(int i) throws IOException {
    Path config = network.configFiles().get(i);
    return NodeConfig.resolve(config, NodeConfig.load(config).dataDir());
  }

  NodeProcess process(int i) {
    return processes.get(i);
  }

  /**
   * Starts again every node that failed stop by itself (exit status 70, a full disk:
   * docs/faults.md), as a supervisor with systemd's Restart=on-failure would; a node may stop so
   * just after its fault is healed, when its JVM is slow on a busy machine. Returns how many were
   * started.
   */
  int restartFailStopped() throws IOException, InterruptedException {
    int restarted = 0;
    for (NodeProcess p : processes) {
      if (p.starts() > 0 && p.awaitExit(Duration.ZERO).orElse(0) == FAIL_STOP_EXIT) {
        p.start();
        restarted++;
      }
    }
    return restarted;
  }

  NodeEndpoint endpoint(int i) {
    return endpoints.get(i);
  }

  List<NodeEndpoint> endpoints() {
    return List.copyOf(endpoints);
  }

  /** Cuts the links between a and b, both ways. */
  void cut(int a, int b) {
    links[a][b].cut();
    links[b][a].cut();
  }

  /** Delays every link to and from node by delayMillis per chunk. */
  void slow(int node, long delayMillis) {
    for (int other = 0; other < size(); other++) {
      if (other != node) {
        links[node][other].slow(delayMillis);
        links[other][node].slow(delayMillis);
      }
    }
  }

  /** Restores every link: no cut, no delay. */
  void healLinks() {
    for (LinkProxy[] row : links) {
      for (LinkProxy link : row) {
        if (link != null) {
          link.heal();
        }
      }
    }
  }

  /**
   * The node most live nodes name as leader, if any names one. A node cut off in a minority may
   * still believe itself leader; the majority's view wins.
   */
  Optional<Integer> leader() throws InterruptedException {
    Map<String, Integer> votes = new HashMap<>();
    for (NodeEndpoint e : endpoints) {
      Optional<JsonNode> status = e.status();
      if (status.isPresent() && status.get().hasNonNull("leaderId")) {
        votes.merge(status.get().get("leaderId").asText(), 1, Integer::sum);
      }
    }
    return votes.entrySet().stream()
        .max(
            Map.Entry.<String, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
        .map(e -> indexOf(e.getKey()));
  }

  /** The height each node reports; -1 for a node that does not answer. */
  List<Long> heights() throws InterruptedException {
    List<Long> out = new ArrayList<>();
    for (NodeEndpoint e : endpoints) {
      out.add(e.status().map(s -> s.path("height").asLong()).orElse(-1L));
    }
    return out;
  }

  static int indexOf(String nodeId) {
    return Integer.parseInt(nodeId.substring(nodeId.lastIndexOf('-') + 1));
  }

  /** Waits until every node answers and a majority names a leader. */
  void awaitLeader(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (int i = 0; i < size(); i++) {
        if (!processes.get(i).isAlive()) {
          throw new IllegalStateException(
              NetworkInitializer.nodeId(i) + " exited at start; see " + processes.get(i).log());
        }
      }
      if (!heights().contains(-1L) && leader().isPresent()) {
        return;
      }
      TimeUnit.MILLISECONDS.sleep(250);
    }
    throw new IllegalStateException(
        "the nemesis cluster elected no leader within "
            + timeout.toSeconds()
            + " s; see the node logs under "
            + network.dir());
  }

  /** The nodes' log files. */
  public List<Path> logs() {
    return processes.stream().map(NodeProcess::log).toList();
  }

  /** Kills every node (kill -9: a paused one too) and closes the proxies; the files stay. */
  @Override
  public void close() throws InterruptedException {
    for (NodeProcess p : processes) {
      p.kill();
    }
    for (LinkProxy[] row : links) {
      for (LinkProxy link : row) {
        if (link != null) {
          link.close();
        }
      }
    }
  }
}
