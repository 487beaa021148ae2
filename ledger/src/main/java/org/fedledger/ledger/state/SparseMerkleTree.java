package org.fedledger.ledger.state;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentHashMap;
import org.fedledger.core.hash.Hash;
import org.fedledger.ledger.store.Column;
import org.fedledger.ledger.store.KeyValueStore;
import org.fedledger.ledger.store.WriteSet;

/**
 * The compact sparse Merkle tree over the world state (hashing rules: {@link TreeHashing}), with
 * its nodes in the store's {@link Column#STATE_NODES} by {@link Position}.
 *
 * <p>A block's changes are applied in one pass ({@link #prepare}): the sorted changed key hashes
 * are split at each level, only the positions on their paths are visited, and each new node is
 * hashed once; the cost is about (changed keys × tree depth) hashes, with the upper levels shared
 * by all keys. Nodes down to {@link #CACHED_DEPTH} (at most 2^17 of them) stay in memory once read,
 * because every block visits them.
 *
 * <p>Two steps so that the block's write batch holds the nodes: {@link #prepare} computes the new
 * root and the node writes without changing anything; {@link #write} adds them to a batch; after
 * the store committed the batch, {@link #committed} makes them the current tree. Only one thread
 * may update; readers ({@link #prove}) must not run during {@link #committed} (the ledger's lock).
 */
public final class SparseMerkleTree {
  static final int CACHED_DEPTH = 16;

  private final KeyValueStore store;
  private final Map<Position, Node> cache = new ConcurrentHashMap<>();
  private volatile Hash root;

  /** Opens the tree currently in the store (empty if none). */
  public SparseMerkleTree(KeyValueStore store) {
    this.store = store;
    Node r = read(Position.of(0, Hash.ZERO));
    this.root = Node.hashOf(r);
  }

  public Hash root() {
    return root;
  }

  /** A computed but not yet committed update: the new root and the node writes. */
  public static final class Update {
    private final Hash newRoot;
    private final Map<Position, Node> writes;

    private Update(Hash newRoot, Map<Position, Node> writes) {
      this.newRoot = newRoot;
      this.writes = writes;
    }

    public Hash newRoot() {
      return newRoot;
    }

    public int nodeWrites() {
      return writes.size();
    }
  }

  /**
   * Computes the tree after the changes, without writing. changes maps key hash to new value hash,
   * or to null to delete the key; deleting an absent key changes nothing.
   */
  public Update prepare(NavigableMap<Hash, Hash> changes) {
    if (changes.isEmpty()) {
      return new Update(root, Map.of());
    }
    Hash[] keys = changes.keySet().toArray(new Hash[0]);
    Hash[] values = new Hash[keys.length];
    int i = 0;
    for (Hash v : changes.values()) {
      values[i++] = v;
    }
    Pass pass = new Pass(keys, values);
    Position rootPosition = Position.of(0, Hash.ZERO);
    Node current = root.equals(Hash.ZERO) ? null : load(rootPosition);
    Node newRoot = pass.update(0, current, 0, keys.length);
    if (newRoot != null && newRoot.leaf) {
      // Below the root, a leaf is written by its parent; the root has none.
      pass.pending.put(rootPosition, newRoot);
    }
    return new Update(Node.hashOf(newRoot), pass.pending);
  }

  /** Adds the update's node writes to batch. */
  public void write(Update update, WriteSet batch) {
    for (Map.Entry<Position, Node> e : update.writes.entrySet()) {
      if (e.getValue() == Node.DELETED) {
        batch.delete(Column.STATE_NODES, e.getKey().key());
      } else {
        batch.put(Column.STATE_NODES, e.getKey().key(), e.getValue().encode());
      }
    }
  }

  /** Makes the update current; call after the batch holding {@link #write}'s output committed. */
  public void committed(Update update) {
    for (Map.Entry<Position, Node> e : update.writes.entrySet()) {
      if (e.getKey().depth() <= CACHED_DEPTH) {
        if (e.getValue() == Node.DELETED) {
          cache.remove(e.getKey());
        } else {
          cache.put(e.getKey(), e.getValue());
        }
      }
    }
    root = update.newRoot;
  }

  /**
   * The proof for key, whose current value (or null if absent) the caller read from the leaves; the
   * value must match the tree, or the store is corrupt.
   */
  public StateProof prove(byte[] key, byte[] value) {
    Hash keyHash = TreeHashing.keyHash(key);
    List<Hash> siblings = new ArrayList<>();
    int depth = 0;
    Node n = root.equals(Hash.ZERO) ? null : load(Position.of(0, keyHash));
    while (true) {
      if (n == null) {
        requireAbsent(value, key);
        return new StateProof(key, null, siblings, null, null);
      }
      if (n.leaf) {
        if (n.keyHash().equals(keyHash)) {
          if (value == null || !TreeHashing.valueHash(value).equals(n.b)) {
            throw new IllegalStateException(
                "state tree and leaves disagree on a key; the data directory is corrupt");
          }
          return new StateProof(key, value, siblings, null, null);
        }
        requireAbsent(value, key);
        return new StateProof(key, null, siblings, n.a, n.b);
      }
      int bit = TreeHashing.bit(keyHash, depth);
      siblings.add(bit == 0 ? n.b : n.a);
      Hash child = bit == 0 ? n.a : n.b;
      depth++;
      n = child.equals(Hash.ZERO) ? null : load(Position.of(depth, keyHash));
    }
  }

  private static void requireAbsent(byte[] value, byte[] key) {
    if (value != null) {
      throw new IllegalStateException(
          "a key has a value but no leaf in the state tree; the data directory is corrupt");
    }
  }

  private Node load(Position p) {
    Node n = p.depth() <= CACHED_DEPTH ? cache.get(p) : null;
    if (n != null) {
      return n;
    }
    n = read(p);
    if (n == null) {
      throw new IllegalStateException(
          "state-tree node at depth " + p.depth() + " is missing; the data directory is corrupt");
    }
    if (p.depth() <= CACHED_DEPTH) {
      cache.put(p, n);
    }
    return n;
  }

  private Node read(Position p) {
    byte[] bytes = store.get(Column.STATE_NODES, p.key());
    return bytes == null ? null : Node.decode(bytes);
  }

  /** One update pass over sorted changes; collects the node writes in visiting order. */
  private final class Pass {
    final Hash[] keys;
    final Hash[] values;
    final Map<Position, Node> pending = new LinkedHashMap<>();

    Pass(Hash[] keys, Hash[] values) {
      this.keys = keys;
      this.values = values;
    }

    /** The new node at the position of depth on keys[from]'s path, given changes [from, to). */
    Node update(int depth, Node current, int from, int to) {
      if (current == null || current.leaf) {
        return rebuild(depth, current, from, to);
      }
      int mid = split(keys, depth, from, to);
      Hash path = keys[from];
      boolean leftVisited = mid > from;
      boolean rightVisited = to > mid;
      Node newLeft = null;
      Node newRight = null;
      Hash leftHash = current.a;
      Hash rightHash = current.b;
      if (leftVisited) {
        Node child = current.a.equals(Hash.ZERO) ? null : load(Position.of(depth + 1, keys[from]));
        newLeft = update(depth + 1, child, from, mid);
        leftHash = Node.hashOf(newLeft);
      }
      if (rightVisited) {
        Node child = current.b.equals(Hash.ZERO) ? null : load(Position.of(depth + 1, keys[mid]));
        newRight = update(depth + 1, child, mid, to);
        rightHash = Node.hashOf(newRight);
      }
      return combine(
          depth, path, leftHash, newLeft, leftVisited, rightHash, newRight, rightVisited);
    }

    /** Below an empty position or a leaf nothing is stored: build the subtree from its leaves. */
    private Node rebuild(int depth, Node current, int from, int to) {
      List<Node> leaves = new ArrayList<>(to - from + 1);
      boolean currentPlaced = current == null;
      for (int i = from; i < to; i++) {
        if (!currentPlaced) {
          int c = current.keyHash().compareTo(keys[i]);
          if (c < 0) {
            leaves.add(current);
            currentPlaced = true;
          } else if (c == 0) {
            currentPlaced = true; // replaced or deleted by the change
          }
        }
        if (values[i] != null) {
          leaves.add(Node.leaf(keys[i], values[i]));
        }
      }
      if (!currentPlaced) {
        leaves.add(current);
      }
      if (leaves.isEmpty()) {
        pending.put(Position.of(depth, keys[from]), Node.DELETED);
        return null;
      }
      return build(depth, leaves, 0, leaves.size());
    }

    private Node build(int depth, List<Node> leaves, int lo, int hi) {
      Hash path = leaves.get(lo).keyHash();
      if (hi - lo == 1) {
        pending.put(Position.of(depth, path), Node.DELETED);
        return leaves.get(lo);
      }
      int mid = lo;
      while (mid < hi && TreeHashing.bit(leaves.get(mid).keyHash(), depth) == 0) {
        mid++;
      }
      Node left = mid > lo ? build(depth + 1, leaves, lo, mid) : null;
      Node right = hi > mid ? build(depth + 1, leaves, mid, hi) : null;
      return combine(
          depth, path, Node.hashOf(left), left, mid > lo, Node.hashOf(right), right, hi > mid);
    }

    /**
     * The node at (depth, path) from its children's new hashes. A side not visited keeps its hash
     * and node; if only one non-empty side remains and it is a single leaf, the leaf moves up.
     */
    private Node combine(
        int depth,
        Hash path,
        Hash leftHash,
        Node left,
        boolean leftVisited,
        Hash rightHash,
        Node right,
        boolean rightVisited) {
      Position here = Position.of(depth, path);
      boolean leftEmpty = leftHash.equals(Hash.ZERO);
      boolean rightEmpty = rightHash.equals(Hash.ZERO);
      Position leftPosition = Position.child(depth, path, 0);
      Position rightPosition = Position.child(depth, path, 1);
      if (leftEmpty && rightEmpty) {
        pending.put(here, Node.DELETED);
        return null;
      }
      if (leftEmpty || rightEmpty) {
        Node only;
        if (leftEmpty) {
          only = rightVisited ? right : load(rightPosition);
        } else {
          only = leftVisited ? left : load(leftPosition);
        }
        if (only.leaf) {
          pending.put(here, Node.DELETED);
          pending.put(leftPosition, Node.DELETED);
          pending.put(rightPosition, Node.DELETED);
          return only;
        }
      }
      Node n = Node.internal(leftHash, rightHash);
      pending.put(here, n);
      if (leftVisited && left != null && left.leaf) {
        pending.put(leftPosition, left);
      }
      if (rightVisited && right != null && right.leaf) {
        pending.put(rightPosition, right);
      }
      return n;
    }
  }

  /** First index in [from, to) whose key has bit depth set; keys are sorted. */
  private static int split(Hash[] keys, int depth, int from, int to) {
    int lo = from;
    int hi = to;
    while (lo < hi) {
      int m = (lo + hi) >>> 1;
      if (TreeHashing.bit(keys[m], depth) == 0) {
        lo = m + 1;
      } else {
        hi = m;
      }
    }
    return lo;
  }
}
