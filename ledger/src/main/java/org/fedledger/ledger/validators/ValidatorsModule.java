package org.fedledger.ledger.validators;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.fedledger.core.address.Address;
import org.fedledger.core.block.StateRootVotes;
import org.fedledger.core.crypto.Ed25519PublicKey;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.Event;
import org.fedledger.core.proto.StateRootVote;
import org.fedledger.core.proto.validators.AddValidator;
import org.fedledger.core.proto.validators.FaultRecord;
import org.fedledger.core.proto.validators.RemoveValidator;
import org.fedledger.core.proto.validators.ValidatorRecord;
import org.fedledger.core.proto.validators.ValidatorSet;
import org.fedledger.core.tx.TxRejection;
import org.fedledger.ledger.Fault;
import org.fedledger.ledger.Genesis;
import org.fedledger.ledger.ValidatorInfo;
import org.fedledger.ledger.module.Bytes;
import org.fedledger.ledger.module.ExecutionContext;
import org.fedledger.ledger.module.MessageType;
import org.fedledger.ledger.module.Module;
import org.fedledger.ledger.module.ModuleStore;
import org.fedledger.ledger.module.QueryContext;
import org.fedledger.ledger.module.StoreKey;
import org.fedledger.ledger.module.TxFailedException;

/**
 * The validator set and the audit of state roots. State (under "validators/"): {@code set} →
 * ValidatorSet sorted by public key; {@code admin} → the 20-byte admin address; {@code vote/<height
 * 8B><public key 32B>} → the 32-byte root the validator signed; {@code fault_count} → 8 bytes;
 * {@code fault/<sequence 8B>} → FaultRecord; {@code fault_seen/<height 8B><public key 32B><root
 * 32B>} → 1 byte, so that a fault is recorded once.
 *
 * <p>A vote is checked only if it is well-formed, signed by a current validator, and about a
 * committed height; otherwise it is dropped with a {@code VoteRejected} event. A checked vote whose
 * root differs from the one this node computed for the height becomes a {@link Fault} in state and
 * a {@code Fault} event, once per (height, validator, root).
 *
 * <p>Votes stay in state for the last {@link #VOTE_RETENTION_HEIGHTS} heights only: each block
 * deletes the current validators' votes on the height that leaves the window, and removing a
 * validator deletes its votes still in it. State holds them to recognise a re-proposed vote (a new
 * leader may propose again what its predecessor did) and to answer {@link #vote}; the blocks keep
 * every vote for good, and the faults stay in state. A vote on an older height (from a node that
 * replays blocks far behind the leader) is still checked, and is not kept. Kept forever, votes were
 * one key per validator per height: three validators at 33 blocks a second added 8.6 million keys a
 * day to the state tree and to every snapshot a lagging node downloads.
 */
public final class ValidatorsModule implements Module {
  public static final String NAME = "validators";
  public static final String ADD_VALIDATOR = "AddValidator";
  public static final String REMOVE_VALIDATOR = "RemoveValidator";

  /** Event types; the consensus layer reconfigures Raft on the first two. */
  public static final String EVENT_ADDED = "ValidatorAdded";

  public static final String EVENT_REMOVED = "ValidatorRemoved";
  public static final String EVENT_VOTE = "StateRootVote";
  public static final String EVENT_VOTE_REJECTED = "VoteRejected";
  public static final String EVENT_FAULT = "Fault";

  /** True when e is a validator's fault (a signed state root that is not the chain's). */
  public static boolean isFault(Event e) {
    return e.getModule().equals(NAME) && e.getType().equals(EVENT_FAULT);
  }

  /** True when e reports a state-root vote the ledger dropped as invalid. */
  public static boolean isVoteRejected(Event e) {
    return e.getModule().equals(NAME) && e.getType().equals(EVENT_VOTE_REJECTED);
  }

  /**
   * Heights a vote stays in state: long enough to recognise a vote proposed again. Votes reach a
   * block within a few heights of the one they are about, and a leader's unfinished proposals are
   * requeued within an election timeout; 256 heights are 7.7 s at the default 30 ms blocks. A vote
   * that arrives later is still checked, only not kept.
   */
  public static final long VOTE_RETENTION_HEIGHTS = 256;

  private static final byte[] SET = Bytes.utf8("set");
  private static final byte[] ADMIN = Bytes.utf8("admin");
  private static final byte[] VOTE = Bytes.utf8("vote/");
  private static final byte[] FAULT = Bytes.utf8("fault/");
  private static final byte[] FAULT_COUNT = Bytes.utf8("fault_count");
  private static final byte[] FAULT_SEEN = Bytes.utf8("fault_seen/");

  private final StoreKey key = new StoreKey(NAME);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<MessageType<?>> messageTypes() {
    return List.of(
        new MessageType<>(ADD_VALIDATOR, AddValidator::parseFrom, this::add, this::admitAdd),
        new MessageType<>(
            REMOVE_VALIDATOR, RemoveValidator::parseFrom, this::remove, this::admitRemove));
  }

  @Override
  public void initGenesis(Genesis genesis, ExecutionContext ctx) {
    ModuleStore store = ctx.store(key);
    store.put(ADMIN, genesis.admin().toByteArray());
    List<ValidatorRecord> records = new ArrayList<>();
    for (ValidatorInfo v : genesis.validators()) {
      records.add(toRecord(v));
    }
    writeSet(store, records);
  }

  // ---- messages ----

  // Admission runs the same checks as execution, so a change that would fail is refused before it
  // reaches a block and costs nothing, not even a nonce.
  private void admitAdd(AddValidator m, Address sender, QueryContext ctx) throws TxFailedException {
    ModuleStore store = ctx.store(key);
    requireAdmin(sender, store);
    checkAdd(m.getValidator(), readSet(store));
  }

  private void admitRemove(RemoveValidator m, Address sender, QueryContext ctx)
      throws TxFailedException {
    ModuleStore store = ctx.store(key);
    requireAdmin(sender, store);
    checkRemove(m.getPublicKey(), readSet(store));
  }

  private void add(AddValidator m, ExecutionContext ctx) throws TxFailedException {
    ModuleStore store = ctx.store(key);
    requireAdmin(ctx.sender(), store);
    List<ValidatorRecord> set = new ArrayList<>(readSet(store));
    ValidatorInfo v = checkAdd(m.getValidator(), set);
    set.removeIf(r -> r.getPublicKey().equals(m.getValidator().getPublicKey()));
    set.add(toRecord(v));
    writeSet(store, set);
    ctx.events()
        .emit(
            NAME,
            EVENT_ADDED,
            "public_key",
            v.publicKey().toHex(),
            "power",
            Long.toString(v.power()),
            "raft_address",
            v.raftAddress(),
            "api_address",
            v.apiAddress());
  }

  private void remove(RemoveValidator m, ExecutionContext ctx) throws TxFailedException {
    ModuleStore store = ctx.store(key);
    requireAdmin(ctx.sender(), store);
    List<ValidatorRecord> set = new ArrayList<>(readSet(store));
    checkRemove(m.getPublicKey(), set);
    set.removeIf(r -> r.getPublicKey().equals(m.getPublicKey()));
    writeSet(store, set);
    // Its votes still in the window would outlive it: the per-block sweep only visits members.
    for (long h = Math.max(0, ctx.height() - VOTE_RETENTION_HEIGHTS); h < ctx.height(); h++) {
      deleteIfPresent(store, voteKey(h, m.getPublicKey()));
    }
    ctx.events().emit(NAME, EVENT_REMOVED, "public_key", hex(m.getPublicKey()));
  }

  /**
   * Validates an AddValidator's record against the current set: a well-formed record whose Raft
   * address no other validator uses; a validator already in the set may change its power and API
   * address, not its Raft address (its Raft peer would have to move: remove it, then add it).
   */
  private static ValidatorInfo checkAdd(ValidatorRecord r, List<ValidatorRecord> set)
      throws TxFailedException {
    ValidatorInfo v = fromRecord(r);
    RaftAddress address = RaftAddress.parse(v.raftAddress());
    for (ValidatorRecord other : set) {
      boolean same = other.getPublicKey().equals(r.getPublicKey());
      boolean sameAddress = address.equals(parsedOrNull(other.getRaftAddress()));
      if (!same && sameAddress) {
        throw new TxFailedException(
            TxRejection.INVALID_MESSAGE,
            "raft_address "
                + v.raftAddress()
                + " is already used by validator "
                + hex(other.getPublicKey()));
      }
      if (same && !sameAddress) {
        throw new TxFailedException(
            TxRejection.INVALID_MESSAGE,
            "validator "
                + hex(r.getPublicKey())
                + " listens at "
                + other.getRaftAddress()
                + "; to move it to "
                + v.raftAddress()
                + ", remove it first and add it again");
      }
    }
    return v;
  }

  private static void checkRemove(ByteString publicKey, List<ValidatorRecord> set)
      throws TxFailedException {
    if (set.stream().noneMatch(r -> r.getPublicKey().equals(publicKey))) {
      throw new TxFailedException(
          TxRejection.INVALID_MESSAGE,
          "no validator with public key " + hex(publicKey) + " to remove");
    }
    if (set.size() == 1) {
      throw new TxFailedException(
          TxRejection.INVALID_MESSAGE, "cannot remove the last validator; add its successor first");
    }
  }

  private static RaftAddress parsedOrNull(String raftAddress) {
    try {
      return RaftAddress.parse(raftAddress);
    } catch (IllegalArgumentException e) {
      return null; // a genesis record from before addresses were checked: it matches nothing
    }
  }

  private static String hex(ByteString bytes) {
    return java.util.HexFormat.of().formatHex(bytes.toByteArray());
  }

  private static void requireAdmin(Address sender, ModuleStore store) throws TxFailedException {
    byte[] admin = store.get(ADMIN);
    if (admin == null || sender == null || !Arrays.equals(admin, sender.toByteArray())) {
      throw new TxFailedException(
          TxRejection.UNAUTHORIZED, "only the genesis admin may change the validator set");
    }
  }

  // ---- state-root votes ----

  /**
   * Records the proposal's votes, in order, and any faults they reveal; then forgets the votes on
   * the height that leaves the retention window with this block.
   */
  public void processVotes(List<StateRootVote> votes, String chainId, ExecutionContext ctx) {
    ModuleStore store = ctx.store(key);
    List<ValidatorRecord> set = readSet(store);
    for (StateRootVote vote : votes) {
      String reason = rejectionOf(vote, chainId, set, ctx);
      if (reason != null) {
        ctx.events()
            .emit(
                NAME,
                EVENT_VOTE_REJECTED,
                "validator",
                hex(vote.getValidatorPublicKey()),
                "height",
                Long.toUnsignedString(vote.getHeight()),
                "reason",
                reason);
        continue;
      }
      record(vote, store, ctx);
    }
    long expired = ctx.height() - VOTE_RETENTION_HEIGHTS;
    if (expired >= 0) {
      for (ValidatorRecord r : set) {
        deleteIfPresent(store, voteKey(expired, r.getPublicKey()));
      }
    }
  }

  /**
   * Records a valid vote: kept in state if its height is in the window, checked either way. A vote
   * older than the window (a node that was far behind, replaying blocks) is not kept, so each copy
   * of it is reported again; a fault it reveals is recorded once all the same.
   */
  private static void record(StateRootVote vote, ModuleStore store, ExecutionContext ctx) {
    Hash got = Hash.of(vote.getStateRoot());
    if (isKept(vote.getHeight(), ctx)) {
      byte[] voteKey = voteKey(vote.getHeight(), vote.getValidatorPublicKey());
      byte[] previous = store.get(voteKey);
      if (previous != null && Arrays.equals(previous, got.toByteArray())) {
        // The same vote again (a new leader re-proposed it): already recorded, and any fault too.
        return;
      }
      // A second, different root for the same height is recorded over the first: if either
      // differs from ours it is a fault, so an equivocating validator leaves a fault either way.
      store.put(voteKey, got.toByteArray());
    }
    ctx.events()
        .emit(
            NAME,
            EVENT_VOTE,
            "validator",
            hex(vote.getValidatorPublicKey()),
            "height",
            Long.toString(vote.getHeight()),
            "state_root",
            got.toHex());
    Hash expected = ctx.chain().stateRootAt(vote.getHeight()).orElseThrow();
    if (!got.equals(expected)) {
      recordFault(vote, got, expected, store, ctx);
    }
  }

  /** Records that vote's root is not expected, unless this very fault is already on record. */
  private static void recordFault(
      StateRootVote vote, Hash got, Hash expected, ModuleStore store, ExecutionContext ctx) {
    byte[] seenKey =
        Bytes.concat(
            FAULT_SEEN,
            Bytes.ofLong(vote.getHeight()),
            vote.getValidatorPublicKey().toByteArray(),
            got.toByteArray());
    if (store.get(seenKey) != null) {
      return;
    }
    store.put(seenKey, new byte[] {1});
    long seq = store.getLong(FAULT_COUNT);
    FaultRecord fault =
        FaultRecord.newBuilder()
            .setHeight(vote.getHeight())
            .setValidatorPublicKey(vote.getValidatorPublicKey())
            .setExpectedRoot(expected.toByteString())
            .setGotRoot(vote.getStateRoot())
            .setRecordedAtHeight(ctx.height())
            .build();
    store.put(Bytes.concat(FAULT, Bytes.ofLong(seq)), fault.toByteArray());
    store.putLong(FAULT_COUNT, seq + 1);
    ctx.events()
        .emit(
            NAME,
            EVENT_FAULT,
            "validator",
            hex(vote.getValidatorPublicKey()),
            "height",
            Long.toString(vote.getHeight()),
            "expected",
            expected.toHex(),
            "got",
            got.toHex());
  }

  /** Whether votes on height stay in state at the block being executed. */
  private static boolean isKept(long height, ExecutionContext ctx) {
    return height > ctx.height() - VOTE_RETENTION_HEIGHTS;
  }

  /** Why a vote cannot be recorded, or null if it can. */
  private static String rejectionOf(
      StateRootVote vote, String chainId, List<ValidatorRecord> set, ExecutionContext ctx) {
    if (vote.getValidatorPublicKey().size() != Ed25519PublicKey.LENGTH
        || vote.getStateRoot().size() != Hash.LENGTH) {
      return "malformed: public key must be 32 bytes and state root 32 bytes";
    }
    boolean member =
        set.stream().anyMatch(r -> r.getPublicKey().equals(vote.getValidatorPublicKey()));
    if (!member) {
      return "not a validator";
    }
    if (vote.getHeight() < 0 || ctx.chain().stateRootAt(vote.getHeight()).isEmpty()) {
      return "height " + Long.toUnsignedString(vote.getHeight()) + " is not committed";
    }
    if (!StateRootVotes.verify(vote, chainId)) {
      return "bad signature";
    }
    return null;
  }

  // ---- queries ----

  /**
   * True if the key is the genesis admin's or a validator's: the members whose transactions the
   * mempool admits without a balance (see TransactionAdmission).
   */
  public boolean isAdminOrValidator(QueryContext ctx, Ed25519PublicKey sender) {
    byte[] admin = ctx.store(key).get(ADMIN);
    if (admin != null && Arrays.equals(admin, sender.address().toByteArray())) {
      return true;
    }
    return validators(ctx).stream().anyMatch(v -> v.publicKey().equals(sender));
  }

  public List<ValidatorInfo> validators(QueryContext ctx) {
    List<ValidatorInfo> out = new ArrayList<>();
    for (ValidatorRecord r : readSet(ctx.store(key))) {
      out.add(fromStoredRecord(r));
    }
    return out;
  }

  public List<Fault> faults(QueryContext ctx) {
    ModuleStore store = ctx.store(key);
    long count = store.getLong(FAULT_COUNT);
    List<Fault> out = new ArrayList<>();
    for (long i = 0; i < count; i++) {
      FaultRecord f = parse(store.get(Bytes.concat(FAULT, Bytes.ofLong(i))), FaultRecord.parser());
      out.add(
          new Fault(
              f.getHeight(),
              Ed25519PublicKey.of(f.getValidatorPublicKey().toByteArray()),
              Hash.of(f.getExpectedRoot()),
              Hash.of(f.getGotRoot()),
              f.getRecordedAtHeight()));
    }
    return out;
  }

  /**
   * The root validator signed for height, if its vote was recorded and is still kept (the last
   * {@link #VOTE_RETENTION_HEIGHTS} heights; older votes are in the blocks only).
   */
  public Optional<Hash> vote(QueryContext ctx, long height, Ed25519PublicKey validator) {
    byte[] root = ctx.store(key).get(voteKey(height, validator.toByteString()));
    return Optional.ofNullable(root).map(Hash::of);
  }

  // ---- encoding ----

  /** Deleting an absent key would still write a tombstone to the store and visit the tree. */
  private static void deleteIfPresent(ModuleStore store, byte[] key) {
    if (store.get(key) != null) {
      store.delete(key);
    }
  }

  private static byte[] voteKey(long height, ByteString publicKey) {
    return Bytes.concat(VOTE, Bytes.ofLong(height), publicKey.toByteArray());
  }

  private static List<ValidatorRecord> readSet(ModuleStore store) {
    byte[] bytes = store.get(SET);
    return bytes == null ? List.of() : parse(bytes, ValidatorSet.parser()).getValidatorsList();
  }

  private static void writeSet(ModuleStore store, List<ValidatorRecord> records) {
    List<ValidatorRecord> sorted = new ArrayList<>(records);
    sorted.sort(
        Comparator.comparing(
            ValidatorRecord::getPublicKey, ByteString.unsignedLexicographicalComparator()));
    store.put(SET, ValidatorSet.newBuilder().addAllValidators(sorted).build().toByteArray());
  }

  private static <T> T parse(byte[] bytes, com.google.protobuf.Parser<T> parser) {
    try {
      return parser.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("corrupt validators state; restore the data directory", e);
    }
  }

  private static ValidatorRecord toRecord(ValidatorInfo v) {
    return ValidatorRecord.newBuilder()
        .setPublicKey(v.publicKey().toByteString())
        .setPower(v.power())
        .setRaftAddress(v.raftAddress())
        .setApiAddress(v.apiAddress())
        .build();
  }

  private static ValidatorInfo fromStoredRecord(ValidatorRecord r) {
    return new ValidatorInfo(
        Ed25519PublicKey.of(r.getPublicKey().toByteArray()),
        r.getPower(),
        r.getRaftAddress(),
        r.getApiAddress());
  }

  /** Validates an AddValidator's record. */
  private static ValidatorInfo fromRecord(ValidatorRecord r) throws TxFailedException {
    if (r.getPublicKey().size() != Ed25519PublicKey.LENGTH) {
      throw new TxFailedException(
          TxRejection.INVALID_MESSAGE,
          "validator public key must be 32 bytes, got " + r.getPublicKey().size());
    }
    if (r.getPower() < 1) {
      throw new TxFailedException(
          TxRejection.INVALID_MESSAGE,
          "validator power must be between 1 and 2^63-1, got "
              + Long.toUnsignedString(r.getPower()));
    }
    if (r.getRaftAddress().isBlank()) {
      throw new TxFailedException(
          TxRejection.INVALID_MESSAGE, "validator raft_address (host:port) is required");
    }
    try {
      RaftAddress.parse(r.getRaftAddress());
    } catch (IllegalArgumentException e) {
      throw new TxFailedException(
          TxRejection.INVALID_MESSAGE, "validator raft_address: " + e.getMessage());
    }
    return fromStoredRecord(r);
  }
}
