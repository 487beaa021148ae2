package org.fedledger.consensus.raft;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;

/**
 * The Ratis properties of a fedledger server, in one place. Log entries are whole blocks, so the
 * entry, buffer and message limits are sized from the largest block rather than Ratis' defaults.
 */
public final class RaftSettings {
  private RaftSettings() {}

  /**
   * @param maxEntryBytes largest log entry (a block proposal) Raft must carry
   * @param snapshotThreshold applied entries between automatic snapshots; 0 disables them
   */
  public static RaftProperties serverProperties(
      Path storageDir,
      String host,
      int port,
      Duration electionTimeout,
      int maxEntryBytes,
      long snapshotThreshold) {
    RaftProperties p = new RaftProperties();
    // gRPC whose endpoint refuses membership, leadership and group changes from the network.
    RaftConfigKeys.Rpc.setType(p, new GuardedGrpc());
    GrpcConfigKeys.Server.setHost(p, host);
    GrpcConfigKeys.Server.setPort(p, port);
    RaftServerConfigKeys.setStorageDir(p, List.of(storageDir.toFile()));
    long minMs = electionTimeout.toMillis();
    RaftServerConfigKeys.Rpc.setTimeoutMin(
        p, TimeDuration.valueOf(minMs, java.util.concurrent.TimeUnit.MILLISECONDS));
    RaftServerConfigKeys.Rpc.setTimeoutMax(
        p, TimeDuration.valueOf(2 * minMs, java.util.concurrent.TimeUnit.MILLISECONDS));
    int entryLimit = maxEntryBytes + 64 * 1024;
    RaftServerConfigKeys.Log.Appender.setBufferByteLimit(p, SizeInBytes.valueOf(entryLimit));
    RaftServerConfigKeys.Log.setWriteBufferSize(p, SizeInBytes.valueOf(entryLimit + 64 * 1024));
    RaftServerConfigKeys.Log.setSegmentSizeMax(
        p, SizeInBytes.valueOf(Math.max(32L << 20, 2L * entryLimit)));
    GrpcConfigKeys.setMessageSizeMax(p, SizeInBytes.valueOf(2 * entryLimit + (1 << 20)));
    RaftServerConfigKeys.Log.Appender.setInstallSnapshotEnabled(p, true);
    RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, snapshotThreshold > 0);
    if (snapshotThreshold > 0) {
      RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, snapshotThreshold);
    }
    RaftServerConfigKeys.Snapshot.setRetentionFileNum(p, 2);
    // Once a snapshot holds the state, the log before it is only needed by lagging followers,
    // which get the snapshot instead.
    RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(p, true);
    RaftServerConfigKeys.Log.setPurgeGap(p, 1);
    // A restart replays the log from the last snapshot; the ledger's marker skips what it has.
    RaftServerConfigKeys.Snapshot.setTriggerWhenStopEnabled(p, false);
    return p;
  }

  /** Properties of the client a node uses to forward to the leader and to change membership. */
  public static RaftProperties clientProperties(int maxEntryBytes) {
    RaftProperties p = new RaftProperties();
    RaftConfigKeys.Rpc.setType(p, SupportedRpcType.GRPC);
    GrpcConfigKeys.setMessageSizeMax(p, SizeInBytes.valueOf(2 * maxEntryBytes + (1 << 20)));
    return p;
  }
}
