package org.fedledger.consensus.mempool;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.fedledger.consensus.app.Application;
import org.fedledger.consensus.app.AppliedBlock;
import org.fedledger.core.address.Address;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.tx.DecodedTransaction;
import org.fedledger.core.tx.TxRejection;

/**
 * Transactions admitted but not yet committed.
 *
 * <p>Admission runs in two stages: a parallel stage ({@link AdmissionStage}) on a fixed pool, then
 * one short critical section per batch that detects duplicates and nonce conflicts, enforces the
 * capacities (of the pool and of each sender, in count and bytes) and inserts. Each sender has a
 * queue ordered by nonce; {@link #reap} takes consecutive nonces from each sender, round-robin
 * across senders in order of first arrival, so that a block executes and no sender starves another.
 *
 * <p>Reaped transactions stay in the pool, marked in flight, until a committed block includes them
 * ({@link #onCommitted}) or the proposal is abandoned ({@link #requeue}): a transaction is never in
 * two proposals of the same leader. A transaction that waits behind a missing nonce of its sender
 * expires after {@link MempoolConfig#gapExpiryBlocks} blocks.
 */
public final class Mempool implements AutoCloseable {
  private final Application app;
  private final MempoolConfig config;
  private final ParallelChecker checker;
  private final List<Consumer<List<PooledTx>>> admissionListeners = new CopyOnWriteArrayList<>();

  /** Every transaction held, pending or in flight; read without the lock as a cheap pre-check. */
  private final Map<Hash, PoolEntry> byHash = new ConcurrentHashMap<>();

  // Guarded by this. Insertion order of senders is the fairness order of reap.
  private final LinkedHashMap<Address, SenderQueue> senders = new LinkedHashMap<>();
  private int pendingCount;
  private long heldBytes;

  /**
   * The senders with a transaction the next reap can take, in order of arrival: reap walks these
   * only, never the senders whose queues wait behind a gap or are all in flight.
   */
  private final TreeSet<SenderQueue> ready =
      new TreeSet<>(Comparator.comparingLong((SenderQueue q) -> q.arrival));

  private long senderArrivals;
  private final GapExpiry gapExpiry;
  private final AdmissionStage admission;

  private final CommitEpochs epochs = new CommitEpochs();

  public Mempool(Application app, MempoolConfig config) {
    this.app = app;
    this.config = config;
    this.checker = new ParallelChecker(config.effectiveVerifierThreads());
    this.gapExpiry = new GapExpiry(config.gapExpiryBlocks());
    this.admission = new AdmissionStage(app, config, byHash::containsKey);
  }

  /** Called, outside any lock, with the transactions of each admitted batch. */
  public void addAdmissionListener(Consumer<List<PooledTx>> listener) {
    admissionListeners.add(listener);
  }

  /**
   * Admits a batch of encoded SignedTransactions. Never throws for bad input: every transaction
   * gets a result, in the order given.
   */
  public List<SubmitResult> submit(List<byte[]> encoded) {
    if (encoded.isEmpty()) {
      return List.of();
    }
    List<AdmissionStage.Checked> checked = checker.map(encoded, admission::check);
    // Account nonces are read only for senders without a queue, outside the lock.
    Set<Address> newSenders = new HashSet<>();
    long readEpoch;
    synchronized (this) {
      readEpoch = epochs.current();
      for (AdmissionStage.Checked c : checked) {
        if (c.result() == null && !senders.containsKey(c.tx().senderAddress())) {
          newSenders.add(c.tx().senderAddress());
        }
      }
    }
    Map<Address, Long> nonces = readNonces(newSenders);
    List<SubmitResult> results = new ArrayList<>(checked.size());
    List<PooledTx> admitted = new ArrayList<>();
    synchronized (this) {
      for (AdmissionStage.Checked c : checked) {
        SubmitResult r = c.result() != null ? c.result() : insert(c.tx(), nonces, readEpoch);
        if (r.accepted()) {
          admitted.add(byHash.get(r.txHash()).tx);
        }
        results.add(r);
      }
    }
    if (!admitted.isEmpty()) {
      for (Consumer<List<PooledTx>> l : admissionListeners) {
        l.accept(admitted);
      }
    }
    return results;
  }

  private Map<Address, Long> readNonces(Collection<Address> addresses) {
    Map<Address, Long> out = new HashMap<>();
    for (Address a : addresses) {
      out.put(a, app.accountNonce(a));
    }
    return out;
  }

  private SubmitResult insert(DecodedTransaction tx, Map<Address, Long> nonces, long readEpoch) {
    Hash hash = tx.hash();
    if (byHash.containsKey(hash)) {
      return SubmitResult.rejected(
          hash, TxRejection.DUPLICATE, "transaction " + hash + " is already pending");
    }
    if (byHash.size() >= config.capacity()) {
      return SubmitResult.rejected(
          hash,
          TxRejection.MEMPOOL_FULL,
          "the mempool holds its capacity of "
              + config.capacity()
              + " transactions; resubmit after the next blocks commit");
    }
    int size = tx.signed().getSerializedSize();
    if (heldBytes + size > config.maxPoolBytes()) {
      return SubmitResult.rejected(
          hash,
          TxRejection.MEMPOOL_FULL,
          "the mempool holds its capacity of "
              + config.maxPoolBytes()
              + " bytes; resubmit after the next blocks commit");
    }
    long nonce = tx.body().getNonce();
    SenderQueue q = senders.get(tx.senderAddress());
    if (q != null
        && (q.byNonce.size() >= config.maxSenderTxs()
            || q.bytes + size > config.maxSenderBytes())) {
      return SubmitResult.rejected(
          hash,
          TxRejection.MEMPOOL_FULL,
          "the sender already has "
              + q.byNonce.size()
              + " transactions of "
              + q.bytes
              + " bytes pending; one sender may have at most "
              + config.maxSenderTxs()
              + " or "
              + config.maxSenderBytes()
              + " bytes: wait for them to commit");
    }
    if (q == null) {
      Long read = nonces.get(tx.senderAddress());
      if (read == null || epochs.isStale(tx.senderAddress(), readEpoch)) {
        // A commit for this sender landed after the read: read again (rare, under the lock).
        read = app.accountNonce(tx.senderAddress());
      }
      q = new SenderQueue(tx.senderAddress(), read, senderArrivals++);
    }
    if (nonce < q.committedNonce) {
      return SubmitResult.rejected(
          hash,
          TxRejection.BAD_NONCE,
          "nonce " + nonce + " is already used; the sender's next nonce is " + q.committedNonce);
    }
    PoolEntry existing = q.byNonce.get(nonce);
    if (existing != null) {
      return SubmitResult.rejected(
          hash,
          TxRejection.BAD_NONCE,
          "the sender already has transaction "
              + existing.tx.hash()
              + " pending with nonce "
              + nonce
              + "; replacement is not supported: wait for it to commit and use the next nonce");
    }
    senders.putIfAbsent(tx.senderAddress(), q);
    PoolEntry e = new PoolEntry(new PooledTx(hash, tx.signed(), tx.senderAddress(), nonce, size));
    q.byNonce.put(nonce, e);
    q.pending++;
    q.bytes += size;
    pendingCount++;
    heldBytes += size;
    byHash.put(hash, e);
    gapExpiry.admitted(e);
    updateReady(q);
    return SubmitResult.accepted(hash);
  }

  /**
   * Takes up to maxTxs transactions of at most maxBytes in total, in an order that executes:
   * consecutive nonces per sender starting at the account's nonce, one sender after another
   * round-robin. The transactions are marked in flight and are not reaped again unless {@link
   * #requeue requeued}.
   */
  public synchronized List<PooledTx> reap(int maxTxs, long maxBytes) {
    List<PooledTx> out = new ArrayList<>(Math.min(maxTxs, pendingCount));
    if (pendingCount == 0 || maxTxs <= 0) {
      return out;
    }
    List<SenderQueue.Cursor> active = new ArrayList<>(ready.size());
    for (SenderQueue q : ready) {
      active.add(new SenderQueue.Cursor(q));
    }
    List<SenderQueue.Cursor> visited = List.copyOf(active);
    long bytes = 0;
    while (!active.isEmpty() && out.size() < maxTxs) {
      Iterator<SenderQueue.Cursor> it = active.iterator();
      while (it.hasNext() && out.size() < maxTxs) {
        SenderQueue.Cursor cur = it.next();
        PoolEntry e = cur.nextReapable();
        if (e == null || bytes + e.tx.size() > maxBytes) {
          it.remove();
          continue;
        }
        e.inFlight = true;
        cur.queue.pending--;
        pendingCount--;
        bytes += e.tx.size();
        out.add(e.tx);
      }
    }
    for (SenderQueue.Cursor c : visited) {
      updateReady(c.queue);
    }
    return out;
  }

  /** Puts transactions of an abandoned proposal back, so that a later proposal includes them. */
  public synchronized void requeue(Collection<PooledTx> txs) {
    for (PooledTx tx : txs) {
      PoolEntry e = byHash.get(tx.hash());
      if (e != null && e.inFlight) {
        e.inFlight = false;
        SenderQueue q = senders.get(e.tx.sender());
        q.pending++;
        pendingCount++;
        updateReady(q);
      }
    }
  }

  /** Puts every in-flight transaction back: after losing leadership, nothing is in flight. */
  public synchronized void requeueAllInFlight() {
    for (SenderQueue q : senders.values()) {
      for (PoolEntry e : q.byNonce.values()) {
        if (e.inFlight) {
          e.inFlight = false;
          q.pending++;
          pendingCount++;
        }
      }
      updateReady(q);
    }
  }

  /**
   * Evicts the transactions a committed block included and those of its senders whose nonce the
   * block made stale.
   *
   * @return how many transactions left the pool
   */
  public int onCommitted(AppliedBlock block) {
    int expired = expireGapped(block.height());
    if (block.outcomes().isEmpty()) {
      return expired;
    }
    // Sorted, so that the reads of account nonces happen in a deterministic order.
    TreeSet<Address> touched = new TreeSet<>();
    for (AppliedBlock.TxOutcome o : block.outcomes()) {
      touched.add(o.sender());
    }
    // Every touched sender's commit is remembered, so that a queue created later from a read
    // taken before this commit reads again: that includes senders whose queue this commit empties
    // below. Only senders that still have a queue need their nonce now (for stale eviction).
    synchronized (this) {
      epochs.nextCommit();
      for (Iterator<Address> it = touched.iterator(); it.hasNext(); ) {
        Address a = it.next();
        epochs.touched(a);
        if (!senders.containsKey(a)) {
          it.remove();
        }
      }
    }
    Map<Address, Long> nonces = readNonces(touched);
    int evicted = 0;
    synchronized (this) {
      for (AppliedBlock.TxOutcome o : block.outcomes()) {
        PoolEntry e = byHash.get(o.txHash());
        if (e != null) {
          remove(e);
          evicted++;
        }
      }
      for (Map.Entry<Address, Long> n : nonces.entrySet()) {
        SenderQueue q = senders.get(n.getKey());
        if (q == null) {
          continue;
        }
        q.committedNonce = Math.max(q.committedNonce, n.getValue());
        while (!q.byNonce.isEmpty() && q.byNonce.firstKey() < q.committedNonce) {
          remove(q.byNonce.firstEntry().getValue());
          evicted++;
        }
        if (q.byNonce.isEmpty()) {
          senders.remove(n.getKey());
        }
        updateReady(q);
      }
    }
    return evicted + expired;
  }

  /**
   * Evicts the transactions that waited {@code gapExpiryBlocks} blocks behind a missing nonce of
   * their sender, and every later nonce of that sender (they wait behind the same gap). Otherwise a
   * key could park transactions it never means to execute, for ever. A transaction that is not
   * gapped when its time comes is looked at again after as many blocks: each is looked at once per
   * period, not every block.
   */
  private synchronized int expireGapped(long blockHeight) {
    int evicted = 0;
    for (PoolEntry e : gapExpiry.due(blockHeight)) {
      if (byHash.get(e.tx.hash()) != e) {
        continue; // already gone
      }
      SenderQueue q = senders.get(e.tx.sender());
      if (e.inFlight || !q.isGapped(e.tx.nonce())) {
        gapExpiry.lookAgainLater(e);
        continue;
      }
      for (PoolEntry later : List.copyOf(q.byNonce.tailMap(e.tx.nonce(), true).values())) {
        if (!later.inFlight) {
          remove(later);
          evicted++;
        }
      }
    }
    return evicted;
  }

  /** Puts the sender among the ready ones if the next reap could take from it, else out. */
  private void updateReady(SenderQueue q) {
    if (senders.get(q.address) == q && q.hasReapable()) {
      ready.add(q);
    } else {
      ready.remove(q);
    }
  }

  /**
   * Re-reads every sender's account nonce and evicts what became stale: after the state was
   * replaced by a snapshot, blocks were committed that this pool never saw.
   *
   * @return how many transactions left the pool
   */
  public int refreshNonces() {
    List<Address> all;
    synchronized (this) {
      epochs.allStale();
      all = new ArrayList<>(senders.keySet());
    }
    Map<Address, Long> nonces = new HashMap<>();
    for (Address a : all) {
      nonces.put(a, app.accountNonce(a));
    }
    int evicted = 0;
    synchronized (this) {
      for (Map.Entry<Address, Long> n : nonces.entrySet()) {
        SenderQueue q = senders.get(n.getKey());
        if (q == null) {
          continue;
        }
        q.committedNonce = Math.max(q.committedNonce, n.getValue());
        while (!q.byNonce.isEmpty() && q.byNonce.firstKey() < q.committedNonce) {
          remove(q.byNonce.firstEntry().getValue());
          evicted++;
        }
        updateReady(q);
      }
    }
    return evicted;
  }

  private void remove(PoolEntry e) {
    byHash.remove(e.tx.hash());
    SenderQueue q = senders.get(e.tx.sender());
    q.byNonce.remove(e.tx.nonce());
    q.bytes -= e.tx.size();
    heldBytes -= e.tx.size();
    if (!e.inFlight) {
      q.pending--;
      pendingCount--;
    }
    if (q.byNonce.isEmpty()) {
      senders.remove(e.tx.sender());
    }
    updateReady(q);
  }

  public boolean contains(Hash txHash) {
    return byHash.containsKey(txHash);
  }

  /** Transactions held, pending or in flight. */
  public int size() {
    return byHash.size();
  }

  /** Bytes of the transactions held, pending or in flight. */
  public synchronized long heldBytes() {
    return heldBytes;
  }

  /** Senders a reap would take from now; reap walks these only. */
  synchronized int readySenderCount() {
    return ready.size();
  }

  /** Transactions that the next reap could take. */
  public synchronized int pendingCount() {
    return pendingCount;
  }

  /** Every pending (not in flight) transaction, per sender in nonce order. */
  public synchronized List<PooledTx> pending() {
    List<PooledTx> out = new ArrayList<>(pendingCount);
    for (SenderQueue q : senders.values()) {
      for (PoolEntry e : q.byNonce.values()) {
        if (!e.inFlight) {
          out.add(e.tx);
        }
      }
    }
    return out;
  }

  @Override
  public void close() {
    checker.close();
  }

  /**
   * Pending transactions that were forwarded a while ago and are still not committed, for a
   * follower to forward again. The leader may have refused them for a passing reason (its state was
   * a block behind this node's, so a nonce looked too far ahead) or lost them (it crashed); the
   * leader drops copies it already holds as duplicates. Each transaction's interval doubles, up to
   * 16 s, so that a long queue at the leader is not resent every time.
   */
  public synchronized List<PooledTx> dueForForwarding(long nowNanos) {
    List<PooledTx> out = new ArrayList<>();
    for (SenderQueue q : senders.values()) {
      for (PoolEntry e : q.byNonce.values()) {
        if (!e.inFlight && e.nextForwardNanos - nowNanos <= 0) {
          out.add(e.tx);
          e.nextForwardNanos = nowNanos + e.forwardBackoffNanos;
          e.forwardBackoffNanos =
              Math.min(PoolEntry.MAX_REFORWARD_NANOS, 2 * e.forwardBackoffNanos);
        }
      }
    }
    return out;
  }
}
