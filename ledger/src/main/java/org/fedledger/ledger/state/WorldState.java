package org.fedledger.ledger.state;

import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.fedledger.core.hash.Hash;
import org.fedledger.ledger.store.Column;
import org.fedledger.ledger.store.KeyValueStore;
import org.fedledger.ledger.store.WriteSet;

/**
 * The committed world state: values in {@link Column#STATE_LEAVES} (read directly, no tree walk)
 * and their commitment in the {@link SparseMerkleTree}. Blocks change it in three steps: {@link
 * #prepare} a block's overlay (computes the new root), {@link #write} into the block's batch, and
 * {@link #committed} once the batch is durable.
 */
public final class WorldState implements StateReader {
  private final KeyValueStore store;
  private final SparseMerkleTree tree;

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
    return store.get(Column.STATE_LEAVES, key);
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
  }

  /** Proof of key's current value or absence against {@link #root()}. */
  public StateProof prove(byte[] key) {
    return tree.prove(key, get(key));
  }
}
