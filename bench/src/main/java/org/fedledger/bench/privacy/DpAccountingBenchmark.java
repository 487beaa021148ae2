package org.fedledger.bench.privacy;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.core.hash.Sha256;
import org.fedledger.core.io.FileTrees;
import org.fedledger.core.proto.BlockProposal;
import org.fedledger.core.proto.Receipt;
import org.fedledger.core.proto.ReceiptStatus;
import org.fedledger.core.proto.SignedTransaction;
import org.fedledger.core.proto.TxBody;
import org.fedledger.core.proto.registry.PrivacyBudget;
import org.fedledger.core.proto.registry.RegisterDataset;
import org.fedledger.core.proto.training.CreateJob;
import org.fedledger.core.proto.training.DpParams;
import org.fedledger.core.proto.training.JoinJob;
import org.fedledger.core.proto.training.StartJob;
import org.fedledger.core.proto.training.SubmitUpdate;
import org.fedledger.core.tx.TransactionCodec;
import org.fedledger.ledger.BlockResult;
import org.fedledger.ledger.Genesis;
import org.fedledger.ledger.Ledger;
import org.fedledger.ledger.ValidatorInfo;
import org.fedledger.ledger.training.TrainingModule;
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
 * {@code Ledger.applyBlock} of one block of a training job on a real ledger, with and without DP:
 * {@code block=join}, every owner's JoinJob (a DP job reserves its epsilon on each dataset's
 * budget), or {@code block=round}, every selected owner's SubmitUpdate of round 1 (a DP job spends
 * each dataset's cumulative epsilon, and the first update of the round computes the job's schedule
 * entry with the accountant). Each invocation starts from a fresh ledger prepared in the setup,
 * outside the measurement: datasets registered (with budgets for DP), the job created, and for
 * {@code round} joined and started. The difference between {@code dp=true} and {@code dp=false} is
 * what on-chain privacy accounting adds to a block.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DpAccountingBenchmark {
  private static final String CHAIN = "bench-dp";
  private static final String USE = "model-training:bench";

  @Param({"false", "true"})
  boolean dp;

  @Param({"join", "round"})
  String block;

  @Param({"10"})
  int owners;

  private final List<Ed25519KeyPair> keys = new ArrayList<>();
  private long[] nonces;
  private Path dir;
  private Ledger ledger;
  private BlockProposal proposal;
  private BlockResult last;

  @Setup(Level.Trial)
  public void keys() {
    // Key 0 is the sponsor and the validator, 1..owners the data owners.
    for (int i = 0; i <= owners; i++) {
      byte[] seed = new byte[32];
      seed[0] = (byte) i;
      seed[31] = 7;
      keys.add(Ed25519KeyPair.fromSeed(seed));
    }
  }

  @Setup(Level.Invocation)
  public void freshLedgerUpToTheBlock() throws IOException {
    dir = Files.createTempDirectory("fedledger-bench-dp");
    nonces = new long[keys.size()];
    List<Genesis.Account> accounts = new ArrayList<>();
    for (Ed25519KeyPair k : keys) {
      accounts.add(new Genesis.Account(k.publicKey().address(), 1_000_000_000L));
    }
    Ed25519KeyPair validator = keys.get(0);
    ledger =
        Ledger.open(
            dir.resolve("ledger"),
            new Genesis(
                CHAIN,
                0L,
                validator.publicKey().address(),
                List.of(new ValidatorInfo(validator.publicKey(), 1, "127.0.0.1:1", "127.0.0.1:2")),
                accounts));
    List<SignedTransaction> setup = new ArrayList<>();
    for (int i = 1; i <= owners; i++) {
      setup.add(tx(i, "registry", "RegisterDataset", dataset(i)));
    }
    SignedTransaction create = tx(0, "training", "CreateJob", job());
    setup.add(create);
    apply(setup);
    ByteString jobId = TrainingModule.jobIdOf(TransactionCodec.hashOf(create)).toByteString();
    List<SignedTransaction> joins = new ArrayList<>();
    for (int i = 1; i <= owners; i++) {
      joins.add(
          tx(
              i,
              "training",
              "JoinJob",
              JoinJob.newBuilder()
                  .setJobId(jobId)
                  .setDatasetId("ds-" + i)
                  .setStake(1_000)
                  .build()));
    }
    if (block.equals("join")) {
      proposal = proposal(joins);
      return;
    }
    apply(joins);
    apply(List.of(tx(0, "training", "StartJob", StartJob.newBuilder().setJobId(jobId).build())));
    List<SignedTransaction> updates = new ArrayList<>();
    for (int i = 1; i <= owners; i++) {
      updates.add(
          tx(
              i,
              "training",
              "SubmitUpdate",
              SubmitUpdate.newBuilder()
                  .setJobId(jobId)
                  .setRound(1)
                  .setUpdateHash(hash("update " + i))
                  .setSampleCount(1_000)
                  .setTrainLoss(500_000)
                  .setBlobLocation("http://127.0.0.1:1/blobs/" + i)
                  .build()));
    }
    proposal = proposal(updates);
  }

  @Benchmark
  public BlockResult applyBlock() {
    last = ledger.applyBlock(proposal, new byte[0]);
    return last;
  }

  @TearDown(Level.Invocation)
  public void close() throws IOException {
    requireAllOk(last);
    ledger.close();
    FileTrees.delete(dir);
  }

  private RegisterDataset dataset(int i) {
    RegisterDataset.Builder d =
        RegisterDataset.newBuilder()
            .setDatasetId("ds-" + i)
            .setCommitmentHash(hash("data " + i))
            .setSampleCount(1_000)
            .setLicence("CC-BY-4.0")
            .addConsent(USE);
    if (dp) {
      d.setPrivacyBudget(
          PrivacyBudget.newBuilder().setEpsilonMicros(8_000_000).setDeltaPerTrillion(100_000_000));
    }
    return d.build();
  }

  private CreateJob job() {
    String spec = "{\"preset\":\"logreg\",\"inputs\":784,\"classes\":10}";
    CreateJob.Builder j =
        CreateJob.newBuilder()
            .setModelSpec(spec)
            .setSpecHash(Sha256.hash(spec.getBytes(StandardCharsets.UTF_8)).toByteString())
            .setInitialWeightsHash(hash("initial"))
            .setRounds(20)
            .setParticipantsPerRound(owners)
            .setStrategy("fedavg")
            .setRequiredUse(USE)
            .setMinStake(1_000)
            .setReward(1_000_000)
            .setRoundBlocks(100)
            .setCommitBlocks(100);
    if (dp) {
      // Fashion-MNIST-like: 600 of 60,000 records a batch, 100 steps a round, epsilon ~3 in 20.
      j.setDp(
          DpParams.newBuilder()
              .setClipNormMicros(1_000_000)
              .setNoiseMultiplierMicros(1_100_000)
              .setSampleRatePpm(10_000)
              .setLocalSteps(100)
              .setDeltaPerTrillion(10_000_000));
    }
    return j.build();
  }

  private SignedTransaction tx(int key, String module, String type, Message payload) {
    TxBody body =
        TxBody.newBuilder()
            .setChainId(CHAIN)
            .setSenderPublicKey(keys.get(key).publicKey().toByteString())
            .setNonce(nonces[key]++)
            .setModule(module)
            .setMessageType(type)
            .setPayload(payload.toByteString())
            .build();
    return TransactionCodec.sign(body, keys.get(key));
  }

  private BlockProposal proposal(List<SignedTransaction> txs) {
    return BlockProposal.newBuilder()
        .setTimestampMillis(ledger.height() + 1)
        .setProposer(keys.get(0).publicKey().address().toByteString())
        .addAllTransactions(txs)
        .build();
  }

  private void apply(List<SignedTransaction> txs) {
    requireAllOk(ledger.applyBlock(proposal(txs), new byte[0]));
  }

  private static ByteString hash(String s) {
    return Sha256.hash(s.getBytes(StandardCharsets.UTF_8)).toByteString();
  }

  private static void requireAllOk(BlockResult result) {
    if (result == null) {
      return;
    }
    for (Receipt r : result.receipts()) {
      if (r.getStatus() != ReceiptStatus.OK) {
        throw new IllegalStateException(
            "a benchmark transaction failed at height " + result.height() + ": " + r.getError());
      }
    }
  }
}
