package org.fedledger.consensus.raft;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.io.MD5Hash;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.util.LifeCycle;
import org.apache.ratis.util.MD5FileUtil;
import org.fedledger.consensus.app.AppliedBlock;
import org.fedledger.consensus.app.ReopenableApplication;
import org.fedledger.core.io.FileTrees;
import org.fedledger.core.proto.BlockProposal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Ratis state machine: a thin adaptor that applies each committed entry, a {@link
 * BlockProposal}, through the application with a marker of the entry's term and index.
 *
 * <p>Nothing here throws for a bad proposal: the application reports business failures in its
 * result, and an entry that is not a proposal at all is skipped the same way on every node. After a
 * restart, entries at or below the application's stored marker are skipped, because the application
 * already committed them.
 *
 * <p>Snapshots are the application's checkpoints packed into one file in Ratis' simple storage
 * layout ({@code sm/snapshot.<term>_<index>} with its {@code .md5}), written to a temporary name,
 * forced to disk and renamed, so that a crash never leaves a half snapshot under a valid name.
 */
public final class LedgerStateMachine extends BaseStateMachine {
  private static final Logger LOG = LoggerFactory.getLogger(LedgerStateMachine.class);

  private final ReopenableApplication<?> app;
  private final StateMachineListener listener;
  private final LocalProposals localProposals;
  private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();
  private volatile long appliedMarkerIndex = -1;
  private final AtomicLong refusedWrites = new AtomicLong();

  /**
   * What failed to store, if anything did: a block (Raft closes the state machine next) or the Raft
   * log (the node stops on the listener's word).
   */
  private volatile String storageFailure;

  /** Set once close() began: log failures after it are the shutdown's, not the disk's. */
  private volatile boolean closing;

  /**
   * @param localProposals the requests of this node's own proposer: the only writes accepted
   */
  public LedgerStateMachine(
      ReopenableApplication<?> app, StateMachineListener listener, LocalProposals localProposals) {
    this.app = app;
    this.listener = listener;
    this.localProposals = localProposals;
  }

  /**
   * Refuses every write but this node's own proposals. Anyone who reaches the Raft port could
   * otherwise append a block of their choosing (its timestamp, proposer and votes); Raft runs this
   * on the leader before the entry enters the log, so a refused request changes nothing.
   */
  @Override
  public TransactionContext startTransaction(RaftClientRequest request) throws IOException {
    if (!localProposals.isLocal(request)) {
      long n = refusedWrites.incrementAndGet();
      if (Long.bitCount(n) == 1) { // 1, 2, 4, 8 ...: a flood must not flood the log too
        LOG.warn(
            "refused a write from Raft client {} ({} refused so far): only this node's own block"
                + " proposer may append",
            request.getClientId(),
            n);
      }
      throw new IOException(
          "refused: this chain appends only the blocks its leader's own proposer builds; submit"
              + " transactions through a node's API instead");
    }
    return super.startTransaction(request);
  }

  @Override
  public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage)
      throws IOException {
    getLifeCycle()
        .startAndTransition(
            () -> {
              super.initialize(server, groupId, raftStorage);
              storage.init(raftStorage);
              appliedMarkerIndex = markerIndex();
              SingleFileSnapshotInfo snapshot = storage.getLatestSnapshot();
              if (snapshot != null) {
                checkDigest(snapshot.getFile().getPath());
                setLastAppliedTermIndex(snapshot.getTermIndex());
              }
              LOG.info(
                  "state machine initialized: application height {}, marker index {}, snapshot {}",
                  app.height(),
                  appliedMarkerIndex,
                  snapshot == null ? "none" : snapshot.getTermIndex());
            },
            IOException.class);
  }

  /**
   * Refuses a snapshot whose bytes do not match its digest: this node would ship it to a follower
   * that falls behind, and the follower would run on it.
   */
  static void checkDigest(Path snapshot) throws IOException {
    MD5Hash stored;
    try {
      stored = MD5FileUtil.readStoredMd5ForFile(snapshot.toFile());
    } catch (IOException | RuntimeException e) {
      throw corruptSnapshot(snapshot, "its digest file cannot be read (" + e.getMessage() + ")");
    }
    MD5Hash actual = MD5FileUtil.computeMd5ForFile(snapshot.toFile());
    if (!actual.equals(stored)) {
      throw corruptSnapshot(
          snapshot, "its bytes hash to " + actual + " but its digest file says " + stored);
    }
  }

  private static IOException corruptSnapshot(Path snapshot, String why) {
    return new IOException(
        "the snapshot "
            + snapshot
            + " is corrupt or truncated: "
            + why
            + ". The node refuses to run on it. Move the node's data directory aside and start the"
            + " node again: it restores its state from its peers (docs/faults.md)");
  }

  private long markerIndex() {
    TermIndex marker = ConsensusMarker.decode(app.consensusMarker());
    return marker == null ? -1 : marker.getIndex();
  }

  @Override
  public StateMachineStorage getStateMachineStorage() {
    return storage;
  }

  @Override
  public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
    LogEntryProto entry = trx.getLogEntry();
    long term = entry.getTerm();
    long index = entry.getIndex();
    Message reply;
    if (index <= appliedMarkerIndex) {
      reply = Message.valueOf("already applied: index " + index);
    } else {
      reply = apply(term, index, entry);
    }
    updateLastAppliedTermIndex(term, index);
    return CompletableFuture.completedFuture(reply);
  }

  private Message apply(long term, long index, LogEntryProto entry) {
    BlockProposal proposal;
    try {
      proposal =
          BlockProposal.parseFrom(
              entry.getStateMachineLogEntry().getLogData().asReadOnlyByteBuffer());
    } catch (InvalidProtocolBufferException e) {
      // Every node sees the same bytes and skips them alike; the chain is unaffected.
      LOG.error("log entry {} is not a BlockProposal; skipping it on every node", index, e);
      return Message.valueOf("skipped: entry " + index + " is not a BlockProposal");
    }
    AppliedBlock block;
    try {
      block = app.applyBlock(proposal, ConsensusMarker.encode(term, index));
    } catch (RuntimeException e) {
      // Only storage fails here (business failures are receipts). Raft stops applying and closes
      // this server; the node must then stop rather than serve or acknowledge anything more.
      storageFailure = "could not store the block of Raft log entry " + index + ": " + rootCause(e);
      LOG.error(
          "STORAGE FAILURE: {}. The block is not applied here; Raft stops on this node. Check the"
              + " data directory's disk (space, errors), then restart the node: it replays its"
              + " Raft log and catches up from its peers",
          storageFailure,
          e);
      throw e;
    }
    appliedMarkerIndex = index;
    try {
      listener.onBlockApplied(block);
    } catch (RuntimeException e) {
      // The block is committed; a failing observer must not stop Raft from applying.
      LOG.error("a block listener failed at height {}", block.height(), e);
    }
    return Message.valueOf(
        "height "
            + block.height()
            + " block "
            + block.blockHash()
            + " txs "
            + block.outcomes().size());
  }

  @Override
  public CompletableFuture<Message> query(Message request) {
    byte[] bytes = request.getContent().toByteArray();
    if (!ForwardBatch.looksLikeForward(bytes)) {
      return CompletableFuture.completedFuture(
          Message.valueOf("height " + app.height() + " block " + app.lastBlockHash()));
    }
    try {
      return CompletableFuture.completedFuture(
          Message.valueOf(listener.onForward(ForwardBatch.decode(bytes))));
    } catch (IOException | RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public long takeSnapshot() throws IOException {
    TermIndex last = getLastAppliedTermIndex();
    if (last == null || last.getIndex() < 0) {
      return RaftLog.INVALID_LOG_INDEX;
    }
    SingleFileSnapshotInfo latest = storage.getLatestSnapshot();
    if (latest != null && latest.getIndex() >= last.getIndex()) {
      return latest.getIndex();
    }
    Path target = storage.getSnapshotFile(last.getTerm(), last.getIndex()).toPath();
    Path smDir = target.getParent();
    Path checkpoint = smDir.resolve("checkpoint-" + last.getIndex() + ".tmp");
    Path tmp = smDir.resolve(target.getFileName() + ".tmp");
    FileTrees.delete(checkpoint);
    Files.deleteIfExists(tmp);
    app.checkpoint(checkpoint);
    try {
      SnapshotArchive.pack(checkpoint, tmp);
    } finally {
      FileTrees.delete(checkpoint);
    }
    MD5Hash md5 = MD5FileUtil.computeMd5ForFile(tmp.toFile());
    // The digest first: a snapshot file is never visible without it.
    MD5FileUtil.saveMD5File(target.toFile(), md5);
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    SnapshotArchive.fsyncDir(smDir);
    storage.updateLatestSnapshot(new SingleFileSnapshotInfo(new FileInfo(target, md5), last));
    LOG.info("took snapshot {} at application height {}", last, app.height());
    return last.getIndex();
  }

  @Override
  public synchronized void pause() {
    if (getLifeCycle().getCurrentState() == LifeCycle.State.RUNNING) {
      getLifeCycle().transition(LifeCycle.State.PAUSING);
      getLifeCycle().transition(LifeCycle.State.PAUSED);
    }
  }

  /** Called by Ratis after a snapshot from the leader was installed in the sm directory. */
  @Override
  public synchronized void reinitialize() throws IOException {
    SingleFileSnapshotInfo snapshot = storage.loadLatestSnapshot();
    if (snapshot != null && snapshot.getIndex() > getLastAppliedTermIndex().getIndex()) {
      Path incoming = app.incomingDir();
      FileTrees.delete(incoming);
      SnapshotArchive.unpack(snapshot.getFile().getPath(), incoming);
      Path complete = incoming.resolve(ReopenableApplication.COMPLETE_MARKER);
      Files.createFile(complete);
      SnapshotArchive.fsync(complete);
      SnapshotArchive.fsyncDir(incoming);
      app.replaceWithIncoming();
      appliedMarkerIndex = markerIndex();
      setLastAppliedTermIndex(snapshot.getTermIndex());
      LOG.info(
          "installed snapshot {}: application height {}", snapshot.getTermIndex(), app.height());
      listener.onStateReloaded();
    }
    if (getLifeCycle().getCurrentState() == LifeCycle.State.PAUSED) {
      getLifeCycle().transition(LifeCycle.State.STARTING);
      getLifeCycle().transition(LifeCycle.State.RUNNING);
    }
  }

  @Override
  public void notifyLeaderChanged(RaftGroupMemberId groupMemberId, RaftPeerId newLeaderId) {
    listener.onLeaderChanged(newLeaderId);
  }

  @Override
  public void notifyLeaderReady() {
    listener.onLeaderReady();
  }

  /**
   * Ratis calls this on its log worker thread when writing the Raft log failed with an I/O error:
   * an entry (failedEntry), or closing a full segment (no entry). The worker then fails every later
   * write ("Log already failed") until the server restarts, and a follower's appends keep failing
   * with it: alive, it would fall behind for good. So the first failure is a storage failure, as a
   * block's is, and the node must stop. A slow disk or a lagging follower never gets here: only a
   * write that failed does.
   */
  @Override
  public void notifyLogFailed(Throwable cause, LogEntryProto failedEntry) {
    if (closing || storageFailure != null) {
      return; // the shutdown's own, or a failure already reported
    }
    String what =
        failedEntry == null
            ? "could not write the Raft log (closing a log segment)"
            : "could not write Raft log entry " + failedEntry.getIndex();
    storageFailure = what + ": " + rootCause(cause);
    LOG.error(
        "STORAGE FAILURE: {}. Raft can append nothing more on this node until it restarts. Check"
            + " the data directory's disk (space, errors), then restart the node: it replays its"
            + " Raft log and catches up from its peers",
        storageFailure);
    listener.onRaftLogFailed(storageFailure);
  }

  private static String rootCause(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root == e ? e.toString() : e + " (cause: " + root + ")";
  }

  @Override
  public void close() throws IOException {
    closing = true;
    getLifeCycle().checkStateAndClose();
    listener.onClosed(Optional.ofNullable(storageFailure));
  }
}
