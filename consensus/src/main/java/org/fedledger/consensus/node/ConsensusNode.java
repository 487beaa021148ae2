package org.fedledger.consensus.node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.storage.RaftStorage;
import org.fedledger.consensus.app.Application;
import org.fedledger.consensus.app.AppliedBlock;
import org.fedledger.consensus.app.CommittedTx;
import org.fedledger.consensus.app.LedgerApplication;
import org.fedledger.consensus.app.ReopenableApplication;
import org.fedledger.consensus.block.BlockBuilder;
import org.fedledger.consensus.forward.Forwarder;
import org.fedledger.consensus.mempool.Mempool;
import org.fedledger.consensus.mempool.SubmitResult;
import org.fedledger.consensus.raft.ForwardBatch;
import org.fedledger.consensus.raft.LedgerStateMachine;
import org.fedledger.consensus.raft.LocalProposals;
import org.fedledger.consensus.raft.RaftProposalSink;
import org.fedledger.consensus.raft.RaftSettings;
import org.fedledger.consensus.raft.StateMachineListener;
import org.fedledger.consensus.vote.StateRootVoteSigner;
import org.fedledger.consensus.vote.VotePool;
import org.fedledger.core.address.Address;
import org.fedledger.core.crypto.Ed25519;
import org.fedledger.core.crypto.Ed25519PublicKey;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.StateRootVote;
import org.fedledger.ledger.Ledger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One validator: its ledger, mempool, Raft server, block builder and forwarder.
 *
 * <p>Every node accepts submissions. An accepted transaction is in this node's mempool; a follower
 * forwards it to the leader, which includes it in a block. Acceptance is not commitment: use {@link
 * #awaitCommitted}. If leadership moves, transactions still pending are forwarded to the new
 * leader; a client whose transaction is not committed within its timeout should resubmit it (a
 * duplicate is refused as DUPLICATE or, once committed, BAD_NONCE, so resubmitting is safe).
 */
public final class ConsensusNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ConsensusNode.class);
  private static final int VOTE_POOL_CAPACITY = 10_000;
  private static final int FORWARD_BATCH_TXS = 4_096;

  private final ConsensusConfig config;
  private final ReopenableApplication<LedgerApplication> app;
  private final Mempool mempool;
  private final VotePool votes = new VotePool(VOTE_POOL_CAPACITY);
  private final CommitTracker commits = new CommitTracker();
  private final List<Consumer<AppliedBlock>> blockListeners = new CopyOnWriteArrayList<>();
  private final List<String> faults = new CopyOnWriteArrayList<>();
  private final RaftGroupId groupId;
  private final RaftPeerId selfId;
  private final String chainId;
  private final Ed25519PublicKey publicKey;
  private final RaftServer server;
  private final BlockBuilder builder;
  private final Forwarder forwarder;
  private final GroupClient groupClient;
  private final LocalAdmin admin;
  private final PeerChanges peerChanges;
  private final MembershipSync membership;
  private StragglerReforwarder reforwarder;
  private volatile RaftPeerId leaderId;
  private volatile boolean closed;
  private final RaftFailStop failStop;
  private final AtomicInteger stateReloads = new AtomicInteger();

  private ConsensusNode(ConsensusConfig config) throws IOException {
    this.config = config;
    Files.createDirectories(config.dataDir());
    this.app =
        ReopenableApplication.open(
            config.dataDir().resolve("ledger"), LedgerApplication.factory(config.genesis()));
    this.chainId = app.chainId();
    this.publicKey = config.key().publicKey();
    this.groupId = groupIdFor(chainId);
    this.selfId = RaftPeerId.valueOf(config.selfId());
    this.mempool = new Mempool(app, config.mempool());
    Path raftDir = config.dataDir().resolve("raft");
    boolean recover = Files.isDirectory(raftDir.resolve(groupId.getUuid().toString()));
    RaftProperties props =
        RaftSettings.serverProperties(
            raftDir,
            config.self().host(),
            config.self().port(),
            config.electionTimeout(),
            // The genesis' limit, not this node's: every node must hold the largest block any
            // leader may cut.
            config.genesis().blockLimits().maxBytes() + 1024 * 1024,
            config.snapshotThreshold());
    for (Map.Entry<String, String> o : config.raftOverrides().entrySet()) {
      props.set(o.getKey(), o.getValue());
    }
    RaftGroup group =
        RaftGroup.valueOf(
            groupId,
            MembershipSync.startingPeers(config).stream().map(PeerAddress::toRaftPeer).toList());
    LocalProposals localProposals = new LocalProposals();
    Parameters tls = RaftTls.parameters(config.tls());
    this.server =
        RaftServer.newBuilder()
            .setServerId(selfId)
            .setGroup(group)
            .setProperties(props)
            .setParameters(tls)
            .setStateMachine(new LedgerStateMachine(app, new Events(), localProposals))
            .setOption(
                recover ? RaftStorage.StartupOption.RECOVER : RaftStorage.StartupOption.FORMAT)
            .build();
    int maxBlockBytes = config.genesis().blockLimits().maxBytes();
    this.failStop = new RaftFailStop(selfId.toString(), server);
    this.groupClient = new GroupClient(server, groupId, maxBlockBytes, tls);
    this.admin = new LocalAdmin(server, groupId);
    this.peerChanges = new PeerChanges(server, groupId, admin, groupClient);
    this.builder =
        new BlockBuilder(
            mempool,
            votes,
            new RaftProposalSink(server, groupId, localProposals),
            config.block(),
            publicKey.address(),
            Clock.systemUTC(),
            app::lastBlockTimestampMillis,
            this::isLeaderReady);
    this.forwarder =
        new Forwarder(
            groupClient::client, this::isLeader, FORWARD_BATCH_TXS, config.mempool().capacity());
    this.membership =
        new MembershipSync(
            new RatisMembership(
                server, groupId, selfId, RaftSettings.clientProperties(maxBlockBytes), tls),
            () -> ledger().validators(),
            config.selfId(),
            Duration.ofSeconds(1));
    blockListeners.add(block -> builder.blockApplied(block.timestampMillis()));
    blockListeners.add(block -> membership.poke());
    mempool.addAdmissionListener(
        admitted -> {
          if (!isLeader()) {
            forwarder.enqueueTxs(admitted);
          }
        });
    LOG.info(
        "starting node {} of chain {} ({}) with peers {}, Raft over {}; signatures verified by {}",
        selfId,
        chainId,
        recover ? "recovering its Raft log" : "formatting new Raft storage",
        config.peers(),
        config.tls() == null ? "plaintext (no TLS configured)" : "mutual TLS",
        Ed25519.verifier());
  }

  /** Starts a node; it joins (or forms) its Raft group and applies what it missed. */
  public static ConsensusNode start(ConsensusConfig config) throws IOException {
    ConsensusNode node = new ConsensusNode(config);
    try {
      node.server.start();
    } catch (IOException | RuntimeException e) {
      // Ratis reports damaged storage either way: an IOException, or (a gap between log segments
      // after one was truncated) an IllegalStateException wrapped in a CompletionException.
      node.close();
      throw new IOException(
          "Raft could not start from its storage under "
              + config.dataDir().resolve("raft")
              + ": "
              + e.getMessage()
              + ". If a file there is damaged (a Raft log segment, raft-meta, a snapshot), the node"
              + " refuses to run on it: move the node's data directory aside and start the node"
              + " again; it restores its state from its peers (docs/faults.md)",
          e);
    }
    try {
      RaftLogCheck.requireLogReachesSnapshot(
          node.server.getDivision(node.groupId), config.dataDir().resolve("raft"));
    } catch (IOException e) {
      node.close();
      throw e;
    }
    node.builder.start();
    node.forwarder.start();
    node.membership.start();
    node.reforwarder =
        StragglerReforwarder.start(
            node.mempool, node.forwarder, () -> !node.closed && !node.isLeader());
    return node;
  }

  /** The Raft group of a chain: every node of a network derives the same id from its chain id. */
  public static RaftGroupId groupIdFor(String chainId) {
    return RaftGroupId.valueOf(
        UUID.nameUUIDFromBytes(("fedledger/" + chainId).getBytes(StandardCharsets.UTF_8)));
  }

  /** Admits encoded SignedTransactions; one result per transaction, in order. */
  public List<SubmitResult> submit(List<byte[]> encodedTxs) {
    return mempool.submit(encodedTxs);
  }

  /**
   * Waits until the transaction is in a committed block on this node.
   *
   * @return the commit, or empty if it did not commit within the timeout
   */
  public Optional<CommittedTx> awaitCommitted(Hash txHash, Duration timeout)
      throws InterruptedException {
    return commits.await(txHash, timeout, app::findCommitted);
  }

  /** Called on Raft's apply thread after each block; keep it short. */
  public void addBlockListener(Consumer<AppliedBlock> listener) {
    blockListeners.add(listener);
  }

  /** Stops calling a listener added by {@link #addBlockListener}; unknown listeners are ignored. */
  public void removeBlockListener(Consumer<AppliedBlock> listener) {
    blockListeners.remove(listener);
  }

  public boolean isLeader() {
    DivisionInfo info = info();
    return info != null && info.isLeader();
  }

  private boolean isLeaderReady() {
    DivisionInfo info = info();
    return info != null && info.isLeaderReady();
  }

  private DivisionInfo info() {
    try {
      return server.getDivision(groupId).getInfo();
    } catch (IOException e) {
      return null;
    }
  }

  public String id() {
    return selfId.toString();
  }

  public Optional<String> leaderId() {
    DivisionInfo info = info();
    RaftPeerId id = info == null ? null : info.getLeaderId();
    return Optional.ofNullable(id == null ? leaderId : id).map(RaftPeerId::toString);
  }

  /** The voting members of the current Raft configuration. */
  public List<PeerAddress> peers() {
    try {
      return server.getDivision(groupId).getGroup().getPeers().stream()
          .map(PeerAddress::of)
          .sorted(java.util.Comparator.comparing(PeerAddress::id))
          .toList();
    } catch (IOException e) {
      throw new IllegalStateException("this node's Raft group is gone: " + e.getMessage(), e);
    }
  }

  public long height() {
    return app.height();
  }

  /** The application behind this node; stable across snapshot installs. */
  public Application application() {
    return app;
  }

  /**
   * The ledger as of now, for queries. A snapshot install replaces it: do not keep it, ask again.
   */
  public Ledger ledger() {
    return app.current().ledger();
  }

  public Mempool mempool() {
    return mempool;
  }

  /** Faults the ledger reported in blocks this node applied since it started. */
  public List<String> faultsReported() {
    return List.copyOf(faults);
  }

  /** How many times this node replaced its state with a snapshot installed from the leader. */
  public int stateReloads() {
    return stateReloads.get();
  }

  /**
   * Adds a voting member; its server must already be running with a group that includes it. Call it
   * on the leader: Raft's endpoint refuses membership changes from the network.
   */
  public void addPeer(PeerAddress peer) throws IOException {
    peerChanges.add(peer);
  }

  /** Removes a voting member (on the leader); the removed server should be closed afterwards. */
  public void removePeer(String id) throws IOException {
    peerChanges.remove(id);
  }

  /** Asks this node's state machine for a snapshot now; returns its log index. */
  public long takeSnapshot(Duration timeout) throws IOException {
    RaftClientReply reply = admin.snapshot(timeout);
    if (!reply.isSuccess()) {
      throw new IOException("snapshot failed on " + selfId, reply.getException());
    }
    return reply.getLogIndex();
  }

  /**
   * Completes, with the reason, if Raft stops while this node runs: its log or a block could not be
   * stored (a full or failing disk), or Raft shut a removed member down. The node can then neither
   * commit nor apply anything, and its process should stop (fail-stop) rather than keep serving and
   * admitting; {@code fedledger node start} does.
   */
  public CompletableFuture<String> raftStopped() {
    return failStop.stopped();
  }

  /** The Raft server, for operations and tests. */
  public RaftServer raftServer() {
    return server;
  }

  /** Stops block building, forwarding and the Raft server, then closes the ledger. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (membership != null) {
      membership.close();
    }
    if (reforwarder != null) {
      reforwarder.close();
    }
    if (builder != null) {
      builder.close();
    }
    if (forwarder != null) {
      forwarder.close();
    }
    groupClient.close();
    try {
      server.close();
    } catch (IOException e) {
      LOG.warn("closing the Raft server of {} failed", selfId, e);
    }
    mempool.close();
    app.close();
  }

  /** How the state machine reaches the rest of the node. */
  private final class Events implements StateMachineListener {
    @Override
    public void onBlockApplied(AppliedBlock block) {
      mempool.onCommitted(block);
      if (block.outcomes().isEmpty()) {
        votes.noteEmptyBlock(block.height());
      }
      commits.onBlock(block);
      faults.addAll(block.faults());
      if (app.isValidator(publicKey)) {
        StateRootVote vote =
            StateRootVoteSigner.sign(chainId, block.height(), block.stateRoot(), config.key());
        if (isLeader()) {
          votes.add(vote);
        } else {
          forwarder.enqueueVote(vote);
        }
      }
      for (Consumer<AppliedBlock> l : blockListeners) {
        l.accept(block);
      }
    }

    @Override
    public void onClosed(Optional<String> storageFailure) {
      if (closed) {
        return;
      }
      if (storageFailure.isEmpty() && !app.isValidator(publicKey)) {
        // Ratis shuts a removed member down: expected, and the operator stops the node.
        LOG.info(
            "{}: Raft closed this server: this node is no validator any more; stop it", selfId);
        return;
      }
      String reason =
          storageFailure.orElse(
              "Raft closed this server by itself, most likely after its log failed to write (see"
                  + " Ratis' error above: a full or failing disk)");
      failStop.raftClosed(reason);
    }

    @Override
    public void onRaftLogFailed(String reason) {
      if (!closed) {
        failStop.raftLogFailed(reason);
      }
    }

    @Override
    public void onStateReloaded() {
      stateReloads.incrementAndGet();
      mempool.refreshNonces();
    }

    @Override
    public void onLeaderChanged(RaftPeerId newLeaderId) {
      leaderId = newLeaderId;
      LOG.info("{}: leader is now {}", selfId, newLeaderId);
      if (!selfId.equals(newLeaderId)) {
        // What this node proposed may never commit; the new leader gets it all.
        mempool.requeueAllInFlight();
        if (forwarder != null) {
          forwarder.enqueueTxs(mempool.pending());
        }
      }
      if (builder != null) {
        builder.poke();
      }
    }

    @Override
    public void onLeaderReady() {
      if (builder != null) {
        builder.poke();
      }
    }

    @Override
    public String onForward(ForwardBatch batch) {
      List<SubmitResult> results = mempool.submit(batch.txs());
      long admitted = results.stream().filter(SubmitResult::accepted).count();
      int acceptedVotes = 0;
      for (StateRootVote v : batch.votes()) {
        if (isKnownValidator(v) && StateRootVoteSigner.verify(chainId, v)) {
          votes.add(v);
          acceptedVotes++;
        }
      }
      return "admitted "
          + admitted
          + " of "
          + results.size()
          + " txs, "
          + acceptedVotes
          + " of "
          + batch.votes().size()
          + " votes";
    }

    private boolean isKnownValidator(StateRootVote v) {
      try {
        return app.isValidator(Ed25519PublicKey.of(v.getValidatorPublicKey().toByteArray()));
      } catch (IllegalArgumentException e) {
        return false;
      }
    }
  }

  /** This node's address as proposer. */
  public Address address() {
    return publicKey.address();
  }
}
