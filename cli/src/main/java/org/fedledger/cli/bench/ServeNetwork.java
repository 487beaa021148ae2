package org.fedledger.cli.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.fedledger.cli.local.LocalJobs;
import org.fedledger.cli.local.LocalNodes;
import org.fedledger.cli.local.LocalOwner;
import org.fedledger.core.address.Address;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.market.Channel;
import org.fedledger.core.proto.market.OpenChannel;
import org.fedledger.core.proto.market.PublishOffer;
import org.fedledger.core.proto.training.Job;
import org.fedledger.core.proto.training.JobStatus;
import org.fedledger.learning.data.DataSplit;
import org.fedledger.learning.data.Datasets;
import org.fedledger.learning.data.LabeledData;
import org.fedledger.learning.model.ModelSpecs;
import org.fedledger.learning.train.OptimizerKind;
import org.fedledger.learning.train.TrainConfig;
import org.fedledger.ledger.Ledger;
import org.fedledger.ledger.market.MarketMessages;
import org.fedledger.ledger.market.MarketModule;
import org.fedledger.node.FedledgerNode;
import org.fedledger.node.agent.JobOptions;
import org.fedledger.node.agent.OwnerData;
import org.fedledger.node.agent.TrainingState;
import org.fedledger.node.agent.TxSender;
import org.fedledger.node.config.NodeConfig;

/**
 * A provider on loopback with a model to sell, as a consortium would have one after training: one
 * validator ({@link LocalNodes}: a real {@link FedledgerNode} with its blob server and serving)
 * whose three data owners train the demo's MLP on embedded Fashion-MNIST for one round, the sponsor
 * (the genesis admin, so the model's owner) offering it for sale with the validator as its
 * provider, and a payment channel to it opened by each client, whose accounts genesis funds.
 */
public final class ServeNetwork implements AutoCloseable {
  /** The owners and how much each trains on: a model, not a good one, is what is needed. */
  static final int OWNERS = 3;

  static final int SAMPLES_PER_OWNER = 200;

  /** The offer's split: 20 % to the provider, 30 % to the owner, 50 % to the contributors. */
  static final long PROVIDER_FEE_PPM = 200_000;

  static final long OWNER_SHARE_PPM = 300_000;
  static final long CONTRIBUTORS_SHARE_PPM = 500_000;

  private static final Duration TX_TIMEOUT = Duration.ofSeconds(60);

  private final LocalNodes nodes;
  private final String modelId;
  private final List<Ed25519KeyPair> clients;
  private final List<Hash> channels;
  private final long pricePerCall;
  private final LabeledData samples;

  private ServeNetwork(
      LocalNodes nodes,
      String modelId,
      List<Ed25519KeyPair> clients,
      List<Hash> channels,
      long pricePerCall,
      LabeledData samples) {
    this.nodes = nodes;
    this.modelId = modelId;
    this.clients = clients;
    this.channels = channels;
    this.pricePerCall = pricePerCall;
    this.samples = samples;
  }

  /** What to start: {@code set*} required, {@code opt*} optional. */
  public static Setup builder() {
    return new Setup();
  }

  /** The provider's shape. */
  public static final class Setup {
    private Path dir;
    private int basePort;
    private int clients = 1;
    private long pricePerCall = 1;
    private long deposit = 1_000_000;
    private NodeConfig.Serving serving = NodeConfig.Serving.DEFAULT;

    private Setup() {}

    /** An empty or missing directory for the network's files. */
    public Setup setDir(Path dir) {
      this.dir = dir;
      return this;
    }

    /** The validator listens on basePort (API), +1 (Raft) and +2 (blobs). */
    public Setup setBasePort(int basePort) {
      this.basePort = basePort;
      return this;
    }

    /** Clients, each with a channel of its own. */
    public Setup optClients(int clients) {
      this.clients = clients;
      return this;
    }

    public Setup optPricePerCall(long price) {
      this.pricePerCall = price;
      return this;
    }

    /** Each channel's deposit. */
    public Setup optDeposit(long deposit) {
      this.deposit = deposit;
      return this;
    }

    /** The provider's claim settings (its node configuration's {@code serving}). */
    public Setup optServing(NodeConfig.Serving serving) {
      this.serving = Objects.requireNonNull(serving);
      return this;
    }

    /**
     * Starts the node, trains and registers the model, offers it and opens the channels.
     *
     * @throws IllegalStateException if the job does not complete within jobTimeout
     */
    public ServeNetwork start(Duration jobTimeout)
        throws IOException, InterruptedException, TxSender.TxRefusedException {
      Objects.requireNonNull(dir, "setDir");
      if (clients < 1 || pricePerCall < 1 || deposit < pricePerCall) {
        throw new IllegalArgumentException(
            "a serving network needs at least 1 client, a price of at least 1 and a deposit of at"
                + " least one call");
      }
      return ServeNetwork.start(this, jobTimeout);
    }
  }

  private static ServeNetwork start(Setup s, Duration jobTimeout)
      throws IOException, InterruptedException, TxSender.TxRefusedException {
    DataSplit fashion = Datasets.embeddedFashionMnist();
    LabeledData[] parts =
        OwnerData.dirichlet(fashion.train(), OWNERS, OWNERS * SAMPLES_PER_OWNER, 5, 1);
    List<LocalOwner> owners = new ArrayList<>();
    for (int i = 0; i < OWNERS; i++) {
      owners.add(new LocalOwner("p" + (i + 1), parts[i], null));
    }
    List<Ed25519KeyPair> clients = new ArrayList<>();
    List<Address> funded = new ArrayList<>();
    for (int i = 0; i < s.clients; i++) {
      Ed25519KeyPair k = Ed25519KeyPair.generate();
      clients.add(k);
      funded.add(k.publicKey().address());
    }
    LocalNodes nodes =
        LocalNodes.builder()
            .setDir(s.dir)
            .setBasePort(s.basePort)
            .setValidators(1)
            .setOwners(owners)
            .optFundedAccounts(funded)
            .optBalance(Math.max(100_000_000, 2 * s.deposit))
            .optServing(s.serving)
            .start(Duration.ofSeconds(60));
    try {
      String modelId = train(nodes, jobTimeout);
      offer(nodes, modelId, s.pricePerCall);
      List<Hash> channels = open(nodes, modelId, clients, s.deposit);
      return new ServeNetwork(
          nodes,
          modelId,
          List.copyOf(clients),
          List.copyOf(channels),
          s.pricePerCall,
          OwnerData.sample(fashion.test(), 256, 2));
    } catch (IOException
        | InterruptedException
        | TxSender.TxRefusedException
        | RuntimeException e) {
      nodes.close();
      throw e;
    }
  }

  /** The demo's MLP, one round of one epoch with federated averaging; the model's id. */
  private static String train(LocalNodes nodes, Duration timeout)
      throws IOException, InterruptedException, TxSender.TxRefusedException {
    JobOptions options =
        JobOptions.builder()
            .setModel(ModelSpecs.preset("mlp"))
            .setRounds(1)
            .setParticipantsPerRound(OWNERS)
            .setStrategy("fedavg")
            .optMinUpdates(OWNERS)
            .optReward(30_000)
            .optStake(1_000)
            .optRoundBlocks(600)
            .optCommitBlocks(600)
            .optAttestQuorum(1)
            .build();
    Hash jobId =
        new LocalJobs(nodes)
            .createAndStart(options, 1, new TrainConfig(1, 32, OptimizerKind.SGD, 0.05f, 0f));
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Job job = new TrainingState(nodes.ledger()).job(jobId).orElseThrow();
      if (job.getStatus() == JobStatus.JOB_COMPLETED && !job.getModelId().isEmpty()) {
        return job.getModelId();
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "the serving network's training job did not complete within "
                + timeout.toSeconds()
                + " s (status "
                + job.getStatus()
                + "); is the machine overloaded?");
      }
      Thread.sleep(100);
    }
  }

  private static void offer(LocalNodes nodes, String modelId, long price)
      throws IOException, InterruptedException, TxSender.TxRefusedException {
    Address provider = nodes.validatorKey(0).publicKey().address();
    nodes
        .sender(nodes.adminKey(), 0)
        .sendAndWait(
            MarketMessages.MODULE,
            MarketMessages.PUBLISH_OFFER,
            PublishOffer.newBuilder()
                .setModelId(modelId)
                .setPricePerCall(price)
                .addProviders(provider.toByteString())
                .setProviderFeePpm(PROVIDER_FEE_PPM)
                .setOwnerSharePpm(OWNER_SHARE_PPM)
                .setContributorsSharePpm(CONTRIBUTORS_SHARE_PPM)
                .setLicence("CC-BY-4.0")
                .build(),
            TX_TIMEOUT);
  }

  /** One channel per client, sent together, each awaited; far from expiry. */
  private static List<Hash> open(
      LocalNodes nodes, String modelId, List<Ed25519KeyPair> clients, long deposit)
      throws IOException, InterruptedException, TxSender.TxRefusedException {
    Address provider = nodes.validatorKey(0).publicKey().address();
    long expiry = nodes.ledger().height() + 500_000;
    List<TxSender> senders = new ArrayList<>();
    List<Hash> txs = new ArrayList<>();
    for (Ed25519KeyPair client : clients) {
      TxSender tx = nodes.sender(client, 0);
      senders.add(tx);
      txs.add(
          tx.send(
              MarketMessages.MODULE,
              MarketMessages.OPEN_CHANNEL,
              OpenChannel.newBuilder()
                  .setModelId(modelId)
                  .setProvider(provider.toByteString())
                  .setDeposit(deposit)
                  .setExpiryHeight(expiry)
                  .build()));
    }
    List<Hash> channels = new ArrayList<>();
    for (int i = 0; i < txs.size(); i++) {
      var committed = senders.get(i).chain().awaitCommitted(txs.get(i), TX_TIMEOUT);
      if (committed.isEmpty() || !committed.get().ok()) {
        throw new TxSender.TxRefusedException(
            "client "
                + i
                + "'s OpenChannel "
                + (committed.isEmpty()
                    ? "did not commit within " + TX_TIMEOUT.toSeconds() + " s"
                    : "failed: " + committed.get().error()));
      }
      channels.add(MarketModule.channelIdOf(txs.get(i)));
    }
    return channels;
  }

  public LocalNodes nodes() {
    return nodes;
  }

  /** The provider: the network's one validator. */
  public FedledgerNode provider() {
    return nodes.node(0);
  }

  public String apiUrl() {
    return nodes.apiUrl(0);
  }

  public Ledger ledger() {
    return nodes.ledger();
  }

  public String modelId() {
    return modelId;
  }

  public String chainId() {
    return ledger().chainId();
  }

  public long pricePerCall() {
    return pricePerCall;
  }

  public List<Ed25519KeyPair> clients() {
    return clients;
  }

  /** Client i's channel. */
  public List<Hash> channels() {
    return channels;
  }

  /** Fashion-MNIST test images to ask the model about. */
  public LabeledData samples() {
    return samples;
  }

  /** Channel i as the chain has it now. */
  public Channel channel(int i) {
    Ledger l = ledger();
    return l.query(q -> l.market().channel(q, channels.get(i))).orElseThrow();
  }

  @Override
  public void close() {
    nodes.close();
  }
}
