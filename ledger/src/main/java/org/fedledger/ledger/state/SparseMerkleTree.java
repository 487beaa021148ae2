package org.fedledger.ledger.state;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
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
 * by all keys.
 *
 * <p>What is stored: every leaf, wherever it sits, and the internal nodes deeper than {@link
 * #MEMORY_DEPTH}. The internal nodes down to that depth (at most 2^17 - 1) live only in memory, in
 * one array per depth indexed by the position's path bits, and are rebuilt when the tree is opened
 * from the stored entries of depths 0 to {@code MEMORY_DEPTH + 1} (at most 2^18 of them, read in
 * one range scan: the position key starts with the depth). Every block rewrites most of these upper
 * nodes: among a few thousand accounts, a block of a few hundred transfers changes about 3,000 of
 * them and only 700 leaves, so storing them cost more than half of applying a block (the RocksDB
 * inserts, their flushes and compactions). Nothing is lost by not storing them: they are a function
 * of the stored entries below them, and {@code Ledger} checks the rebuilt root against the last
 * block's state root when it opens.
 *
 * <p>Two steps so that the block's write batch holds the nodes: {@link #prepare} computes the new
 * root and the node writes without changing anything; {@link #write} adds them to a batch; after
 * the store committed the batch, {@link #committed} makes them the current tree. Only one thread
 * may update; readers ({@link #prove}) must not run during {@link #committed} (the ledger's lock).
 */
public final class SparseMerkleTree {
  /** Internal nodes down to this depth are kept in memory only; see the class comment. */
  static final int MEMORY_DEPTH = 16;

  private final KeyValueStore store;

  /**
   * levels[d][i]: the node at depth d whose path begins with the d bits of i, or null for an empty
   * position; complete for every depth down to {@link #MEMORY_DEPTH}. A level's array is allocated
   * when its first node appears. Only the updating thread changes slots, in {@link #committed},
   * when no reader runs.
   */
  private final Node[][] levels = new Node[MEMORY_DEPTH + 1][];

  private volatile Hash root;

  /** Opens the tree currently in the store (empty if none), rebuilding its upper levels. */
  public SparseMerkleTree(KeyValueStore store) {
    this.store = store;
    this.root = rebuildUpperLevels();
  }

  /**
   * Places the stored leaves of depths 0 to {@link #MEMORY_DEPTH}, then computes each internal node
   * up there from its two children, from the deepest level up; the stored nodes one level below are
   * the children of the deepest. Internal nodes an earlier version stored up there are ignored.
   * Returns the root hash.
   */
  private Hash rebuildUpperLevels() {
    // The stored nodes one level below the in-memory ones; allocated only if there are any.
    Node[][] deepest = new Node[1][];
    store.scan(
        Column.STATE_NODES,
        Position.firstKeyAt(0),
        Position.firstKeyAt(MEMORY_DEPTH + 2),
        (key, value) -> {
          Position p = Position.fromKey(key);
          Node n = Node.decode(value);
          if (p.depth() == MEMORY_DEPTH + 1) {
            if (deepest[0] == null) {
              deepest[0] = new Node[1 << (MEMORY_DEPTH + 1)];
            }
            deepest[0][p.prefix()] = n;
          } else if (n.leaf) {
            level(p.depth())[p.prefix()] = n;
          }
        });
    Node[] below = deepest[0];
    for (int depth = MEMORY_DEPTH; depth >= 0; depth--) {
      Node[] level = levels[depth];
      if (below != null) {
        for (int i = 0; i < below.length; i += 2) {
          Node left = below[i];
          Node right = below[i + 1];
          if (left == null && right == null) {
            continue;
          }
          if (level == null) {
            level = level(depth);
          }
          if (level[i >>> 1] != null) {
            throw new IllegalStateException(
                "the state tree stores a leaf at depth "
                    + depth
                    + " with nodes below it; the data directory is corrupt");
          }
          level[i >>> 1] = Node.internal(Node.hashOf(left), Node.hashOf(right));
        }
      }
      below = level;
    }
    return below == null ? Hash.ZERO : Node.hashOf(below[0]);
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
    Node current = root.equals(Hash.ZERO) ? null : load(0, Hash.ZERO);
    Node newRoot = pass.update(0, current, 0, keys.length);
    if (newRoot != null && newRoot.leaf) {
      // Below the root, a leaf is written by its parent; the root has none.
      pass.pending.put(rootPosition, newRoot);
    }
    return new Update(Node.hashOf(newRoot), pass.pending);
  }

  /**
   * Adds the update's stored-node writes to batch: leaves anywhere, internal nodes below {@link
   * #MEMORY_DEPTH}, and the deletion of a stored leaf that an in-memory node or nothing replaces.
   */
  public void write(Update update, WriteSet batch) {
    batch.ensureCapacity(update.writes.size());
    for (Map.Entry<Position, Node> e : update.writes.entrySet()) {
      Position p = e.getKey();
      Node n = e.getValue();
      boolean remove = n == Node.DELETED;
      if (p.depth() <= MEMORY_DEPTH && (remove || !n.leaf)) {
        Node before = committedAt(p.depth(), p.prefix());
        if (before != null && before.leaf) {
          batch.delete(Column.STATE_NODES, p.key());
        }
      } else if (remove) {
        batch.delete(Column.STATE_NODES, p.key());
      } else {
        batch.put(Column.STATE_NODES, p.key(), n.encode());
      }
    }
  }

  /** Makes the update current; call after the batch holding {@link #write}'s output committed. */
  public void committed(Update update) {
    for (Map.Entry<Position, Node> e : update.writes.entrySet()) {
      Position p = e.getKey();
      int depth = p.depth();
      if (depth <= MEMORY_DEPTH) {
        Node n = e.getValue();
        level(depth)[p.prefix()] = n == Node.DELETED ? null : n;
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
    Node n = root.equals(Hash.ZERO) ? null : load(0, keyHash);
    while (true) {
      if (n == null) {
        requireAbsent(value);
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
        requireAbsent(value);
        return new StateProof(key, null, siblings, n.a, n.b);
      }
      int bit = TreeHashing.bit(keyHash, depth);
      siblings.add(bit == 0 ? n.b : n.a);
      Hash child = bit == 0 ? n.a : n.b;
      depth++;
      n = child.equals(Hash.ZERO) ? null : load(depth, keyHash);
    }
  }

  private static void requireAbsent(byte[] value) {
    if (value != null) {
      throw new IllegalStateException(
          "a key has a value but no leaf in the state tree; the data directory is corrupt");
    }
  }

  /** The node at depth on path, which is not empty. */
  private Node load(int depth, Hash path) {
    if (depth > MEMORY_DEPTH) {
      return loadStored(Position.of(depth, path));
    }
    return inMemory(depth, Position.prefix(path, depth));
  }

  /** The node at p, which is not empty. */
  private Node load(Position p) {
    int depth = p.depth();
    return depth > MEMORY_DEPTH ? loadStored(p) : inMemory(depth, p.prefix());
  }

  private Node inMemory(int depth, int index) {
    Node n = committedAt(depth, index);
    if (n == null) {
      throw missing(depth);
    }
    return n;
  }

  /** The in-memory node at (depth ≤ MEMORY_DEPTH, index), or null for an empty position. */
  private Node committedAt(int depth, int index) {
    Node[] level = levels[depth];
    return level == null ? null : level[index];
  }

  private Node loadStored(Position p) {
    Node n = read(p);
    if (n == null) {
      throw missing(p.depth());
    }
    return n;
  }

  private static IllegalStateException missing(int depth) {
    return new IllegalStateException(
        "state-tree node at depth " + depth + " is missing; the data directory is corrupt");
  }

  private Node[] level(int depth) {
    Node[] level = levels[depth];
    if (level == null) {
      level = new Node[1 << depth];
      levels[depth] = level;
    }
    return level;
  }

  private Node read(Position p) {
    byte[] bytes = store.get(Column.STATE_NODES, p.key());
    return bytes == null ? null : Node.decode(bytes);
  }

  /** One update pass over sorted changes; collects the node writes in visiting order. */
  private final class Pass {
    final Hash[] keys;
    final Hash[] values;
    final Map<Position, Node> pending;

    Pass(Hash[] keys, Hash[] values) {
      this.keys = keys;
      this.values = values;
      // About four node writes per changed key in a tree of thousands of keys: sized once, so
      // that the map does not grow and rehash several times per block.
      this.pending = LinkedHashMap.newLinkedHashMap(8 * keys.length);
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
        Node child = current.a.equals(Hash.ZERO) ? null : load(depth + 1, keys[from]);
        newLeft = update(depth + 1, child, from, mid);
        leftHash = Node.hashOf(newLeft);
      }
      if (rightVisited) {
        Node child = current.b.equals(Hash.ZERO) ? null : load(depth + 1, keys[mid]);
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
      // Children's positions only when a write or a read needs them: most nodes need none.
      Position here = Position.of(depth, path);
      boolean leftEmpty = leftHash.equals(Hash.ZERO);
      boolean rightEmpty = rightHash.equals(Hash.ZERO);
      if (leftEmpty && rightEmpty) {
        pending.put(here, Node.DELETED);
        return null;
      }
      if (leftEmpty || rightEmpty) {
        Node only;
        if (leftEmpty) {
          only = rightVisited ? right : load(Position.child(depth, path, 1));
        } else {
          only = leftVisited ? left : load(Position.child(depth, path, 0));
        }
        if (only.leaf) {
          pending.put(here, Node.DELETED);
          pending.put(Position.child(depth, path, 0), Node.DELETED);
          pending.put(Position.child(depth, path, 1), Node.DELETED);
          return only;
        }
      }
      Node n = Node.internal(leftHash, rightHash);
      pending.put(here, n);
      if (leftVisited && left != null && left.leaf) {
        pending.put(Position.child(depth, path, 0), left);
      }
      if (rightVisited && right != null && right.leaf) {
        pending.put(Position.child(depth, path, 1), right);
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
