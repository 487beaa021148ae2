package org.fedledger.bench.merkle;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.fedledger.cli.bench.TransferWorkload;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.merkle.MerkleTree;
import org.fedledger.core.proto.SignedTransaction;
import org.fedledger.core.tx.TransactionCodec;
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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The per-block hashing outside the state tree, for a full block of {@code txs} transfers: the
 * transaction hashes (SHA-256 of body and signature), and the RFC 6962 Merkle root over them with
 * core's {@link MerkleTree}, which {@code Ledger.applyBlock} computes twice per block (transactions
 * and receipts).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class MerkleBenchmark {
  @Param({"5000"})
  int txs;

  private List<SignedTransaction> transactions;
  private List<Hash> hashes;

  @Setup(Level.Trial)
  public void sign() throws Exception {
    TransferWorkload workload = TransferWorkload.create("bench", 1000);
    transactions = new ArrayList<>(txs);
    hashes = new ArrayList<>(txs);
    for (byte[] encoded : workload.sign(0, txs, 0)) {
      SignedTransaction tx = SignedTransaction.parseFrom(encoded);
      transactions.add(tx);
      hashes.add(TransactionCodec.hashOf(tx));
    }
  }

  @Benchmark
  public void txHashes(Blackhole bh) {
    for (SignedTransaction tx : transactions) {
      bh.consume(TransactionCodec.hashOf(tx));
    }
  }

  @Benchmark
  public Hash coreMerkleRoot() {
    return MerkleTree.root(hashes);
  }
}
