package org.fedledger.ledger.training;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.fedledger.core.address.Address;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.hash.Sha256;
import org.fedledger.core.proto.BlockProposal;
import org.fedledger.core.proto.Receipt;
import org.fedledger.core.proto.ReceiptStatus;
import org.fedledger.core.proto.SignedTransaction;
import org.fedledger.core.proto.TxBody;
import org.fedledger.core.proto.registry.RegisterDataset;
import org.fedledger.core.proto.training.CreateJob;
import org.fedledger.core.proto.training.Job;
import org.fedledger.core.proto.training.Round;
import org.fedledger.core.tx.TransactionCodec;
import org.fedledger.ledger.BlockResult;
import org.fedledger.ledger.Genesis;
import org.fedledger.ledger.Ledger;
import org.fedledger.ledger.ValidatorInfo;
import org.fedledger.ledger.module.Bytes;
import org.fedledger.ledger.module.QueryContext;
import org.fedledger.ledger.store.KeyValueStore;

/**
 * A real {@link Ledger} in a directory driven block by block with signed transactions from
 * deterministic keys: accounts 0..9 and validators 1000..1002 each start with {@link #INITIAL}.
 * Nonces are tracked per key; every applied proposal is kept so another ledger can replay them.
 */
public final class TrainingNet implements AutoCloseable {
  public static final String CHAIN = "training-test";
  public static final long GENESIS_TIME = 1_700_000_000_000L;
  public static final long INITIAL = 1_000_000;
  public static final int ACCOUNTS = 10;
  public static final int VALIDATORS = 3;
  public static final String USE = "model-training:fashion";

  private static final Map<Integer, Ed25519KeyPair> KEYS = new ConcurrentHashMap<>();

  private final Ledger ledger;
  private final Map<Integer, Long> nonces = new TreeMap<>();
  private final List<BlockProposal> applied = new ArrayList<>();
  private long blockMillis = 1000;
  private long lastTime = GENESIS_TIME;

  public TrainingNet(Path dir) {
    this.ledger = Ledger.open(dir, genesis());
  }

  /** A net over a store of the test's own (e.g. one that counts what each block writes). */
  public TrainingNet(KeyValueStore store) {
    this.ledger = Ledger.open(store, genesis(), Ledger.Options.defaults());
  }

  public static Ed25519KeyPair key(int i) {
    return KEYS.computeIfAbsent(
        i,
        boxed -> {
          int n = boxed;
          byte[] seed = new byte[32];
          seed[0] = (byte) n;
          seed[1] = (byte) (n >>> 8);
          seed[31] = 42;
          return Ed25519KeyPair.fromSeed(seed);
        });
  }

  public static Address address(int i) {
    return key(i).publicKey().address();
  }

  public static ByteString bytes(int i) {
    return address(i).toByteString();
  }

  public static List<Integer> validatorIds() {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < VALIDATORS; i++) {
      out.add(1000 + i);
    }
    return out;
  }

  public static Genesis genesis() {
    List<Genesis.Account> accounts = new ArrayList<>();
    for (int i = 0; i < ACCOUNTS; i++) {
      accounts.add(new Genesis.Account(address(i), INITIAL));
    }
    List<ValidatorInfo> validators = new ArrayList<>();
    for (int v : validatorIds()) {
      accounts.add(new Genesis.Account(address(v), INITIAL));
      validators.add(new ValidatorInfo(key(v).publicKey(), 1, "127.0.0.1:1", "127.0.0.1:2"));
    }
    return new Genesis(CHAIN, GENESIS_TIME, address(900), validators, accounts);
  }

  public Ledger ledger() {
    return ledger;
  }

  public List<BlockProposal> applied() {
    return List.copyOf(applied);
  }

  /** Signs a message from key i with its next nonce. */
  public SignedTransaction tx(int i, String module, String type, Message payload) {
    long nonce = nonces.getOrDefault(i, 0L);
    nonces.put(i, nonce + 1);
    TxBody body =
        TxBody.newBuilder()
            .setChainId(CHAIN)
            .setSenderPublicKey(key(i).publicKey().toByteString())
            .setNonce(nonce)
            .setModule(module)
            .setMessageType(type)
            .setPayload(payload.toByteString())
            .build();
    return TransactionCodec.sign(body, key(i));
  }

  /**
   * The time between the blocks made from now on (1 s unless changed): a short one stands for a
   * chain that blocks come fast to, say under a flood of transactions.
   */
  public void setBlockMillis(long millis) {
    blockMillis = millis;
  }

  /** Applies the next block with these transactions. */
  public BlockResult block(List<SignedTransaction> txs) {
    BlockProposal p =
        BlockProposal.newBuilder()
            .setTimestampMillis(lastTime += blockMillis)
            .setProposer(address(1000).toByteString())
            .addAllTransactions(txs)
            .build();
    applied.add(p);
    return ledger.applyBlock(p, new byte[0]);
  }

  public BlockResult block(SignedTransaction... txs) {
    return block(List.of(txs));
  }

  /** Applies empty blocks until the chain is at height. */
  public void advanceTo(long height) {
    while (ledger.height() < height) {
      block();
    }
  }

  /** Sends one message in its own block and returns its receipt. */
  public Receipt send(int i, String module, String type, Message payload) {
    return block(tx(i, module, type, payload)).receipts().get(0);
  }

  /** Sends one message that must succeed. */
  public Receipt ok(int i, String module, String type, Message payload) {
    Receipt r = send(i, module, type, payload);
    assertThat(r.getStatus())
        .as("receipt of %s/%s: %s", module, type, r.getError())
        .isEqualTo(ReceiptStatus.OK);
    return r;
  }

  public <T> T query(Function<QueryContext, T> q) {
    return ledger.query(q);
  }

  public TrainingModule training() {
    return ledger.contracts().training();
  }

  public long balance(Address a) {
    return ledger.account(a).balance();
  }

  public long balance(int i) {
    return balance(address(i));
  }

  public long bonded(int i) {
    return query(q -> ledger.contracts().staking().bonded(q, address(i)));
  }

  public long locked(int i) {
    return query(q -> ledger.contracts().staking().locked(q, address(i)));
  }

  public java.util.Optional<org.fedledger.core.proto.registry.Model> model(String id) {
    return query(q -> ledger.contracts().registry().model(q, id));
  }

  public List<org.fedledger.core.proto.registry.Model> models() {
    return query(q -> ledger.contracts().registry().models(q, 0, 100));
  }

  public List<org.fedledger.core.proto.registry.Model> lineage(String id) {
    return query(q -> ledger.contracts().registry().lineage(q, id));
  }

  public Job job(Hash id) {
    return query(q -> training().job(q, id)).orElseThrow();
  }

  public Round round(Hash id, long r) {
    return query(q -> training().round(q, id, r)).orElseThrow();
  }

  // ---- message builders ----

  public static Hash hash(String s) {
    return Sha256.hash(Bytes.utf8(s));
  }

  public static ByteString hashBytes(String s) {
    return hash(s).toByteString();
  }

  public static RegisterDataset dataset(String id, long samples, String... consent) {
    return RegisterDataset.newBuilder()
        .setDatasetId(id)
        .setCommitmentHash(hashBytes("data:" + id))
        .setSampleCount(samples)
        .setSchema("{\"image\":[28,28],\"label\":10}")
        .setLicence("CC-BY-4.0")
        .addAllConsent(List.of(consent))
        .build();
  }

  public static CreateJob.Builder job(long rounds, long perRound, long reward) {
    String spec = "{\"preset\":\"logreg\",\"inputs\":784,\"classes\":10}";
    return CreateJob.newBuilder()
        .setModelSpec(spec)
        .setSpecHash(Sha256.hash(Bytes.utf8(spec)).toByteString())
        .setInitialWeightsHash(hashBytes("initial-weights"))
        .setRounds(rounds)
        .setParticipantsPerRound(perRound)
        .setStrategy("fedavg")
        .setRequiredUse(USE)
        .setMinStake(1_000)
        .setReward(reward)
        .setRoundBlocks(5)
        .setCommitBlocks(5)
        .setLicence("apache-2.0");
  }

  /** The id of the job created by tx. */
  public static Hash jobId(SignedTransaction createTx) {
    return TrainingModule.jobIdOf(TransactionCodec.hashOf(createTx));
  }

  /** The account id (0..9 or 1000..1002) whose address is a. */
  public static int idOf(ByteString a) {
    for (int i = 0; i < ACCOUNTS; i++) {
      if (bytes(i).equals(a)) {
        return i;
      }
    }
    for (int v : validatorIds()) {
      if (bytes(v).equals(a)) {
        return v;
      }
    }
    throw new IllegalArgumentException("unknown address " + a);
  }

  @Override
  public void close() {
    ledger.close();
  }
}
