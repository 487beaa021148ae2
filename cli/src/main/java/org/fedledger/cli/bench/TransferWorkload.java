package org.fedledger.cli.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.fedledger.core.address.Address;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.core.hash.Sha256;
import org.fedledger.core.proto.TxBody;
import org.fedledger.core.proto.bank.Transfer;
import org.fedledger.core.tx.TransactionCodec;
import org.fedledger.ledger.Genesis;

/**
 * A reproducible load of bank transfers: {@code accounts} funded accounts with deterministic keys,
 * and transfers that go round-robin over the senders, each sender's transfers carrying consecutive
 * nonces. Round-robin spreads a block over many senders, as real traffic would, instead of one
 * sender's long nonce chain.
 *
 * <p>Transfer {@code i} (counting from 0) is sent by account {@code i % accounts} with nonce {@code
 * firstNonce + i / accounts}, to another account, for 1 token: every transfer succeeds as long as
 * each account was funded with at least its share of transfers.
 */
public final class TransferWorkload {
  /** Module and message of a bank transfer, as the ledger's bank module names them. */
  static final String BANK = "bank";

  static final String TRANSFER = "Transfer";

  private final String chainId;
  private final List<Ed25519KeyPair> keys;
  private final List<Address> addresses;

  private TransferWorkload(String chainId, List<Ed25519KeyPair> keys) {
    this.chainId = chainId;
    this.keys = keys;
    this.addresses = keys.stream().map(k -> k.publicKey().address()).toList();
  }

  /** The workload of chainId with accounts deterministic key pairs (derived in parallel). */
  public static TransferWorkload create(String chainId, int accounts) {
    if (accounts < 2) {
      throw new IllegalArgumentException("a transfer workload needs at least 2 accounts");
    }
    List<Ed25519KeyPair> keys =
        IntStream.range(0, accounts).parallel().mapToObj(TransferWorkload::accountKey).toList();
    return new TransferWorkload(chainId, keys);
  }

  /** The key of benchmark account i: seeded from its index, so every run uses the same accounts. */
  static Ed25519KeyPair accountKey(int i) {
    byte[] seed =
        Sha256.hash(("fedledger/bench/account/" + i).getBytes(StandardCharsets.UTF_8))
            .toByteArray();
    return Ed25519KeyPair.fromSeed(seed);
  }

  public String chainId() {
    return chainId;
  }

  public int accounts() {
    return keys.size();
  }

  public List<Address> addresses() {
    return addresses;
  }

  /** Genesis entries giving every account balance tokens. */
  public List<Genesis.Account> genesisAccounts(long balance) {
    List<Genesis.Account> out = new ArrayList<>(addresses.size());
    for (Address a : addresses) {
      out.add(new Genesis.Account(a, balance));
    }
    return out;
  }

  /**
   * Encoded, signed SignedTransactions for transfers [from, from + count), every account's nonces
   * starting at firstNonce. Signs on all cores; the result is in transfer order.
   */
  public List<byte[]> sign(long from, int count, long firstNonce) {
    return IntStream.range(0, count)
        .parallel()
        .mapToObj(k -> transfer(from + k, firstNonce))
        .toList();
  }

  /** Transfer number i, encoded and signed. */
  public byte[] transfer(long i, long firstNonce) {
    int n = keys.size();
    int sender = (int) (i % n);
    long round = i / n;
    // Recipient: a different account, varying with the round so that balances move around.
    int recipient = (int) ((sender + 1 + round % (n - 1)) % n);
    Transfer payload =
        Transfer.newBuilder().setTo(addresses.get(recipient).toByteString()).setAmount(1).build();
    TxBody body =
        TxBody.newBuilder()
            .setChainId(chainId)
            .setSenderPublicKey(keys.get(sender).publicKey().toByteString())
            .setNonce(firstNonce + round)
            .setModule(BANK)
            .setMessageType(TRANSFER)
            .setPayload(payload.toByteString())
            .build();
    return TransactionCodec.sign(body, keys.get(sender)).toByteArray();
  }
}
