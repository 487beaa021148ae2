package org.fedledger.ledger.state;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.fedledger.core.hash.Hash;
import org.fedledger.ledger.store.Column;
import org.fedledger.ledger.store.KeyValueStore;
import org.fedledger.ledger.store.WriteSet;

/**
 * The committed world state: values in {@link Column#STATE_LEAVES} (read directly, no tree walk)
 * and their commitment in the {@link SparseMerkleTree}. Blocks change it in three steps: {@link
 * #prepare} a block's overlay (computes the new root), {@link #write} into the block's batch, and
 * {@link #committed} once the batch is durable.
 *
 * <p>Committed values read once stay in memory (absent keys too), so that admission and execution
 * of a busy account's transactions (nonce, balances) do not read the store each time. The cache
 * holds exactly the committed values: {@link #committed} writes every changed key into it, and it
 * starts empty whenever the state is opened (restart, snapshot install). Reads and commits must not
 * overlap, which the ledger guarantees: reads run under its state lock or on the applying thread,
 * {@link #committed} under the lock's write side.
 *
 * <p>The cache is bounded in entries and in bytes, on reads as well as on commits: an idle chain
 * whose API is asked for one absent account after another must not grow it without end. Past either
 * bound it is dropped and fills again; a value larger than {@link #MAX_CACHED_VALUE_BYTES} is never
 * cached. Bytes are counted as values go in and not as they are replaced, which overcounts and so
 * only drops the cache sooner.
 */
public final class WorldState implements StateReader {
  /** Past this many entries the cache is dropped and fills again. */
  static final int CACHE_CAPACITY = 100_000;

  /** Past this many bytes of keys and values the cache is dropped and fills again. */
  static final long CACHE_BYTES = 64L * 1024 * 1024;

  /** Values larger than this are read from the store each time. */
  static final int MAX_CACHED_VALUE_BYTES = 1024 * 1024;

  /** Caches an absent key; compared by identity. */
  private static final byte[] ABSENT = new byte[0];

  private final KeyValueStore store;
  private final SparseMerkleTree tree;
  private final Map<ByteBuffer, byte[]> cache = new ConcurrentHashMap<>();
  private final AtomicLong cachedBytes = new AtomicLong();

  public WorldState(KeyValueStore store) {
    this.store = store;
    this.tree = new SparseMerkleTree(store);
  }

  /** A block's state changes, ready to write. */
  public record Prepared(NavigableMap<byte[], byte[]> changes, SparseMerkleTree.Update update) {
    public Hash newRoot() {
      return update.newRoot();
    }
  }

  @Override
  public byte[] get(byte[] key) {
    byte[] v = cache.get(ByteBuffer.wrap(key));
    if (v == null) {
      v = store.get(Column.STATE_LEAVES, key);
      remember(key.clone(), v);
      return v;
    }
    return v == ABSENT ? null : v;
  }

  public Hash root() {
    return tree.root();
  }

  /** Computes the root after overlay's changes, hashing once per changed tree node. */
  public Prepared prepare(StateOverlay overlay) {
    NavigableMap<byte[], byte[]> changes = overlay.changes();
    TreeMap<Hash, Hash> treeChanges = new TreeMap<>();
    for (Map.Entry<byte[], byte[]> e : changes.entrySet()) {
      Hash valueHash = e.getValue() == null ? null : TreeHashing.valueHash(e.getValue());
      treeChanges.put(TreeHashing.keyHash(e.getKey()), valueHash);
    }
    return new Prepared(changes, tree.prepare(treeChanges));
  }

  public void write(Prepared prepared, WriteSet batch) {
    for (Map.Entry<byte[], byte[]> e : prepared.changes().entrySet()) {
      if (e.getValue() == null) {
        batch.delete(Column.STATE_LEAVES, e.getKey());
      } else {
        batch.put(Column.STATE_LEAVES, e.getKey(), e.getValue());
      }
    }
    tree.write(prepared.update(), batch);
  }

  public void committed(Prepared prepared) {
    tree.committed(prepared.update());
    for (Map.Entry<byte[], byte[]> e : prepared.changes().entrySet()) {
      remember(e.getKey(), e.getValue());
    }
  }

  /** Caches a committed value (null: absent), dropping the cache first if it is full. */
  private void remember(byte[] key, byte[] value) {
    ByteBuffer k = ByteBuffer.wrap(key);
    if (value != null && value.length > MAX_CACHED_VALUE_BYTES) {
      // Too large to keep; a stale smaller value under the same key must not stay either.
      cache.remove(k);
      return;
    }
    long size = (long) key.length + (value == null ? 0 : value.length);
    if (cache.size() >= CACHE_CAPACITY || cachedBytes.get() + size > CACHE_BYTES) {
      cache.clear();
      cachedBytes.set(0);
    }
    cache.put(k, value == null ? ABSENT : value);
    cachedBytes.addAndGet(size);
  }

  /** How many entries the cache holds (for tests of its bounds). */
  int cachedEntries() {
    return cache.size();
  }

  long cachedBytes() {
    return cachedBytes.get();
  }

  /** Proof of key's current value or absence against {@link #root()}. */
  public StateProof prove(byte[] key) {
    return tree.prove(key, get(key));
  }
}
