package org.fedledger.ledger;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.fedledger.core.address.Address;
import org.fedledger.core.block.BlockHashes;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.Block;
import org.fedledger.core.proto.BlockHeader;
import org.fedledger.core.proto.BlockProposal;
import org.fedledger.core.proto.Receipt;
import org.fedledger.core.tx.DecodedTransaction;
import org.fedledger.ledger.bank.BankModule;
import org.fedledger.ledger.blobs.BlobServersModule;
import org.fedledger.ledger.chain.ChainStore;
import org.fedledger.ledger.execution.Accounts;
import org.fedledger.ledger.execution.BlockExecutor;
import org.fedledger.ledger.execution.ExecutedBlock;
import org.fedledger.ledger.execution.SignatureVerifier;
import org.fedledger.ledger.execution.VerifiedCache;
import org.fedledger.ledger.market.MarketModule;
import org.fedledger.ledger.module.BlockInfo;
import org.fedledger.ledger.module.ChainView;
import org.fedledger.ledger.module.Module;
import org.fedledger.ledger.module.ModuleRegistry;
import org.fedledger.ledger.module.QueryContext;
import org.fedledger.ledger.state.StateProof;
import org.fedledger.ledger.state.WorldState;
import org.fedledger.ledger.store.KeyValueStore;
import org.fedledger.ledger.store.MemoryStore;
import org.fedledger.ledger.store.RocksStore;
import org.fedledger.ledger.store.WriteSet;
import org.fedledger.ledger.training.TrainingContracts;
import org.fedledger.ledger.validators.ValidatorsModule;

/**
 * The deterministic application. Consensus replicates {@link BlockProposal}s and hands each
 * committed one to {@link #applyBlock}, the one entry point that changes the ledger: it executes
 * the transactions, derives the block (height, parent, roots) and commits state, block, receipts,
 * transaction index and the consensus marker in one atomic write. Every node that applies the same
 * proposals from the same {@link Genesis} gets the same block hashes and state roots.
 *
 * <p>The mempool asks {@link #checkTransaction}; the API reads through the query methods. Queries
 * are safe from any thread and always see a whole block; {@link #applyBlock} is meant to be called
 * from one thread (it serializes callers anyway).
 */
public final class Ledger implements AutoCloseable {
  /** How far one block's time may run ahead of its parent's: ten minutes. */
  public static final long MAX_BLOCK_TIME_STEP_MILLIS = 10 * 60 * 1000L;

  /**
   * Tuning that does not affect results.
   *
   * @param nonceWindow how far ahead of the account nonce the mempool admits transactions
   * @param verifiedCacheCapacity how many admitted signatures are remembered to skip re-verifying
   * @param verifierThreads threads verifying a block's signatures
   * @param minSenderBalance least balance a sender that is no validator must hold for the mempool
   *     to admit its transactions (admission only; see {@link TransactionAdmission})
   */
  public record Options(
      int nonceWindow, int verifiedCacheCapacity, int verifierThreads, long minSenderBalance) {
    /** The least balance of a sender by default: any funded account. */
    public static final long DEFAULT_MIN_SENDER_BALANCE = 1;

    public Options(int nonceWindow, int verifiedCacheCapacity, int verifierThreads) {
      this(nonceWindow, verifiedCacheCapacity, verifierThreads, DEFAULT_MIN_SENDER_BALANCE);
    }

    public static Options defaults() {
      return new Options(64, 200_000, Runtime.getRuntime().availableProcessors());
    }
  }

  private final KeyValueStore store;
  private final Genesis genesis;
  private final WorldState state;
  private final ChainStore chain;
  private final BankModule bank;
  private final ValidatorsModule validatorsModule;
  private final TrainingContracts contracts;
  private final BlobServersModule blobServers;
  private final MarketModule market;
  private final Accounts accounts = new Accounts();
  private final ModuleRegistry registry;
  private final SignatureVerifier verifier;
  private final BlockExecutor executor;
  private final TransactionAdmission admission;
  private final BlockListeners listeners = new BlockListeners();
  private final ReentrantLock applyLock = new ReentrantLock();
  private final ReentrantReadWriteLock stateLock = new ReentrantReadWriteLock();

  /** The last block's header and hash, replaced together so readers never see a mix. */
  private record Tip(BlockHeader header, Hash hash) {}

  private volatile Tip tip;
  private boolean closed;

  private Ledger(KeyValueStore store, Genesis genesis, Options options) {
    this.store = store;
    this.genesis = genesis;
    this.state = new WorldState(store);
    this.chain = new ChainStore(store);
    BuiltInModules modules = BuiltInModules.create();
    this.bank = modules.bank();
    this.validatorsModule = modules.validators();
    this.contracts = modules.contracts();
    this.market = modules.market();
    this.blobServers = modules.blobServers();
    this.registry = new ModuleRegistry(modules.all());
    VerifiedCache verifiedCache = new VerifiedCache(options.verifiedCacheCapacity());
    this.verifier = new SignatureVerifier(options.verifierThreads(), verifiedCache);
    this.executor =
        new BlockExecutor(
            genesis.chainId(),
            genesis.blockLimits(),
            registry,
            validatorsModule,
            accounts,
            verifier);
    this.admission =
        new TransactionAdmission(
            genesis.chainId(),
            options.nonceWindow(),
            verifiedCache,
            accounts,
            state,
            chain,
            registry,
            bank,
            validatorsModule,
            options.minSenderBalance());
    try {
      LedgerRecovery.writeOrCheckGenesis(genesis, registry, store, chain, state);
      Block last = LedgerRecovery.lastBlock(chain, state);
      this.tip = new Tip(ChainStore.headerOf(last), BlockHashes.hashOf(last));
    } catch (RuntimeException e) {
      verifier.close();
      throw e;
    }
  }

  /**
   * Opens the ledger in dir, creating it from genesis on first use. On reopen the stored genesis
   * must be this genesis; a mismatch is refused with IllegalStateException. dir may also be a
   * directory made by {@link #checkpoint}.
   */
  public static Ledger open(Path dir, Genesis genesis) {
    return open(dir, genesis, Options.defaults());
  }

  public static Ledger open(Path dir, Genesis genesis, Options options) {
    RocksStore store = RocksStore.open(dir);
    try {
      return new Ledger(store, genesis, options);
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  /**
   * Opens the ledger over a store of the caller's (e.g. a {@link
   * org.fedledger.ledger.store.MemoryStore}, or one that records what each block writes), creating
   * it from genesis on first use. The ledger closes the store when it closes.
   */
  public static Ledger open(KeyValueStore store, Genesis genesis, Options options) {
    try {
      return new Ledger(store, genesis, options);
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  /**
   * Replaces dir with a copy of checkpoint (made by {@link #checkpoint}) and opens it: installing a
   * Raft snapshot. The ledger that used dir must be closed first.
   */
  public static Ledger restoreCheckpoint(Path checkpoint, Path dir, Genesis genesis) {
    LedgerRecovery.copyCheckpoint(checkpoint, dir);
    return open(dir, genesis);
  }

  /** The hash of the genesis block this genesis produces; the same on every machine. */
  public static Hash genesisHash(Genesis genesis) {
    try (MemoryStore memory = new MemoryStore()) {
      List<Module> modules = List.of(new BankModule(), new ValidatorsModule());
      return GenesisBuilder.write(
          genesis, new ModuleRegistry(modules).modules(), memory, new WorldState(memory));
    }
  }

  // ---------------------------------------------------------------- apply

  /**
   * The block's time from its proposer's clock, bounded by its parent's. Time never runs backwards,
   * even if a new leader's clock is behind; and a leader whose clock runs ahead (or jumps) moves
   * the chain's time by at most {@link #MAX_BLOCK_TIME_STEP_MILLIS} per block, so one bad clock
   * cannot stamp a block years ahead and leave every later block pinned there. An honest chain idle
   * for longer than the step catches up over the next few blocks.
   */
  static long blockTime(long proposed, long parent) {
    long ceiling =
        parent > Long.MAX_VALUE - MAX_BLOCK_TIME_STEP_MILLIS
            ? Long.MAX_VALUE
            : parent + MAX_BLOCK_TIME_STEP_MILLIS;
    return Math.min(Math.max(proposed, parent), ceiling);
  }

  /**
   * Applies the next committed proposal: executes it, derives and stores the block, and stores
   * consensusMarker (opaque to the ledger, e.g. the Raft term and index) in the same atomic write.
   * Transaction failures are receipts, never exceptions; an exception here means the store failed
   * and the node must stop.
   */
  public BlockResult applyBlock(BlockProposal proposal, byte[] consensusMarker) {
    BlockResult result;
    applyLock.lock();
    try {
      ensureOpen();
      Tip parentTip = tip;
      BlockHeader parent = parentTip.header();
      long height = parent.getHeight() + 1;
      long time = blockTime(proposal.getTimestampMillis(), parent.getTimestampMillis());
      BlockInfo info =
          new BlockInfo(genesis.chainId(), height, time, BlockExecutor.proposerOf(proposal));
      ExecutedBlock executed =
          executor.execute(proposal, info, state, chainView(), chain::txLocation);
      WorldState.Prepared prepared = state.prepare(executed.state());
      AssembledBlock assembled =
          AssembledBlock.of(
              genesis.chainId(), height, time, parentTip.hash(), proposal, executed, prepared);
      WriteSet batch = new WriteSet();
      state.write(prepared, batch);
      assembled.stage(chain, batch, consensusMarker);
      stateLock.writeLock().lock();
      try {
        store.commit(batch);
        state.committed(prepared);
        tip = new Tip(assembled.header(), assembled.hash());
      } finally {
        stateLock.writeLock().unlock();
      }
      result =
          new BlockResult(
              assembled.header(),
              assembled.hash(),
              assembled.block(),
              executed.receipts(),
              executed.blockEvents(),
              executed.validatorSetChanged());
    } finally {
      applyLock.unlock();
    }
    listeners.blockCommitted(result);
    return result;
  }

  /** What was passed with the last applied block; empty before the first block. */
  public byte[] consensusMarker() {
    return read(chain::consensusMarker);
  }

  public void addBlockListener(Consumer<BlockResult> listener) {
    listeners.add(listener);
  }

  // ---------------------------------------------------------------- mempool

  /**
   * Whether the mempool should admit tx, against committed state: not already included, right
   * chain, valid signature (remembered, so applying the block does not verify it again), nonce in
   * [account nonce, account nonce + window), known module and message, decodable payload, and the
   * message's own check (e.g. balance covers a transfer).
   */
  public AdmissionResult checkTransaction(DecodedTransaction tx) {
    // Cheapest first: a junk transaction must cost a node reads, not a signature check (which
    // costs far more than a read, and runs outside the lock).
    Optional<AdmissionResult> rejected = admission.checkChain(tx);
    if (rejected.isPresent()) {
      return rejected.get();
    }
    AdmissionResult verdict = read(() -> admission.checkAgainstState(tx));
    if (!verdict.isOk()) {
      return verdict;
    }
    return admission.checkSignature(tx).orElse(verdict);
  }

  // ---------------------------------------------------------------- queries

  public String chainId() {
    return genesis.chainId();
  }

  public Genesis genesis() {
    return genesis;
  }

  public long height() {
    return tip.header().getHeight();
  }

  public BlockHeader lastHeader() {
    return tip.header();
  }

  public Hash lastBlockHash() {
    return tip.hash();
  }

  /** The state root after the last block (equal to lastHeader's state_root). */
  public Hash stateRoot() {
    return Hash.of(tip.header().getStateRoot());
  }

  public Optional<Block> blockByHeight(long height) {
    return read(() -> chain.block(height));
  }

  public Optional<Block> blockByHash(Hash hash) {
    return read(() -> chain.heightOf(hash).flatMap(chain::block));
  }

  public Optional<BlockHeader> headerByHeight(long height) {
    return read(() -> chain.header(height));
  }

  /** The receipts of a block, in transaction order; empty for an unknown height. */
  public List<Receipt> receipts(long height) {
    return read(() -> ChainRecords.receipts(chain, height));
  }

  /** A transaction by hash, with its receipt and position; empty if never included. */
  public Optional<TxRecord> transaction(Hash hash) {
    return read(() -> ChainRecords.transaction(chain, hash));
  }

  /** Balance and next nonce of an account (zero for one never seen). */
  public AccountView account(Address address) {
    return read(
        () ->
            new AccountView(
                address,
                bank.balance(new QueryContext(state), address),
                accounts.nonce(state, address)));
  }

  /**
   * The next nonce of an account (zero for one never seen): {@link #account}'s without the rest.
   */
  public long accountNonce(Address address) {
    return read(() -> accounts.nonce(state, address));
  }

  public long totalSupply() {
    return read(() -> bank.totalSupply(new QueryContext(state)));
  }

  /**
   * Proof of a state key's value or absence against {@link #stateRoot()}. A block may commit
   * between this call and a later stateRoot(); {@link #anchoredStateProof} returns both at once.
   */
  public StateProof stateProof(byte[] key) {
    return read(() -> state.prove(key));
  }

  /** Proof of a state key with the header it is anchored to, read together. */
  public AnchoredProof anchoredStateProof(byte[] key) {
    return read(() -> new AnchoredProof(tip.header(), state.prove(key)));
  }

  /** The state key of an account's balance, for {@link #stateProof}. */
  public byte[] balanceStateKey(Address address) {
    return bank.balanceStateKey(address);
  }

  /** The state key of an account's nonce, for {@link #stateProof}. */
  public byte[] nonceStateKey(Address address) {
    return accounts.nonceStateKey(address);
  }

  /** The staking, registry and training modules, whose query methods take a QueryContext. */
  public TrainingContracts contracts() {
    return contracts;
  }

  /** The blobs module (members' announced blob servers), whose queries take a QueryContext. */
  public BlobServersModule blobServers() {
    return blobServers;
  }

  /** The market module (offers, channels, claims), whose query methods take a QueryContext. */
  public MarketModule market() {
    return market;
  }

  /**
   * Runs a read-only query on the state after the last block, under the state lock, e.g. {@code
   * ledger.query(q -> ledger.contracts().training().job(q, id))}.
   */
  public <T> T query(Function<QueryContext, T> query) {
    return read(() -> query.apply(new QueryContext(state)));
  }

  /** The current validator set, sorted by public key. */
  public List<ValidatorInfo> validators() {
    return read(() -> validatorsModule.validators(new QueryContext(state)));
  }

  /** Every fault recorded so far, oldest first. */
  public List<Fault> faults() {
    return read(() -> validatorsModule.faults(new QueryContext(state)));
  }

  /**
   * The root validator's vote recorded for height, if any and still kept in state (votes on the
   * last {@link ValidatorsModule#VOTE_RETENTION_HEIGHTS} heights; every vote stays in its block).
   */
  public Optional<Hash> stateRootVote(long height, org.fedledger.core.crypto.Ed25519PublicKey v) {
    return read(() -> validatorsModule.vote(new QueryContext(state), height, v));
  }

  // ---------------------------------------------------------------- snapshots and lifecycle

  /**
   * Writes a consistent copy of the ledger to target (which must not exist), for a Raft snapshot.
   * The copy opens with {@link #open} or installs with {@link #restoreCheckpoint}.
   */
  public void checkpoint(Path target) {
    applyLock.lock();
    try {
      ensureOpen();
      store.checkpoint(target);
    } finally {
      applyLock.unlock();
    }
  }

  @Override
  public void close() {
    applyLock.lock();
    try {
      stateLock.writeLock().lock();
      try {
        if (closed) {
          return;
        }
        closed = true;
        verifier.close();
        store.close();
      } finally {
        stateLock.writeLock().unlock();
      }
    } finally {
      applyLock.unlock();
    }
  }

  // ---------------------------------------------------------------- helpers

  private ChainView chainView() {
    return height -> {
      if (height < 0 || height > tip.header().getHeight()) {
        return Optional.empty();
      }
      return chain.header(height).map(h -> Hash.of(h.getStateRoot()));
    };
  }

  /** Runs a read under the state lock, so it sees one whole block and never a closed store. */
  private <T> T read(Supplier<T> query) {
    stateLock.readLock().lock();
    try {
      ensureOpen();
      return query.get();
    } finally {
      stateLock.readLock().unlock();
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("ledger is closed");
    }
  }
}
