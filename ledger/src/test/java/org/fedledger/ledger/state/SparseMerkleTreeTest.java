package org.fedledger.ledger.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;
import org.fedledger.core.hash.Hash;
import org.fedledger.ledger.store.Column;
import org.fedledger.ledger.store.KeyValueStore;
import org.fedledger.ledger.store.MemoryStore;
import org.fedledger.ledger.store.RocksStore;
import org.fedledger.ledger.store.WriteSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SparseMerkleTreeTest {

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Applies puts (value non-null) and deletes (value null) as one block and commits them. */
  private static void apply(WorldState state, KeyValueStore store, Map<String, String> changes) {
    StateOverlay overlay = new StateOverlay(state);
    changes.forEach(
        (k, v) -> {
          if (v == null) {
            overlay.delete(bytes(k));
          } else {
            overlay.put(bytes(k), bytes(v));
          }
        });
    WorldState.Prepared prepared = state.prepare(overlay);
    WriteSet batch = new WriteSet();
    state.write(prepared, batch);
    store.commit(batch);
    state.committed(prepared);
  }

  /** The root by the definition, computed from scratch: the reference for the incremental tree. */
  private static Hash naiveRoot(Map<String, String> contents) {
    TreeMap<Hash, Hash> leaves = new TreeMap<>();
    contents.forEach(
        (k, v) -> leaves.put(TreeHashing.keyHash(bytes(k)), TreeHashing.valueHash(bytes(v))));
    return naive(new ArrayList<>(leaves.entrySet()), 0);
  }

  private static Hash naive(List<Map.Entry<Hash, Hash>> leaves, int depth) {
    if (leaves.isEmpty()) {
      return Hash.ZERO;
    }
    if (leaves.size() == 1) {
      return TreeHashing.leaf(leaves.get(0).getKey(), leaves.get(0).getValue());
    }
    List<Map.Entry<Hash, Hash>> left = new ArrayList<>();
    List<Map.Entry<Hash, Hash>> right = new ArrayList<>();
    for (Map.Entry<Hash, Hash> e : leaves) {
      (TreeHashing.bit(e.getKey(), depth) == 0 ? left : right).add(e);
    }
    return TreeHashing.internal(naive(left, depth + 1), naive(right, depth + 1));
  }

  @Test
  void emptyTreeHasZeroRootAndProvesAbsence() {
    MemoryStore store = new MemoryStore();
    WorldState state = new WorldState(store);
    assertThat(state.root()).isEqualTo(Hash.ZERO);
    StateProof proof = state.prove(bytes("nothing"));
    assertThat(proof.isInclusion()).isFalse();
    assertThat(StateProof.verify(proof, bytes("nothing"), Hash.ZERO)).isTrue();
  }

  @Test
  void singleKeyRootIsItsLeaf() {
    MemoryStore store = new MemoryStore();
    WorldState state = new WorldState(store);
    apply(state, store, Map.of("a", "1"));
    assertThat(state.root())
        .isEqualTo(
            TreeHashing.leaf(TreeHashing.keyHash(bytes("a")), TreeHashing.valueHash(bytes("1"))));
  }

  @Test
  void proofsVerifyForPresentAndAbsentKeys() {
    MemoryStore store = new MemoryStore();
    WorldState state = new WorldState(store);
    Map<String, String> contents = new TreeMap<>();
    for (int i = 0; i < 300; i++) {
      contents.put("key" + i, "value" + i);
    }
    apply(state, store, contents);
    Hash root = state.root();
    for (int i = 0; i < 300; i++) {
      StateProof p = state.prove(bytes("key" + i));
      assertThat(p.isInclusion()).isTrue();
      assertThat(p.value()).isEqualTo(bytes("value" + i));
      assertThat(StateProof.verify(p, bytes("key" + i), root)).isTrue();
    }
    int endedAtOtherLeaf = 0;
    for (int i = 0; i < 300; i++) {
      StateProof p = state.prove(bytes("absent" + i));
      assertThat(p.isInclusion()).isFalse();
      assertThat(StateProof.verify(p, bytes("absent" + i), root)).isTrue();
      if (p.otherLeafKeyHash() != null) {
        endedAtOtherLeaf++;
      }
      // A proof is for its own key only.
      assertThat(StateProof.verify(p, bytes("key" + i), root)).isFalse();
    }
    assertThat(endedAtOtherLeaf).as("both kinds of absence proof are exercised").isPositive();
  }

  @Test
  void tamperedProofsFail() {
    MemoryStore store = new MemoryStore();
    WorldState state = new WorldState(store);
    Map<String, String> contents = new TreeMap<>();
    for (int i = 0; i < 50; i++) {
      contents.put("k" + i, "v" + i);
    }
    apply(state, store, contents);
    Hash root = state.root();
    byte[] key = bytes("k7");
    StateProof good = state.prove(key);
    assertThat(StateProof.verify(good, key, root)).isTrue();

    StateProof wrongValue = new StateProof(key, bytes("v8"), good.siblings(), null, null);
    assertThat(StateProof.verify(wrongValue, key, root)).isFalse();

    List<Hash> siblings = new ArrayList<>(good.siblings());
    siblings.set(0, TreeHashing.keyHash(bytes("junk")));
    assertThat(
            StateProof.verify(new StateProof(key, good.value(), siblings, null, null), key, root))
        .isFalse();

    StateProof claimsAbsent = new StateProof(key, null, good.siblings(), null, null);
    assertThat(StateProof.verify(claimsAbsent, key, root)).isFalse();

    List<Hash> shorter = good.siblings().subList(1, good.siblings().size());
    assertThat(StateProof.verify(new StateProof(key, good.value(), shorter, null, null), key, root))
        .isFalse();

    assertThat(StateProof.verify(good, key, TreeHashing.keyHash(bytes("other root")))).isFalse();
    assertThat(StateProof.verify(null, key, root)).isFalse();

    // An absence proof ending at a leaf cannot name the key itself as the "other" leaf.
    StateProof selfAsOther =
        new StateProof(
            key,
            null,
            good.siblings(),
            TreeHashing.keyHash(key),
            TreeHashing.valueHash(bytes("v7")));
    assertThat(StateProof.verify(selfAsOther, key, root)).isFalse();
  }

  @Test
  void proofSurvivesWireEncoding() {
    MemoryStore store = new MemoryStore();
    WorldState state = new WorldState(store);
    apply(state, store, Map.of("a", "1", "b", "2", "c", "3"));
    for (String k : List.of("a", "zz")) {
      StateProof p = state.prove(bytes(k));
      StateProof back = StateProof.fromMessage(p.toMessage());
      assertThat(back).isEqualTo(p);
      assertThat(StateProof.verify(back, bytes(k), state.root())).isTrue();
    }
  }

  @Test
  void rootIsIndependentOfInsertionOrderAndBatching() {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      keys.add("account-" + i);
    }
    MemoryStore oneStore = new MemoryStore();
    WorldState one = new WorldState(oneStore);
    Map<String, String> all = new TreeMap<>();
    keys.forEach(k -> all.put(k, k + "=v"));
    apply(one, oneStore, all);

    Collections.shuffle(keys, new Random(7));
    MemoryStore manyStore = new MemoryStore();
    WorldState many = new WorldState(manyStore);
    for (int i = 0; i < keys.size(); i += 13) {
      Map<String, String> batch = new TreeMap<>();
      for (String k : keys.subList(i, Math.min(keys.size(), i + 13))) {
        batch.put(k, k + "=v");
      }
      apply(many, manyStore, batch);
    }
    assertThat(many.root()).isEqualTo(one.root()).isEqualTo(naiveRoot(all));
    assertThat(manyStore.dump(Column.STATE_NODES)).isEqualTo(oneStore.dump(Column.STATE_NODES));
  }

  @Test
  void deletesRestoreThePreviousRootAndLeaveNoNodesBehind() {
    MemoryStore store = new MemoryStore();
    WorldState state = new WorldState(store);
    apply(state, store, Map.of("a", "1", "b", "2"));
    Hash before = state.root();
    apply(state, store, Map.of("c", "3", "d", "4"));
    assertThat(state.root()).isNotEqualTo(before);
    Map<String, String> deletes = new TreeMap<>();
    deletes.put("c", null);
    deletes.put("d", null);
    deletes.put("never-there", null);
    apply(state, store, deletes);
    assertThat(state.root()).isEqualTo(before);
    assertThat(state.get(bytes("c"))).isNull();

    Map<String, String> rest = new TreeMap<>();
    rest.put("a", null);
    rest.put("b", null);
    apply(state, store, rest);
    assertThat(state.root()).isEqualTo(Hash.ZERO);
    assertThat(store.size(Column.STATE_NODES)).isZero();
    assertThat(store.size(Column.STATE_LEAVES)).isZero();
  }

  @Test
  void incrementalUpdatesMatchNaiveRecomputationOnRandomWorkloads() {
    Random random = new Random(42);
    MemoryStore store = new MemoryStore();
    WorldState state = new WorldState(store);
    TreeMap<String, String> model = new TreeMap<>();
    for (int block = 0; block < 40; block++) {
      Map<String, String> changes = new TreeMap<>();
      int n = 1 + random.nextInt(60);
      for (int i = 0; i < n; i++) {
        String key = "k" + random.nextInt(400);
        if (random.nextInt(4) == 0) {
          changes.put(key, null);
        } else {
          changes.put(key, "v" + random.nextInt(1000));
        }
      }
      apply(state, store, changes);
      changes.forEach(
          (k, v) -> {
            if (v == null) {
              model.remove(k);
            } else {
              model.put(k, v);
            }
          });
      assertThat(state.root()).as("block %d", block).isEqualTo(naiveRoot(model));
    }
    // The stored tree is exactly the tree a fresh build of the final contents stores.
    MemoryStore freshStore = new MemoryStore();
    WorldState fresh = new WorldState(freshStore);
    apply(fresh, freshStore, model);
    assertThat(store.dump(Column.STATE_NODES)).isEqualTo(freshStore.dump(Column.STATE_NODES));
    for (String k : List.of("k1", "k2", "k3", "k399", "nope")) {
      assertThat(StateProof.verify(state.prove(bytes(k)), bytes(k), state.root())).isTrue();
    }
  }

  private static Hash hashWithLastByte(int last, int first) {
    byte[] b = new byte[32];
    b[0] = (byte) first;
    b[31] = (byte) last;
    return Hash.of(b);
  }

  private static void commit(
      SparseMerkleTree tree, KeyValueStore store, NavigableMap<Hash, Hash> c) {
    SparseMerkleTree.Update u = tree.prepare(c);
    WriteSet batch = new WriteSet();
    tree.write(u, batch);
    store.commit(batch);
    tree.committed(u);
  }

  @Test
  void pathsSharing255BitsBuildTheFullDepthAndCollapseBack() {
    MemoryStore store = new MemoryStore();
    SparseMerkleTree tree = new SparseMerkleTree(store);
    Hash a = hashWithLastByte(0, 0);
    Hash b = hashWithLastByte(1, 0); // differs from a only in bit 255
    Hash c = hashWithLastByte(0, 0x80); // differs from both in bit 0
    Hash value = TreeHashing.valueHash(bytes("v"));
    TreeMap<Hash, Hash> changes = new TreeMap<>();
    changes.put(a, value);
    changes.put(b, value);
    changes.put(c, value);
    commit(tree, store, changes);

    Hash expected = TreeHashing.internal(TreeHashing.leaf(a, value), TreeHashing.leaf(b, value));
    for (int depth = 254; depth >= 1; depth--) {
      expected = TreeHashing.internal(expected, Hash.ZERO);
    }
    expected = TreeHashing.internal(expected, TreeHashing.leaf(c, value));
    assertThat(tree.root()).isEqualTo(expected);
    // 255 internal nodes on the shared path plus the root, and three leaves; the internal nodes
    // down to MEMORY_DEPTH are kept in memory only.
    assertThat(store.size(Column.STATE_NODES))
        .isEqualTo(256 - (SparseMerkleTree.MEMORY_DEPTH + 1) + 3);

    TreeMap<Hash, Hash> delete = new TreeMap<>();
    delete.put(b, null);
    commit(tree, store, delete);
    assertThat(tree.root())
        .isEqualTo(TreeHashing.internal(TreeHashing.leaf(a, value), TreeHashing.leaf(c, value)));
    // The two leaves; the root above them is internal and lives in memory.
    assertThat(store.size(Column.STATE_NODES)).isEqualTo(2);

    // Reopened from the store, the tree goes on from the same nodes.
    SparseMerkleTree reopened = new SparseMerkleTree(store);
    TreeMap<Hash, Hash> deleteC = new TreeMap<>();
    deleteC.put(c, null);
    commit(reopened, store, deleteC);
    assertThat(reopened.root()).isEqualTo(TreeHashing.leaf(a, value));
    assertThat(store.size(Column.STATE_NODES)).isEqualTo(1);
  }

  /**
   * Key hashes in clusters that share their first 24 bits, and loose ones: the clusters put
   * internal nodes below {@link SparseMerkleTree#MEMORY_DEPTH}, so that the stored part of the tree
   * and the in-memory part above it both change.
   */
  private static List<Hash> clusteredKeyHashes(Random random) {
    List<Hash> out = new ArrayList<>();
    for (int cluster = 0; cluster < 5; cluster++) {
      byte[] prefix = new byte[3];
      random.nextBytes(prefix);
      for (int i = 0; i < 20; i++) {
        byte[] b = new byte[Hash.LENGTH];
        random.nextBytes(b);
        System.arraycopy(prefix, 0, b, 0, 3);
        out.add(Hash.of(b));
      }
    }
    for (int i = 0; i < 200; i++) {
      byte[] b = new byte[Hash.LENGTH];
      random.nextBytes(b);
      out.add(Hash.of(b));
    }
    return out;
  }

  @Test
  void treeReopenedAfterEveryBlockGoesOnLikeOneThatStayedOpen() {
    Random random = new Random(11);
    List<Hash> keys = clusteredKeyHashes(random);
    MemoryStore openStore = new MemoryStore();
    SparseMerkleTree open = new SparseMerkleTree(openStore);
    MemoryStore reopenedStore = new MemoryStore();
    boolean sawDeepNodes = false;
    for (int block = 0; block < 40; block++) {
      TreeMap<Hash, Hash> changes = new TreeMap<>();
      int n = 1 + random.nextInt(block < 5 ? 120 : 40);
      for (int i = 0; i < n; i++) {
        Hash key = keys.get(random.nextInt(keys.size()));
        changes.put(key, random.nextInt(4) == 0 ? null : TreeHashing.valueHash(bytes("v" + i)));
      }
      commit(open, openStore, changes);
      SparseMerkleTree reopened = new SparseMerkleTree(reopenedStore);
      commit(reopened, reopenedStore, changes);
      assertThat(reopened.root()).as("block %d", block).isEqualTo(open.root());
      assertThat(new SparseMerkleTree(reopenedStore).root()).isEqualTo(open.root());
      assertThat(reopenedStore.dump(Column.STATE_NODES))
          .isEqualTo(openStore.dump(Column.STATE_NODES));
      sawDeepNodes |=
          openStore.dump(Column.STATE_NODES).keySet().stream()
              .anyMatch(k -> Integer.parseInt(k.substring(0, 4), 16) > 20);
    }
    assertThat(sawDeepNodes).as("the clusters reach below the in-memory levels").isTrue();
  }

  @Test
  void internalNodesStoredInTheUpperLevelsAreIgnoredOnOpen() {
    // What an earlier version stored for every internal node: harmless, never read again.
    MemoryStore store = new MemoryStore();
    SparseMerkleTree tree = new SparseMerkleTree(store);
    TreeMap<Hash, Hash> changes = new TreeMap<>();
    for (Hash k : clusteredKeyHashes(new Random(3))) {
      changes.put(k, TreeHashing.valueHash(bytes("v")));
    }
    commit(tree, store, changes);
    Hash root = tree.root();
    Hash junk = TreeHashing.keyHash(bytes("junk"));
    store.commit(
        new WriteSet()
            .put(
                Column.STATE_NODES,
                Position.of(3, junk).key(),
                Node.internal(junk, junk).encode()));
    assertThat(new SparseMerkleTree(store).root()).isEqualTo(root);
  }

  @Test
  void storedLeafWithNodesBelowItIsReportedAsCorrupt() {
    MemoryStore store = new MemoryStore();
    SparseMerkleTree tree = new SparseMerkleTree(store);
    List<Hash> keys = clusteredKeyHashes(new Random(5));
    TreeMap<Hash, Hash> changes = new TreeMap<>();
    for (Hash k : keys) {
      changes.put(k, TreeHashing.valueHash(bytes("v")));
    }
    commit(tree, store, changes);
    // The first cluster's path at depth 10 holds an internal node; put a leaf there.
    Hash clustered = keys.get(0);
    store.commit(
        new WriteSet()
            .put(
                Column.STATE_NODES,
                Position.of(10, clustered).key(),
                Node.leaf(clustered, TreeHashing.valueHash(bytes("v"))).encode()));
    assertThatThrownBy(() -> new SparseMerkleTree(store))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("leaf at depth 10 with nodes below it")
        .hasMessageContaining("corrupt");
  }

  @Test
  void treePersistsAcrossReopen(@TempDir Path dir) {
    Hash root;
    try (RocksStore store = RocksStore.open(dir)) {
      WorldState state = new WorldState(store);
      Map<String, String> contents = new TreeMap<>();
      for (int i = 0; i < 100; i++) {
        contents.put("p" + i, "q" + i);
      }
      apply(state, store, contents);
      root = state.root();
    }
    try (RocksStore store = RocksStore.open(dir)) {
      WorldState state = new WorldState(store);
      assertThat(state.root()).isEqualTo(root);
      StateProof p = state.prove(bytes("p42"));
      assertThat(p.value()).isEqualTo(bytes("q42"));
      assertThat(StateProof.verify(p, bytes("p42"), root)).isTrue();
      apply(state, store, Map.of("p100", "q100"));
      assertThat(state.root()).isNotEqualTo(root);
    }
  }
}
