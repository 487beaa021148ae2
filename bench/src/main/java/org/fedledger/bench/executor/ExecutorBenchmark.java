package org.fedledger.bench.executor;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.fedledger.cli.bench.TransferWorkload;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.core.io.FileTrees;
import org.fedledger.core.proto.BlockProposal;
import org.fedledger.core.proto.Receipt;
import org.fedledger.core.proto.ReceiptStatus;
import org.fedledger.core.proto.SignedTransaction;
import org.fedledger.core.tx.TransactionCodec;
import org.fedledger.ledger.AdmissionResult;
import org.fedledger.ledger.BlockResult;
import org.fedledger.ledger.Genesis;
import org.fedledger.ledger.Ledger;
import org.fedledger.ledger.ValidatorInfo;
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
 * {@code Ledger.applyBlock} of a block of {@code txs} bank transfers on a real ledger (RocksDB in a
 * temporary directory): decode, signature checks on all cores, nonces, balances, receipts, the
 * state tree, tx and receipt roots, and the atomic write. Divide {@code txs} by the time per block
 * for the executor's ceiling in transfers per second.
 *
 * <p>{@code admitted=false} is a follower, which verifies every signature while applying; {@code
 * admitted=true} is the leader, whose mempool already verified them ({@code checkTransaction} runs
 * in the per-invocation setup and fills the ledger's verified cache), so the difference is the cost
 * of verification.
 *
 * <p>Each invocation applies the next block of a round-robin workload over {@code accounts}
 * senders: signing it happens in the setup, outside the measurement, and the previous block's
 * receipts are checked there too, so a benchmark of failing transactions cannot pass unnoticed.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ExecutorBenchmark {
  @Param({"5000"})
  int txs;

  @Param({"1000"})
  int accounts;

  @Param({"false", "true"})
  boolean admitted;

  private Path dir;
  private Ledger ledger;
  private TransferWorkload workload;
  private long nextTransfer;
  private BlockProposal proposal;
  private BlockResult last;

  @Setup(Level.Trial)
  public void open() throws IOException {
    dir = Files.createTempDirectory("fedledger-bench-executor");
    workload = TransferWorkload.create("bench", accounts);
    Ed25519KeyPair validator = Ed25519KeyPair.fromSeed(new byte[32]);
    Genesis genesis =
        new Genesis(
            "bench",
            0L,
            validator.publicKey().address(),
            List.of(new ValidatorInfo(validator.publicKey(), 1, "127.0.0.1:1", "127.0.0.1:2")),
            workload.genesisAccounts(1_000_000_000L));
    ledger = Ledger.open(dir.resolve("ledger"), genesis);
  }

  @Setup(Level.Invocation)
  public void nextBlock() throws Exception {
    requireAllOk(last);
    List<byte[]> encoded = workload.sign(nextTransfer, txs, 0);
    nextTransfer += txs;
    List<SignedTransaction> signed = new ArrayList<>(txs);
    for (byte[] e : encoded) {
      signed.add(SignedTransaction.parseFrom(e));
    }
    if (admitted) {
      encoded.parallelStream().forEach(this::admit);
    }
    proposal =
        BlockProposal.newBuilder()
            .setTimestampMillis(ledger.height() + 1)
            .setProposer(ByteString.copyFrom(new byte[20]))
            .addAllTransactions(signed)
            .build();
  }

  private void admit(byte[] encoded) {
    try {
      AdmissionResult r = ledger.checkTransaction(TransactionCodec.decode(encoded));
      if (!r.isOk()) {
        throw new IllegalStateException("benchmark transfer refused: " + r.message());
      }
    } catch (org.fedledger.core.tx.InvalidTransactionException e) {
      throw new IllegalStateException("benchmark transfer does not decode", e);
    }
  }

  @Benchmark
  public BlockResult applyBlock() {
    last = ledger.applyBlock(proposal, longBytes(ledger.height() + 1));
    return last;
  }

  @TearDown(Level.Trial)
  public void close() throws IOException {
    requireAllOk(last);
    ledger.close();
    FileTrees.delete(dir);
  }

  private static void requireAllOk(BlockResult result) {
    if (result == null) {
      return;
    }
    for (Receipt r : result.receipts()) {
      if (r.getStatus() != ReceiptStatus.OK) {
        throw new IllegalStateException(
            "a benchmark transfer failed at height " + result.height() + ": " + r.getError());
      }
    }
  }

  private static byte[] longBytes(long v) {
    byte[] out = new byte[8];
    for (int i = 0; i < 8; i++) {
      out[i] = (byte) (v >>> (56 - 8 * i));
    }
    return out;
  }
}
