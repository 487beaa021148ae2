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
