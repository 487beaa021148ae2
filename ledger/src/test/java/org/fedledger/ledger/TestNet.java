package org.fedledger.ledger;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import org.fedledger.core.address.Address;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.core.proto.BlockProposal;
import org.fedledger.core.proto.SignedTransaction;
import org.fedledger.core.proto.StateRootVote;
import org.fedledger.core.proto.TxBody;
import org.fedledger.core.proto.bank.Transfer;
import org.fedledger.core.tx.TransactionCodec;

/** Deterministic keys, a genesis and transaction builders shared by the ledger tests. */
final class TestNet {
  static final String CHAIN = "test-chain";
  static final long GENESIS_TIME = 1_700_000_000_000L;
  static final long INITIAL = 1_000_000;

  private static final java.util.Map<Integer, Ed25519KeyPair> KEYS =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** The key pair of test identity i; cached because deriving a public key is costly. */
  static Ed25519KeyPair key(int i) {
    return KEYS.computeIfAbsent(i, TestNet::derive);
  }

  private static Ed25519KeyPair derive(int i) {
    byte[] seed = new byte[32];
    seed[0] = (byte) i;
    seed[1] = (byte) (i >>> 8);
    seed[31] = 7;
    return Ed25519KeyPair.fromSeed(seed);
  }

  static Address address(int i) {
    return key(i).publicKey().address();
  }

  /** Accounts 0..accounts-1 hold INITIAL each; key 900 is admin; keys 1000.. are validators. */
  static Genesis genesis(int accounts, int validators) {
    List<Genesis.Account> list = new ArrayList<>();
    for (int i = 0; i < accounts; i++) {
      list.add(new Genesis.Account(address(i), INITIAL));
    }
    List<ValidatorInfo> vs = new ArrayList<>();
    for (int i = 0; i < validators; i++) {
      vs.add(
          new ValidatorInfo(
              key(1000 + i).publicKey(), 1, "127.0.0.1:" + (9000 + i), "127.0.0.1:" + (8000 + i)));
    }
    return new Genesis(CHAIN, GENESIS_TIME, address(900), vs, list);
  }

  static Genesis genesis() {
    return genesis(10, 3);
  }

  static TxBody.Builder body(Ed25519KeyPair from, long nonce) {
    return TxBody.newBuilder()
        .setChainId(CHAIN)
        .setSenderPublicKey(from.publicKey().toByteString())
        .setNonce(nonce);
  }

  static SignedTransaction transfer(int from, int to, long amount, long nonce) {
    Transfer t = Transfer.newBuilder().setTo(address(to).toByteString()).setAmount(amount).build();
    return TransactionCodec.sign(
        body(key(from), nonce)
            .setModule("bank")
            .setMessageType("Transfer")
            .setPayload(t.toByteString())
            .build(),
        key(from));
  }

  static SignedTransaction message(int from, long nonce, String module, String type, byte[] p) {
    return TransactionCodec.sign(
        body(key(from), nonce)
            .setModule(module)
            .setMessageType(type)
            .setPayload(ByteString.copyFrom(p))
            .build(),
        key(from));
  }

  static BlockProposal proposal(long time, List<SignedTransaction> txs) {
    return proposal(time, txs, List.of());
  }

  static BlockProposal proposal(long time, List<SignedTransaction> txs, List<StateRootVote> votes) {
    return BlockProposal.newBuilder()
        .setTimestampMillis(time)
        .setProposer(key(1000).publicKey().address().toByteString())
        .addAllTransactions(txs)
        .addAllStateRootVotes(votes)
        .build();
  }

  static BlockProposal proposal(SignedTransaction... txs) {
    return proposal(GENESIS_TIME + 1000, List.of(txs));
  }

  private TestNet() {}
}
