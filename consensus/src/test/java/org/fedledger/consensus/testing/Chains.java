package org.fedledger.consensus.testing;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.fedledger.consensus.node.PeerAddress;
import org.fedledger.core.address.Address;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.core.proto.SignedTransaction;
import org.fedledger.core.proto.TxBody;
import org.fedledger.core.proto.bank.Transfer;
import org.fedledger.core.tx.TransactionCodec;
import org.fedledger.ledger.Genesis;
import org.fedledger.ledger.ValidatorInfo;

/** Keys, genesis documents and signed transfers for tests, all deterministic from a seed. */
public final class Chains {
  public static final String CHAIN_ID = "fedledger-test";
  public static final long BALANCE = 1_000_000;

  private Chains() {}

  /** n key pairs derived from a seed, so that a failing test can be replayed. */
  public static List<Ed25519KeyPair> keys(int n, int seed) {
    List<Ed25519KeyPair> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      byte[] s = new byte[32];
      s[0] = (byte) seed;
      s[1] = (byte) (i >> 8);
      s[2] = (byte) i;
      s[31] = 7;
      out.add(Ed25519KeyPair.fromSeed(s));
    }
    return out;
  }

  public static Genesis genesis(List<Ed25519KeyPair> validators, List<Ed25519KeyPair> accounts) {
    List<ValidatorInfo> vs = new ArrayList<>();
    for (int i = 0; i < validators.size(); i++) {
      vs.add(new ValidatorInfo(validators.get(i).publicKey(), 1, "127.0.0.1:1", "127.0.0.1:1"));
    }
    return genesisWith(vs, accounts);
  }

  /** A genesis whose validators listen at the given Raft addresses (validator i at peer i). */
  public static Genesis genesisOf(
      List<Ed25519KeyPair> validators, List<PeerAddress> peers, List<Ed25519KeyPair> accounts) {
    List<ValidatorInfo> vs = new ArrayList<>();
    for (int i = 0; i < validators.size(); i++) {
      vs.add(
          new ValidatorInfo(
              validators.get(i).publicKey(), 1, peers.get(i).address(), "127.0.0.1:1"));
    }
    return genesisWith(vs, accounts);
  }

  private static Genesis genesisWith(
      List<ValidatorInfo> validators, List<Ed25519KeyPair> accounts) {
    List<Genesis.Account> as = new ArrayList<>();
    for (Ed25519KeyPair k : accounts) {
      as.add(new Genesis.Account(k.publicKey().address(), BALANCE));
    }
    return new Genesis(
        CHAIN_ID, 1_700_000_000_000L, accounts.get(0).publicKey().address(), validators, as);
  }

  /** The genesis with each of extra also holding BALANCE. */
  public static Genesis alsoFunding(Genesis genesis, List<Address> extra) {
    if (extra.isEmpty()) {
      return genesis;
    }
    List<Genesis.Account> as = new ArrayList<>(genesis.accounts());
    for (Address a : extra) {
      as.add(new Genesis.Account(a, BALANCE));
    }
    return new Genesis(
        genesis.chainId(),
        genesis.genesisTimeMillis(),
        genesis.admin(),
        genesis.validators(),
        as,
        genesis.blockLimits());
  }

  public static TxBody.Builder transferBody(
      Ed25519KeyPair from, long nonce, Address to, long amount) {
    return TxBody.newBuilder()
        .setChainId(CHAIN_ID)
        .setSenderPublicKey(from.publicKey().toByteString())
        .setNonce(nonce)
        .setModule("bank")
        .setMessageType("Transfer")
        .setPayload(
            Transfer.newBuilder()
                .setTo(to.toByteString())
                .setAmount(amount)
                .build()
                .toByteString());
  }

  public static SignedTransaction sign(TxBody.Builder body, Ed25519KeyPair key) {
    return TransactionCodec.sign(body.build(), key);
  }

  public static byte[] transfer(Ed25519KeyPair from, long nonce, Address to, long amount) {
    return sign(transferBody(from, nonce, to, amount), from).toByteArray();
  }

  public static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    new SecureRandom().nextBytes(b);
    return b;
  }

  /** Polls until the condition holds; fails with the message when the timeout passes. */
  public static void await(Duration timeout, String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting for: " + what);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for: " + what, e);
      }
    }
  }
}
