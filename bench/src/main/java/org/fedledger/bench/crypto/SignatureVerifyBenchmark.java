package org.fedledger.bench.crypto;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.fedledger.cli.bench.TransferWorkload;
import org.fedledger.core.crypto.Ed25519;
import org.fedledger.core.crypto.Ed25519PublicKey;
import org.fedledger.core.tx.DecodedTransaction;
import org.fedledger.core.tx.InvalidTransactionException;
import org.fedledger.core.tx.TransactionCodec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Ed25519 verification of real bank transfers (about 150-byte bodies), the cost every node pays for
 * every transaction: on one thread and on every core. Three variants, from the bare primitive to
 * the mempool's path:
 *
 * <ul>
 *   <li>{@code bytes}: {@link Ed25519#verify} on raw key bytes, decoding the key each time;
 *   <li>{@code cachedKey}: {@link Ed25519PublicKey#verify} with the key's decoded point kept, as
 *       for a sender seen before;
 *   <li>{@code decodeAndVerify}: decode the SignedTransaction (protobuf, hash, address) and check
 *       its signature: what admitting one transaction costs before any state is read.
 * </ul>
 *
 * <p>Throughput in operations per second, summed over threads: the all-core figure is the ceiling
 * of a node's signature checking.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SignatureVerifyBenchmark {
  /** Distinct signatures cycled through: more than fit any cache of recent results. */
  private static final int SIGNATURES = 4096;

  private byte[][] encoded;
  private byte[][] publicKeys;
  private Ed25519PublicKey[] keys;
  private byte[][] messages;
  private byte[][] signatures;

  /** Each thread walks the signatures from its own position. */
  @State(Scope.Thread)
  public static class Cursor {
    int next;

    int next() {
      next = (next + 1) & (SIGNATURES - 1);
      return next;
    }
  }

  @Setup(Level.Trial)
  public void sign() throws InvalidTransactionException {
    TransferWorkload workload = TransferWorkload.create("bench", 1024);
    List<byte[]> txs = workload.sign(0, SIGNATURES, 0);
    encoded = txs.toArray(new byte[0][]);
    publicKeys = new byte[SIGNATURES][];
    keys = new Ed25519PublicKey[SIGNATURES];
    messages = new byte[SIGNATURES][];
    signatures = new byte[SIGNATURES][];
    for (int i = 0; i < SIGNATURES; i++) {
      DecodedTransaction tx = TransactionCodec.decode(encoded[i]);
      publicKeys[i] = tx.sender().toByteArray();
      keys[i] = tx.sender();
      messages[i] = tx.signed().getBody().toByteArray();
      signatures[i] = tx.signed().getSignature().toByteArray();
      if (!keys[i].verify(messages[i], signatures[i])) {
        throw new IllegalStateException("benchmark signature " + i + " does not verify");
      }
    }
  }

  @Benchmark
  @Threads(1)
  public boolean bytes(Cursor c) {
    int i = c.next();
    return Ed25519.verify(publicKeys[i], messages[i], signatures[i]);
  }

  @Benchmark
  @Threads(1)
  public boolean cachedKey(Cursor c) {
    int i = c.next();
    return keys[i].verify(messages[i], signatures[i]);
  }

  @Benchmark
  @Threads(Threads.MAX)
  public boolean cachedKeyAllCores(Cursor c) {
    int i = c.next();
    return keys[i].verify(messages[i], signatures[i]);
  }

  @Benchmark
  @Threads(1)
  public boolean decodeAndVerify(Cursor c) throws InvalidTransactionException {
    return TransactionCodec.decode(encoded[c.next()]).hasValidSignature();
  }

  @Benchmark
  @Threads(Threads.MAX)
  public boolean decodeAndVerifyAllCores(Cursor c) throws InvalidTransactionException {
    return TransactionCodec.decode(encoded[c.next()]).hasValidSignature();
  }
}
