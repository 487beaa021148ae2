package org.fedledger.node.serve;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.market.SignedVoucher;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The provider's latest accepted voucher per channel, in RocksDB with every write synced to its log
 * before it returns: a voucher is saved before the call it pays for is answered, so that a provider
 * that crashes after answering still holds what it is owed and claims it on restart.
 *
 * <p>Saves are group-committed by one writer thread: whatever calls wait when it is free go to disk
 * in one synced write batch, and each call returns once its batch is synced. Many calls in flight
 * share one fsync, and a caller waits parked rather than inside RocksDB: the API's virtual threads
 * would otherwise each hold one of the few carrier threads through a native fsync, and calls would
 * be synced one or two at a time.
 *
 * <p>The writer also waits a short gather window from the first voucher's arrival before it writes,
 * so that the calls arriving meanwhile share the sync (as PostgreSQL's {@code commit_delay}). Where
 * a sync is fast, the writer would otherwise be free for nearly every voucher and sync them one at
 * a time, and each sync costs CPU in the kernel and a wake-up of the writer and of its caller.
 */
public final class VoucherStore implements AutoCloseable {
  static {
    RocksDB.loadLibrary();
  }

  /** Most vouchers in one synced batch. */
  private static final int MAX_BATCH = 4096;

  /**
   * How long the writer gathers vouchers after the first one arrives before it syncs them. A paid
   * call waits this much longer at most (its forward pass runs meanwhile). With 1 ms, {@code bench
   * serve} on a quiet machine synced 6.3-6.7 vouchers a write instead of 2.0-2.1, for 3-9 % less
   * CPU per paid call (BENCHMARKS.md, "Serving").
   */
  public static final Duration DEFAULT_GATHER = Duration.ofMillis(1);

  /** The longest gather window a store takes: more would only delay the answers. */
  public static final Duration MAX_GATHER = Duration.ofMillis(100);

  private final Options options;
  private final WriteOptions synced;
  private final RocksDB db;
  private final long gatherNanos;
  private final IntConsumer syncSizes;
  private final BlockingQueue<Pending> pending = new LinkedBlockingQueue<>();
  private final Thread writer;
  private volatile boolean closed;
  // Orders submit's check-and-queue against close: once closed is set, nothing more is queued, so
  // every queued voucher's future is completed by the writer or by close, and a wait for one ends.
  private final Object admission = new Object();

  private record Pending(
      Hash channelId, byte[] voucher, long queuedNanos, CompletableFuture<Void> synced) {}

  private VoucherStore(
      Options options, WriteOptions synced, RocksDB db, Duration gather, IntConsumer syncSizes) {
    this.options = options;
    this.synced = synced;
    this.db = db;
    this.gatherNanos = gather.toNanos();
    this.syncSizes = syncSizes;
    this.writer = new Thread(this::writeLoop, "voucher-store-writer");
    writer.setDaemon(true);
    writer.start();
  }

  /** Opens (creating if needed) the store in dir, with the {@link #DEFAULT_GATHER} window. */
  public static VoucherStore open(Path dir) throws IOException {
    return open(dir, DEFAULT_GATHER, vouchers -> {});
  }

  /**
   * Opens (creating if needed) the store in dir; its writer gathers vouchers for the given window
   * (0 to {@link #MAX_GATHER}) after the first one arrives before it syncs them.
   *
   * @param syncSizes told the voucher count of each synced write (for metrics)
   */
  public static VoucherStore open(Path dir, Duration gather, IntConsumer syncSizes)
      throws IOException {
    if (gather.isNegative() || gather.compareTo(MAX_GATHER) > 0) {
      throw new IllegalArgumentException(
          "the voucher store's gather window must be 0 to "
              + MAX_GATHER.toMillis()
              + " ms, got "
              + gather.toMillis()
              + " ms");
    }
    Files.createDirectories(dir);
    Options options = new Options().setCreateIfMissing(true);
    WriteOptions synced = new WriteOptions().setSync(true);
    try {
      return new VoucherStore(
          options, synced, RocksDB.open(options, dir.toString()), gather, syncSizes);
    } catch (RocksDBException e) {
      options.close();
      synced.close();
      throw new IOException("cannot open the voucher store in " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Saves the channel's latest voucher, synced to disk before returning. A caller saves one voucher
   * per channel at a time (the payment gate's channel lock), so a channel's saves land in order.
   */
  public void save(Hash channelId, SignedVoucher voucher) throws IOException {
    await(submit(channelId, voucher), channelId);
  }

  /**
   * Queues the channel's latest voucher for the next synced batch and returns at once; the future
   * completes once it is on disk (exceptionally if it could not be written, or if the store is
   * closed). Wait for it with {@link #await} before answering the call it pays for.
   */
  public CompletableFuture<Void> submit(Hash channelId, SignedVoucher voucher) {
    Pending p =
        new Pending(channelId, voucher.toByteArray(), System.nanoTime(), new CompletableFuture<>());
    synchronized (admission) {
      if (!closed) {
        pending.add(p);
        return p.synced();
      }
    }
    p.synced()
        .completeExceptionally(
            new IOException("the voucher store is closed; the node is stopping"));
    return p.synced();
  }

  /** Waits for a {@link #submit}ted voucher to be on disk; an IOException says why it is not. */
  public void await(CompletableFuture<Void> synced, Hash channelId) throws IOException {
    try {
      // Untimed: every queued voucher's future completes (synced, failed, or failed by close). A
      // timed wait cost each paid call two wake-ups of the JDK's timer thread for virtual threads
      // (its DelayScheduler), a tenth of bench serve's CPU with the predict handler's timed wait.
      synced.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IOException(
          "cannot save the voucher of channel " + channelId.toHex() + ": " + e.getCause(),
          e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException(
          "interrupted while the voucher of channel " + channelId.toHex() + " was being saved");
    }
  }

  // Takes whatever waits, writes it as one synced batch, and tells each caller.
  private void writeLoop() {
    List<Pending> batch = new ArrayList<>();
    while (!closed || !pending.isEmpty()) {
      try {
        Pending first = pending.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        gatherAfter(first);
        pending.drainTo(batch, MAX_BATCH - 1);
        try (WriteBatch write = new WriteBatch()) {
          for (Pending p : batch) {
            write.put(p.channelId().toByteArray(), p.voucher());
          }
          db.write(synced, write);
          batch.forEach(p -> p.synced().complete(null));
          syncSizes.accept(batch.size());
        } catch (RocksDBException | RuntimeException e) {
          batch.forEach(p -> p.synced().completeExceptionally(e));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } finally {
        batch.clear();
      }
    }
    failWaiting();
  }

  // Fails every voucher still queued: the writer's last act, and close's after it.
  private void failWaiting() {
    for (Pending p; (p = pending.poll()) != null; ) {
      p.synced().completeExceptionally(new IOException("the voucher store closed"));
    }
  }

  // Waits out the gather window that began when the first voucher was queued; a writer that was
  // busy syncing for longer than the window does not wait at all.
  private void gatherAfter(Pending first) {
    long until = first.queuedNanos() + gatherNanos;
    for (long left = until - System.nanoTime(); left > 0 && !closed; ) {
      LockSupport.parkNanos(left);
      left = until - System.nanoTime();
    }
  }

  public Optional<SignedVoucher> latest(Hash channelId) throws IOException {
    try {
      byte[] bytes = db.get(channelId.toByteArray());
      return bytes == null ? Optional.empty() : Optional.of(SignedVoucher.parseFrom(bytes));
    } catch (RocksDBException | InvalidProtocolBufferException e) {
      throw new IOException("cannot read the voucher of channel " + channelId.toHex(), e);
    }
  }

  /** Forgets a channel once its last voucher is claimed. */
  public void remove(Hash channelId) throws IOException {
    try {
      db.delete(synced, channelId.toByteArray());
    } catch (RocksDBException e) {
      throw new IOException("cannot remove the voucher of channel " + channelId.toHex(), e);
    }
  }

  /** Every channel's latest voucher, in channel id order. */
  public Map<Hash, SignedVoucher> all() throws IOException {
    Map<Hash, SignedVoucher> out = new LinkedHashMap<>();
    try (RocksIterator it = db.newIterator()) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        out.put(Hash.of(it.key()), SignedVoucher.parseFrom(it.value()));
      }
    } catch (InvalidProtocolBufferException e) {
      throw new IOException("a stored voucher is not a SignedVoucher: " + e.getMessage(), e);
    }
    return out;
  }

  @Override
  public void close() {
    // Saves already queued are written first: their calls are waiting to be answered.
    synchronized (admission) {
      closed = true;
    }
    try {
      writer.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // A writer stuck in a sync for longer leaves what is still queued to fail here.
    failWaiting();
    db.close();
    synced.close();
    options.close();
  }
}
