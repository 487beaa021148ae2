package org.fedledger.consensus.mempool;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.fedledger.consensus.app.Admission;
import org.fedledger.consensus.app.Application;
import org.fedledger.consensus.app.AppliedBlock;
import org.fedledger.core.address.Address;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.tx.DecodedTransaction;
import org.fedledger.core.tx.InvalidTransactionException;
import org.fedledger.core.tx.TransactionCodec;
import org.fedledger.core.tx.TxRejection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Transactions admitted but not yet committed.
 *
 * <p>Admission runs in two stages: a parallel stage (decode, size, the application's check which
 * includes the signature) on a fixed pool, then one short critical section per batch that detects
 * duplicates and nonce conflicts, enforces the capacity and inserts. Each sender has a queue
 * ordered by nonce; {@link #reap} takes consecutive nonces from each sender, round-robin across
 * senders in order of first arrival, so that a block executes and no sender starves another.
 *
 * <p>Reaped transactions stay in the pool, marked in flight, until a committed block includes them
 * ({@link #onCommitted}) or the proposal is abandoned ({@link #requeue}): a transaction is never in
 * two proposals of the same leader.
 */
public final class Mempool implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Mempool.class);

  private final Application app;
  private final MempoolConfig config;
  private final ParallelChecker checker;
  private final List<Consumer<List<PooledTx>>> admissionListeners = new CopyOnWriteArrayList<>();

  /** Every transaction held, pending or in flight; read without the lock as a cheap pre-check. */
  private final Map<Hash, Entry> byHash = new ConcurrentHashMap<>();

  // Guarded by this. Insertion order of senders is the fairness order of reap.
  private final LinkedHashMap<Address, SenderQueue> senders = new LinkedHashMap<>();
  private int pendingCount;

  /**
   * Counts commits. A sender's account nonce read at epoch e is stale if a commit touched the
   * sender after e; {@link #committedAt} remembers when.
   */
  private long commitEpoch;

  /** After a snapshot install every account nonce read before this epoch is stale. */
  private long allStaleBefore;

  private final LinkedHashMap<Address, Long> committedAt =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Address, Long> eldest) {
          // Forgetting one is safe only once no admission can still hold an older read: batches
          // take well under the time 100,000 commits of other senders take.
          return size() > 100_000;
        }
      };

  public Mempool(Application app, MempoolConfig config) {
    this.app = app;
    this.config = config;
    this.checker = new ParallelChecker(config.effectiveVerifierThreads());
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
    List<Checked> checked = checker.map(encoded, this::check);
    // Account nonces are read only for senders without a queue, outside the lock.
    Set<Address> newSenders = new HashSet<>();
    long readEpoch;
    synchronized (this) {
      readEpoch = commitEpoch;
      for (Checked c : checked) {
        if (c.result == null && !senders.containsKey(c.tx.senderAddress())) {
          newSenders.add(c.tx.senderAddress());
        }
      }
    }
    Map<Address, Long> nonces = readNonces(newSenders);
    List<SubmitResult> results = new ArrayList<>(checked.size());
    List<PooledTx> admitted = new ArrayList<>();
    synchronized (this) {
      for (Checked c : checked) {
        SubmitResult r = c.result != null ? c.result : insert(c.tx, nonces, readEpoch);
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

  /** The stateless and committed-state checks; runs on any thread, without the lock. */
  private Checked check(byte[] encoded) {
    if (encoded != null && encoded.length > config.maxTxBytes()) {
      return Checked.rejected(
          null,
          TxRejection.OVERSIZE,
          "transaction is "
              + encoded.length
              + " bytes; this node accepts at most "
              + config.maxTxBytes());
    }
    DecodedTransaction tx;
    try {
      tx = TransactionCodec.decode(encoded);
    } catch (InvalidTransactionException e) {
      return Checked.rejected(null, e.reason(), e.getMessage());
    }
    if (byHash.containsKey(tx.hash())) {
      return Checked.rejected(
          tx.hash(), TxRejection.DUPLICATE, "transaction " + tx.hash() + " is already pending");
    }
    Admission verdict;
    try {
      verdict = app.checkTransaction(tx);
    } catch (RuntimeException e) {
      // The application promises results, not exceptions; if it breaks that promise the
      // transaction is refused rather than the whole batch failing.
      LOG.warn("application check of {} threw; refusing the transaction", tx.hash(), e);
      return Checked.rejected(
          tx.hash(), TxRejection.INVALID_MESSAGE, "the transaction could not be checked: " + e);
    }
    if (!verdict.accepted()) {
      return Checked.rejected(tx.hash(), verdict.rejection(), verdict.message());
    }
    return new Checked(tx, null);
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
    long nonce = tx.body().getNonce();
    SenderQueue q = senders.get(tx.senderAddress());
    if (q == null) {
      Long read = nonces.get(tx.senderAddress());
      long touchedAt = Math.max(allStaleBefore, committedAt.getOrDefault(tx.senderAddress(), 0L));
      if (read == null || touchedAt > readEpoch) {
        // A commit for this sender landed after the read: read again (rare, under the lock).
        read = app.accountNonce(tx.senderAddress());
      }
      q = new SenderQueue(read);
    }
    if (nonce < q.committedNonce) {
      return SubmitResult.rejected(
          hash,
          TxRejection.BAD_NONCE,
          "nonce " + nonce + " is already used; the sender's next nonce is " + q.committedNonce);
    }
    Entry existing = q.byNonce.get(nonce);
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
    int size = tx.signed().getSerializedSize();
    Entry e = new Entry(new PooledTx(hash, tx.signed(), tx.senderAddress(), nonce, size));
    q.byNonce.put(nonce, e);
    q.pending++;
    pendingCount++;
    byHash.put(hash, e);
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
    List<Cursor> active = new ArrayList<>();
    for (SenderQueue q : senders.values()) {
      if (q.pending > 0) {
        active.add(new Cursor(q));
      }
    }
    long bytes = 0;
    while (!active.isEmpty() && out.size() < maxTxs) {
      Iterator<Cursor> it = active.iterator();
      while (it.hasNext() && out.size() < maxTxs) {
        Cursor cur = it.next();
        Entry e = cur.nextReapable();
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
    return out;
  }

  /** Puts transactions of an abandoned proposal back, so that a later proposal includes them. */
  public synchronized void requeue(Collection<PooledTx> txs) {
    for (PooledTx tx : txs) {
      Entry e = byHash.get(tx.hash());
      if (e != null && e.inFlight) {
        e.inFlight = false;
        senders.get(e.tx.sender()).pending++;
        pendingCount++;
      }
    }
  }

  /** Puts every in-flight transaction back: after losing leadership, nothing is in flight. */
  public synchronized void requeueAllInFlight() {
    for (SenderQueue q : senders.values()) {
      for (Entry e : q.byNonce.values()) {
        if (e.inFlight) {
          e.inFlight = false;
          q.pending++;
          pendingCount++;
        }
      }
    }
  }

  /**
   * Evicts the transactions a committed block included and those of its senders whose nonce the
   * block made stale.
   *
   * @return how many transactions left the pool
   */
  public int onCommitted(AppliedBlock block) {
    if (block.outcomes().isEmpty()) {
      return 0;
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
      commitEpoch++;
      for (Iterator<Address> it = touched.iterator(); it.hasNext(); ) {
        Address a = it.next();
        // Removed first so that the entry moves to the young end of the eviction order.
        committedAt.remove(a);
        committedAt.put(a, commitEpoch);
        if (!senders.containsKey(a)) {
          it.remove();
        }
      }
    }
    Map<Address, Long> nonces = readNonces(touched);
    int evicted = 0;
    synchronized (this) {
      for (AppliedBlock.TxOutcome o : block.outcomes()) {
        Entry e = byHash.get(o.txHash());
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
      }
    }
    return evicted;
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
      allStaleBefore = ++commitEpoch;
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
      }
    }
    return evicted;
  }

  private void remove(Entry e) {
    byHash.remove(e.tx.hash());
    SenderQueue q = senders.get(e.tx.sender());
    q.byNonce.remove(e.tx.nonce());
    if (!e.inFlight) {
      q.pending--;
      pendingCount--;
    }
    if (q.byNonce.isEmpty()) {
      senders.remove(e.tx.sender());
    }
  }

  public boolean contains(Hash txHash) {
    return byHash.containsKey(txHash);
  }

  /** Transactions held, pending or in flight. */
  public int size() {
    return byHash.size();
  }

  /** Transactions that the next reap could take. */
  public synchronized int pendingCount() {
    return pendingCount;
  }

  /** Every pending (not in flight) transaction, per sender in nonce order. */
  public synchronized List<PooledTx> pending() {
    List<PooledTx> out = new ArrayList<>(pendingCount);
    for (SenderQueue q : senders.values()) {
      for (Entry e : q.byNonce.values()) {
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

  private static final class Entry {
    final PooledTx tx;
    boolean inFlight;
    long nextForwardNanos;
    long forwardBackoffNanos = FIRST_REFORWARD_NANOS;

    Entry(PooledTx tx) {
      this.tx = tx;
      this.nextForwardNanos = System.nanoTime() + FIRST_REFORWARD_NANOS;
    }
  }

  private static final long FIRST_REFORWARD_NANOS = 1_000_000_000L;
  private static final long MAX_REFORWARD_NANOS = 16_000_000_000L;

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
      for (Entry e : q.byNonce.values()) {
        if (!e.inFlight && e.nextForwardNanos - nowNanos <= 0) {
          out.add(e.tx);
          e.nextForwardNanos = nowNanos + e.forwardBackoffNanos;
          e.forwardBackoffNanos = Math.min(MAX_REFORWARD_NANOS, 2 * e.forwardBackoffNanos);
        }
      }
    }
    return out;
  }

  private static final class SenderQueue {
    final TreeMap<Long, Entry> byNonce = new TreeMap<>();
    long committedNonce;
    int pending;

    SenderQueue(long committedNonce) {
      this.committedNonce = committedNonce;
    }
  }

  /** Walks one sender's queue in nonce order, stepping over in-flight entries, stopping at gaps. */
  private static final class Cursor {
    final SenderQueue queue;
    final Iterator<Entry> it;
    long expected;

    Cursor(SenderQueue queue) {
      this.queue = queue;
      this.expected = queue.committedNonce;
      this.it = queue.byNonce.tailMap(queue.committedNonce, true).values().iterator();
    }

    Entry nextReapable() {
      while (it.hasNext()) {
        Entry e = it.next();
        if (e.tx.nonce() != expected) {
          return null;
        }
        expected++;
        if (!e.inFlight) {
          return e;
        }
      }
      return null;
    }
  }

  private record Checked(DecodedTransaction tx, SubmitResult result) {
    static Checked rejected(Hash hash, TxRejection rejection, String message) {
      return new Checked(null, SubmitResult.rejected(hash, rejection, message));
    }
  }
}
