package org.fedledger.ledger.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.BiConsumer;
import org.fedledger.ledger.store.Column;
import org.fedledger.ledger.store.KeyValueStore;
import org.fedledger.ledger.store.MemoryStore;
import org.fedledger.ledger.store.WriteSet;
import org.junit.jupiter.api.Test;

class WorldStateTest {
  private final CountingStore store = new CountingStore(new MemoryStore());
  private final WorldState state = new WorldState(store);

  @Test
  void committedValuesAreReadFromTheStoreOnceAndKeptCurrentByEachCommit() {
    commit(put("a", "1"), put("b", "2"));
    WorldState reopened = new WorldState(store);
    assertThat(value(reopened, "a")).isEqualTo("1");
    assertThat(value(reopened, "a")).isEqualTo("1");
    assertThat(reopened.get(key("absent"))).isNull();
    assertThat(reopened.get(key("absent"))).isNull();
    assertThat(store.leafReads).as("one read per key, absent keys included").isEqualTo(2);

    StateOverlay block = new StateOverlay(reopened);
    block.put(key("a"), bytes("10"));
    block.delete(key("b"));
    block.put(key("absent"), bytes("3"));
    assertThat(value(reopened, "b")).as("uncommitted changes are not visible").isEqualTo("2");
    commit(reopened, block);

    int reads = store.leafReads;
    assertThat(value(reopened, "a")).isEqualTo("10");
    assertThat(reopened.get(key("b"))).isNull();
    assertThat(value(reopened, "absent")).isEqualTo("3");
    assertThat(store.leafReads).as("the commit refreshed the cache").isEqualTo(reads);
    assertThat(value(new WorldState(store), "absent")).as("and the store").isEqualTo("3");
  }

  @Test
  void readsOfAbsentKeysOnAnIdleChainKeepTheCacheWithinItsBounds() {
    for (int i = 0; i < WorldState.CACHE_CAPACITY + 5_000; i++) {
      assertThat(state.get(key("probe-" + i))).isNull();
      assertThat(state.cachedEntries()).isLessThanOrEqualTo(WorldState.CACHE_CAPACITY);
    }
    // Still correct after the drops: a committed value is read back, absent keys stay absent.
    commit(put("a", "1"));
    assertThat(value(state, "a")).isEqualTo("1");
    assertThat(state.get(key("probe-7"))).isNull();
  }

  @Test
  void largeValuesAreNeverCachedAndTheCacheStaysWithinItsByteBudget() {
    byte[] large = new byte[WorldState.MAX_CACHED_VALUE_BYTES + 1];
    StateOverlay block = new StateOverlay(state);
    block.put(key("large"), large);
    int values = (int) (WorldState.CACHE_BYTES / WorldState.MAX_CACHED_VALUE_BYTES) + 8;
    for (int i = 0; i < values; i++) {
      block.put(key("mib-" + i), new byte[WorldState.MAX_CACHED_VALUE_BYTES]);
    }
    commit(state, block);
    assertThat(state.cachedBytes()).isLessThanOrEqualTo(WorldState.CACHE_BYTES);
    int reads = store.leafReads;
    assertThat(state.get(key("large"))).hasSize(large.length);
    assertThat(state.get(key("large"))).hasSize(large.length);
    assertThat(store.leafReads)
        .as("the large value is read from the store each time")
        .isEqualTo(reads + 2);
  }

  private void commit(StateOverlay... changes) {
    StateOverlay block = new StateOverlay(state);
    for (StateOverlay o : changes) {
      o.mergeInto(block);
    }
    commit(state, block);
  }

  private void commit(WorldState on, StateOverlay block) {
    WorldState.Prepared prepared = on.prepare(block);
    WriteSet batch = new WriteSet();
    on.write(prepared, batch);
    store.commit(batch);
    on.committed(prepared);
  }

  private StateOverlay put(String k, String v) {
    StateOverlay o = new StateOverlay(state);
    o.put(key(k), bytes(v));
    return o;
  }

  private static String value(WorldState s, String k) {
    byte[] v = s.get(key(k));
    return v == null ? null : new String(v, StandardCharsets.UTF_8);
  }

  private static byte[] key(String k) {
    return ("test/" + k).getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] bytes(String v) {
    return v.getBytes(StandardCharsets.UTF_8);
  }

  /** Counts reads of state leaves. */
  private static final class CountingStore implements KeyValueStore {
    private final KeyValueStore delegate;
    int leafReads;

    CountingStore(KeyValueStore delegate) {
      this.delegate = delegate;
    }

    @Override
    public byte[] get(Column column, byte[] key) {
      if (column == Column.STATE_LEAVES) {
        leafReads++;
      }
      return delegate.get(column, key);
    }

    @Override
    public void scan(Column column, byte[] from, byte[] to, BiConsumer<byte[], byte[]> v) {
      delegate.scan(column, from, to, v);
    }

    @Override
    public void commit(WriteSet batch) {
      delegate.commit(batch);
    }

    @Override
    public void checkpoint(Path target) {
      delegate.checkpoint(target);
    }

    @Override
    public void close() {
      delegate.close();
    }
  }
}
