package org.fedledger.node.testing;

import com.google.protobuf.Message;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.fedledger.consensus.block.BlockParams;
import org.fedledger.consensus.node.ConsensusConfig;
import org.fedledger.consensus.node.ConsensusNode;
import org.fedledger.consensus.node.PeerAddress;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.hash.Sha256;
import org.fedledger.core.proto.registry.RegisterDataset;
import org.fedledger.core.proto.staking.Bond;
import org.fedledger.core.proto.training.CreateJob;
import org.fedledger.core.proto.training.JoinJob;
import org.fedledger.core.proto.training.StartJob;
import org.fedledger.learning.attack.Attack;
import org.fedledger.learning.data.LabeledData;
import org.fedledger.learning.io.Safetensors;
import org.fedledger.learning.model.ModelSpecs;
import org.fedledger.learning.model.Models;
import org.fedledger.learning.tensor.Weights;
import org.fedledger.learning.train.TrainConfig;
import org.fedledger.ledger.Genesis;
import org.fedledger.ledger.Ledger;
import org.fedledger.ledger.ValidatorInfo;
import org.fedledger.ledger.training.TrainingModule;
import org.fedledger.node.agent.BlobSource;
import org.fedledger.node.agent.ChainAccess;
import org.fedledger.node.agent.ChainBlobAccess;
import org.fedledger.node.agent.DeadlineTicker;
import org.fedledger.node.agent.JobOptions;
import org.fedledger.node.agent.ParticipantAgent;
import org.fedledger.node.agent.TxSender;
import org.fedledger.node.agent.ValidatorAgent;
import org.fedledger.node.blob.BlobClient;
import org.fedledger.node.blob.BlobServer;
import org.fedledger.node.blob.BlobStore;
import org.fedledger.testkit.FreePorts;
import org.fedledger.testkit.GarbageServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Test wiring: a whole training network in one process, on loopback, with the faults tests inject:
 * validators (real Ratis, real RocksDB), each with a blob server and a {@link ValidatorAgent} whose
 * aggregates a test may tamper with; a sponsor serving the initial weights; data owners, each with
 * its own key, blob server and {@link ParticipantAgent}, one of which may announce a {@link
 * GarbageServer} instead of its own. Validators and participants can be stopped mid-job. Keys
 * derive from the seed, so a run can be replayed. (The product's in-process network, {@code
 * fedledger demo}, starts real nodes from generated configurations instead.)
 */
public final class TrainingNetwork implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TrainingNetwork.class);
  public static final String CHAIN_ID = "fedledger-demo";
  private static final Duration TX_TIMEOUT = Duration.ofSeconds(60);

  /**
   * One data owner: its data, whether it poisons its updates (attack, or null), and whether the
   * location it announces serves bytes that do not match its update hash (a fault to test).
   */
  public record Owner(String name, LabeledData data, Attack attack, boolean corruptBlobs) {
    public Owner(String name, LabeledData data, Attack attack) {
      this(name, data, attack, false);
    }
  }

  /** A validator's slot: the node (null once stopped), its agent and blob server. */
  public static final class Validator {
    private final Ed25519KeyPair key;
    private ConsensusNode node;
    private ValidatorAgent agent;
    private BlobServer blobs;
    private TxSender tx;

    Validator(Ed25519KeyPair key) {
      this.key = key;
    }

    public Ed25519KeyPair key() {
      return key;
    }

    /** Its node; null once stopped. */
    public ConsensusNode node() {
      return node;
    }
  }

  /** A participant's slot. */
  public static final class Participant {
    private final Owner owner;
    private final Ed25519KeyPair key;
    private ParticipantAgent agent;
    private BlobServer blobs;
    private TxSender tx;
    private GarbageServer corrupt;

    Participant(Owner owner, Ed25519KeyPair key) {
      this.owner = owner;
      this.key = key;
    }

    public Owner owner() {
      return owner;
    }

    public Ed25519KeyPair key() {
      return key;
    }

    public ParticipantAgent agent() {
      return agent;
    }

    public BlobServer blobs() {
      return blobs;
    }

    /** Sends this owner's own transactions, as its agent does. */
    public TxSender tx() {
      return tx;
    }

    public String datasetId() {
      return owner.name() + "-fashion-mnist";
    }
  }

  private final Path dir;
  private final long seed;
  private final List<Validator> validators = new ArrayList<>();
  private final List<Participant> participants = new ArrayList<>();
  private final List<PeerAddress> peers = new ArrayList<>();
  private final Ed25519KeyPair sponsorKey;
  private final Genesis genesis;
  private BlobServer sponsorBlobs;
  private BlobStore sponsorStore;
  private TxSender sponsor;
  private DeadlineTicker ticker;

  /** How often deadlines tick by default: short, so that tests of missed deadlines finish fast. */
  private static final Duration DEFAULT_TICK = Duration.ofMillis(150);

  private boolean datasetsRegistered;

  private TrainingNetwork(Path dir, int validatorCount, List<Owner> owners, long seed) {
    this.dir = dir;
    this.seed = seed;
    for (int i = 0; i < validatorCount; i++) {
      validators.add(new Validator(key(1, i)));
      peers.add(new PeerAddress("v" + i, "127.0.0.1", FreePorts.one()));
    }
    for (int i = 0; i < owners.size(); i++) {
      participants.add(new Participant(owners.get(i), key(2, i)));
    }
    this.sponsorKey = key(3, 0);
    List<ValidatorInfo> vs = new ArrayList<>();
    List<Genesis.Account> accounts = new ArrayList<>();
    for (Validator v : validators) {
      vs.add(new ValidatorInfo(v.key.publicKey(), 1, "127.0.0.1:1", "127.0.0.1:1"));
      accounts.add(new Genesis.Account(v.key.publicKey().address(), 1_000_000));
    }
    for (Participant p : participants) {
      accounts.add(new Genesis.Account(p.key.publicKey().address(), 1_000_000));
    }
    accounts.add(new Genesis.Account(sponsorKey.publicKey().address(), 100_000_000));
    this.genesis =
        new Genesis(CHAIN_ID, 1_700_000_000_000L, sponsorKey.publicKey().address(), vs, accounts);
  }

  /**
   * Starts the validators and the blob servers, waits for a leader, bonds the validators' stake.
   *
   * @param evaluation test data the aggregators report accuracy on (null: no accuracy metric)
   * @param faults per validator index, a tampering applied to its aggregates (null: all honest)
   */
  public static TrainingNetwork start(
      Path dir,
      int validatorCount,
      List<Owner> owners,
      long seed,
      LabeledData evaluation,
      List<UnaryOperator<Weights>> faults,
      TrainConfig trainConfig)
      throws Exception {
    TrainingNetwork net = new TrainingNetwork(dir, validatorCount, owners, seed);
    try {
      net.startAll(evaluation, faults, trainConfig);
      return net;
    } catch (Exception | Error e) {
      net.close();
      throw e;
    }
  }

  private Ed25519KeyPair key(int role, int i) {
    byte[] s =
        Sha256.hash(ByteBuffer.allocate(20).putLong(seed).putInt(role).putInt(i).array())
            .toByteArray();
    return Ed25519KeyPair.fromSeed(s);
  }

  private void startAll(
      LabeledData evaluation, List<UnaryOperator<Weights>> faults, TrainConfig trainConfig)
      throws Exception {
    for (int i = 0; i < validators.size(); i++) {
      Validator v = validators.get(i);
      v.node = ConsensusNode.start(nodeConfig(i));
    }
    awaitLeader(Duration.ofSeconds(60));
    List<String> validatorUrls = new ArrayList<>();
    for (int i = 0; i < validators.size(); i++) {
      Validator v = validators.get(i);
      ConsensusNode node = v.node;
      BlobStore store = new BlobStore(dir.resolve("v" + i).resolve("blobs"));
      v.blobs =
          new BlobServer(
                  store,
                  ChainBlobAccess.forNode(node::ledger),
                  a -> a.equals(v.key.publicKey().address()),
                  Clock.systemUTC())
              .start("127.0.0.1", 0);
      validatorUrls.add(v.blobs.url());
    }
    sponsorStore = new BlobStore(dir.resolve("sponsor").resolve("blobs"));
    sponsorBlobs =
        new BlobServer(
                sponsorStore,
                ChainBlobAccess.forNode(validators.get(0).node::ledger),
                a -> a.equals(sponsorKey.publicKey().address()),
                Clock.systemUTC())
            .start("127.0.0.1", 0);
    List<String> known = new ArrayList<>();
    known.add(sponsorBlobs.url());
    known.addAll(validatorUrls);
    sponsor = new TxSender(sponsorKey, ChainAccess.of(validators.get(0).node));

    for (int i = 0; i < validators.size(); i++) {
      Validator v = validators.get(i);
      v.tx = new TxSender(v.key, ChainAccess.of(v.node));
      TxSender tx = v.tx;
      ConsensusNode node = v.node;
      // As a node's agents do: fetch only from blob servers announced on chain, or known peers.
      BlobSource source =
          new BlobSource(
              new BlobClient(
                  v.key, new BlobStore(dir.resolve("v" + i).resolve("blobs")), Clock.systemUTC()),
              known,
              BlobSource.announcedOn(node::ledger));
      if (faults != null && faults.get(i) != null) {
        // A compromised validator: its honest agent's commits leave through a tampering channel.
        tx =
            new TxSender(
                v.key,
                new TamperingChainAccess(
                    ChainAccess.of(v.node),
                    v.key,
                    new BlobStore(dir.resolve("v" + i).resolve("blobs")),
                    faults.get(i)));
        v.tx = tx;
      }
      v.agent = new ValidatorAgent("v" + i, tx, source, v.blobs.url(), evaluation);
    }
    for (int i = 0; i < participants.size(); i++) {
      Participant p = participants.get(i);
      // Data owners are clients of the first validators (the last may be stopped in tests).
      ConsensusNode node = validators.get(i % Math.max(1, validators.size() - 1)).node;
      BlobStore store = new BlobStore(dir.resolve(p.owner.name()).resolve("blobs"));
      p.blobs =
          new BlobServer(
                  store,
                  ChainBlobAccess.forNode(node::ledger),
                  a -> a.equals(p.key.publicKey().address()),
                  Clock.systemUTC())
              .start("127.0.0.1", 0);
      p.tx = new TxSender(p.key, ChainAccess.of(node));
      String announced = p.blobs.url();
      if (p.owner.corruptBlobs()) {
        // Answers every blob request with bytes that cannot hash to what was asked.
        p.corrupt = GarbageServer.start();
        announced = p.corrupt.url();
      }
      BlobSource source = new BlobSource(new BlobClient(p.key, store, Clock.systemUTC()), known);
      p.agent =
          new ParticipantAgent(
              p.owner.name(),
              p.tx,
              source,
              announced,
              p.owner.data(),
              trainConfig,
              p.owner.attack());
    }
    // Validators bond stake: aggregators are drawn by stake, and a wrong aggregate costs some.
    List<Runnable> waits = new ArrayList<>();
    for (Validator v : validators) {
      waits.add(sendLater(v.tx, "staking", "Bond", Bond.newBuilder().setAmount(100_000).build()));
    }
    waits.forEach(Runnable::run);
    for (Validator v : validators) {
      v.agent.start();
    }
    for (Participant p : participants) {
      p.agent.start();
    }
    // The sponsor's sender: its own transactions (create, start) come before any job runs.
    ticker = new DeadlineTicker(sponsor, DEFAULT_TICK.toMillis());
  }

  /**
   * Creates a job (its seed is the network's), joins every owner in owner order and starts it. The
   * owners' datasets are registered with the first job; later jobs use the same registrations.
   */
  public Hash createAndStartJob(JobOptions o) throws Exception {
    return createAndStartJob(o, UnaryOperator.identity());
  }

  /** As {@link #createAndStartJob(JobOptions)}, with more of CreateJob set by extra. */
  public Hash createAndStartJob(JobOptions o, UnaryOperator<CreateJob.Builder> extra)
      throws Exception {
    List<Runnable> waits = new ArrayList<>();
    for (Participant p : datasetsRegistered ? List.<Participant>of() : participants) {
      LabeledData d = p.owner.data();
      waits.add(
          sendLater(
              p.tx,
              "registry",
              "RegisterDataset",
              RegisterDataset.newBuilder()
                  .setDatasetId(p.datasetId())
                  .setCommitmentHash(commitment(d).toByteString())
                  .setSampleCount(d.size())
                  .setSchema("fashion-mnist: 1x28x28 float in [0,1], 10 classes")
                  .setLicence("CC-BY-4.0")
                  .addConsent(JobOptions.USE)
                  .addConsent("research")
                  .build()));
    }
    String specJson = ModelSpecs.toJson(o.model());
    Weights initial = Models.initialWeights(o.model(), seed);
    Hash initialHash = sponsorStore.put(Safetensors.write(initial));
    Hash createTx =
        sponsor.send(
            "training",
            "CreateJob",
            extra
                .apply(CreateJob.newBuilder())
                .setModelSpec(specJson)
                .setSpecHash(
                    Sha256.hash(specJson.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                        .toByteString())
                .setInitialWeightsHash(initialHash.toByteString())
                .setRounds(o.rounds())
                .setParticipantsPerRound(o.participantsPerRound())
                .setStrategy(o.strategy())
                .setRequiredUse(JobOptions.USE)
                .setMinStake(1)
                .setReward(o.reward())
                .setRoundBlocks(o.roundBlocks())
                .setCommitBlocks(o.commitBlocks())
                .setAttestQuorum(o.attestQuorum())
                .setMinUpdates(o.minUpdates())
                .setLicence("CC-BY-4.0")
                .setSeed(seed)
                .build());
    await(sponsor, createTx);
    waits.forEach(Runnable::run);
    datasetsRegistered = true;
    // Each participant's node admits its JoinJob against its own committed state, so the job
    // must have reached that node too, not only the sponsor's.
    for (Participant p : participants) {
      await(p.tx, createTx);
    }
    Hash jobId = TrainingModule.jobIdOf(createTx);
    // One after the other, so that owner i is member i: its index in the job (which seeds its
    // training and places its update in the aggregation order) is its index here.
    for (Participant p : participants) {
      sendLater(
              p.tx,
              "training",
              "JoinJob",
              JoinJob.newBuilder()
                  .setJobId(jobId.toByteString())
                  .setDatasetId(p.datasetId())
                  .setStake(o.stake())
                  .build())
          .run();
    }
    await(
        sponsor,
        sponsor.send(
            "training", "StartJob", StartJob.newBuilder().setJobId(jobId.toByteString()).build()));
    log.info("job {} started", jobId.toHex());
    return jobId;
  }

  /** SHA-256 over the samples' features and labels: the owner's commitment to its data. */
  public static Hash commitment(LabeledData d) {
    float[] f = d.features();
    ByteBuffer b = ByteBuffer.allocate(f.length * 4 + d.size() * 4);
    for (float x : f) {
      b.putFloat(x);
    }
    for (int l : d.labels()) {
      b.putInt(l);
    }
    return Sha256.hash(b.array());
  }

  private static Runnable sendLater(TxSender tx, String module, String type, Message m)
      throws TxSender.TxRefusedException {
    Hash h = tx.send(module, type, m);
    return () -> await(tx, h);
  }

  private static void await(TxSender tx, Hash h) {
    try {
      var c = tx.chain().awaitCommitted(h, TX_TIMEOUT);
      if (c.isEmpty()) {
        throw new IllegalStateException(
            "transaction " + h.toHex() + " did not commit in " + TX_TIMEOUT);
      }
      if (!c.get().ok()) {
        throw new IllegalStateException("transaction " + h.toHex() + " failed: " + c.get().error());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private ConsensusConfig nodeConfig(int i) {
    return ConsensusConfig.of(
            validators.get(i).key, dir.resolve("v" + i).resolve("chain"), "v" + i, peers, genesis)
        .withBlock(BlockParams.defaults().withBlockInterval(Duration.ofMillis(50)))
        .withElectionTimeout(Duration.ofMillis(800))
        .withSnapshotThreshold(0);
  }

  private void awaitLeader(Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < end) {
      for (Validator v : validators) {
        if (v.node != null && v.node.isLeader()) {
          return;
        }
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("no Raft leader elected within " + timeout);
  }

  public List<Validator> validators() {
    return validators;
  }

  public List<Participant> participants() {
    return participants;
  }

  /** A running validator's ledger (any: they agree on committed blocks). */
  public Ledger ledger() {
    for (Validator v : validators) {
      if (v.node != null) {
        return v.node.ledger();
      }
    }
    throw new IllegalStateException("no validator is running");
  }

  /** The first running validator's node. */
  public ConsensusNode node() {
    for (Validator v : validators) {
      if (v.node != null) {
        return v.node;
      }
    }
    throw new IllegalStateException("no validator is running");
  }

  public String sponsorBlobUrl() {
    return sponsorBlobs.url();
  }

  /** A source for auditing: fetches with the sponsor's key into the sponsor's store. */
  public BlobSource auditorSource() {
    List<String> known = new ArrayList<>();
    known.add(sponsorBlobs.url());
    for (Validator v : validators) {
      if (v.blobs != null) {
        known.add(v.blobs.url());
      }
    }
    // The auditor must see update blobs too, so it audits as a validator would.
    Validator v0 = validators.get(0);
    return new BlobSource(
        new BlobClient(
            v0.key, new BlobStore(dir.resolve("auditor").resolve("blobs")), Clock.systemUTC()),
        known);
  }

  /** Stops a validator's agent, blob server and node, like a crashed machine. */
  public void stopValidator(int i) {
    Validator v = validators.get(i);
    if (v.agent != null) {
      v.agent.close();
    }
    if (v.blobs != null) {
      v.blobs.close();
      v.blobs = null;
    }
    if (v.node != null) {
      v.node.close();
      v.node = null;
    }
  }

  /** Kills a participant's agent (its blob server stays, holding what it already served). */
  public void killParticipant(int i) {
    participants.get(i).agent.close();
  }

  @Override
  public void close() {
    if (ticker != null) {
      ticker.close();
    }
    for (Participant p : participants) {
      if (p.agent != null) {
        p.agent.close();
      }
      if (p.blobs != null) {
        p.blobs.close();
      }
      if (p.corrupt != null) {
        p.corrupt.close();
      }
    }
    for (Validator v : validators) {
      if (v.agent != null) {
        v.agent.close();
      }
    }
    if (sponsorBlobs != null) {
      sponsorBlobs.close();
    }
    for (int i = 0; i < validators.size(); i++) {
      try {
        stopValidator(i);
      } catch (RuntimeException e) {
        log.warn("stopping validator {}: {}", i, e.toString());
      }
    }
  }
}
