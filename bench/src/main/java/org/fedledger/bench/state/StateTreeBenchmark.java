package org.fedledger.bench.state;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.fedledger.core.io.FileTrees;
import org.fedledger.ledger.state.StateOverlay;
import org.fedledger.ledger.state.WorldState;
import org.fedledger.ledger.store.RocksStore;
import org.fedledger.ledger.store.WriteSet;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One block's update of the world state on RocksDB: {@code changedKeys} keys of a state of {@code
 * stateKeys} get new 8-byte values (balances and nonces), then the sparse Merkle tree computes the
 * new root ({@code prepare}: SHA-256 of every node on the changed paths, node reads from RocksDB
 * below the cached top levels) and, in {@code prepareAndCommit}, the leaves and nodes go to RocksDB
 * in one write batch, as {@code Ledger.applyBlock} does.
 *
 * <p>A block of 5,000 transfers among many accounts changes up to 15,000 keys (sender nonce, sender
 * and recipient balances); among 1,000 accounts about 2,000. Each invocation changes a fresh random
 * set of existing keys, drawn in the per-invocation setup, outside the measurement.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class StateTreeBenchmark {
  private static final byte[] BALANCE = "bank/balance/".getBytes(StandardCharsets.UTF_8);
  private static final byte[] NONCE = "auth/nonce/".getBytes(StandardCharsets.UTF_8);

  @Param({"200000"})
  int stateKeys;

  @Param({"2000", "15000"})
  int changedKeys;

  private Path dir;
  private RocksStore store;
  private WorldState state;
  private final SplittableRandom random = new SplittableRandom(42);
  private long version;
  private StateOverlay block;

  @Setup(Level.Trial)
  public void populate() throws IOException {
    dir = Files.createTempDirectory("fedledger-bench-state");
    store = RocksStore.open(dir);
    state = new WorldState(store);
    int chunk = 50_000;
    for (int from = 0; from < stateKeys; from += chunk) {
      StateOverlay overlay = new StateOverlay(state);
      for (int i = from; i < Math.min(stateKeys, from + chunk); i++) {
        overlay.put(key(i), value(0));
      }
      commit(overlay);
    }
  }

  @Setup(Level.Invocation)
  public void nextBlock() {
    version++;
    block = new StateOverlay(state);
    for (int k = 0; k < changedKeys; k++) {
      block.put(key(random.nextInt(stateKeys)), value(version));
    }
  }

  @Benchmark
  public WorldState.Prepared prepare() {
    return state.prepare(block);
  }

  @Benchmark
  public WorldState.Prepared prepareAndCommit() {
    return commit(block);
  }

  private WorldState.Prepared commit(StateOverlay overlay) {
    WorldState.Prepared prepared = state.prepare(overlay);
    WriteSet batch = new WriteSet();
    state.write(prepared, batch);
    store.commit(batch);
    state.committed(prepared);
    return prepared;
  }

  @TearDown(Level.Trial)
  public void close() throws IOException {
    store.close();
    FileTrees.delete(dir);
  }

  /** State key i: half look like bank balances, half like account nonces (20-byte addresses). */
  private static byte[] key(int i) {
    byte[] prefix = (i & 1) == 0 ? BALANCE : NONCE;
    byte[] key = new byte[prefix.length + 20];
    System.arraycopy(prefix, 0, key, 0, prefix.length);
    long h = mix(i);
    for (int b = 0; b < 20; b++) {
      key[prefix.length + b] = (byte) (h >>> (8 * (b & 7)) ^ b);
    }
    return key;
  }

  private static byte[] value(long v) {
    byte[] out = new byte[8];
    for (int b = 0; b < 8; b++) {
      out[b] = (byte) (v >>> (56 - 8 * b));
    }
    return out;
  }

  private static long mix(long x) {
    x = (x ^ (x >>> 30)) * 0xbf58476d1ce4e5b9L;
    x = (x ^ (x >>> 27)) * 0x94d049bb133111ebL;
    return x ^ (x >>> 31);
  }
}
