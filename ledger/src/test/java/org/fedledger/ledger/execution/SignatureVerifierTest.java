package org.fedledger.ledger.execution;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.core.proto.SignedTransaction;
import org.fedledger.core.proto.TxBody;
import org.fedledger.core.tx.DecodedTransaction;
import org.fedledger.core.tx.TransactionCodec;
import org.junit.jupiter.api.Test;

class SignatureVerifierTest {
  private static List<DecodedTransaction> mixedBatch() throws Exception {
    byte[] seed = new byte[32];
    seed[3] = 9;
    Ed25519KeyPair key = Ed25519KeyPair.fromSeed(seed);
    List<DecodedTransaction> txs = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      TxBody body =
          TxBody.newBuilder()
              .setChainId("c")
              .setSenderPublicKey(key.publicKey().toByteString())
              .setNonce(i)
              .setModule("bank")
              .setMessageType("Transfer")
              .build();
      SignedTransaction tx = TransactionCodec.sign(body, key);
      if (i % 7 == 0) {
        byte[] sig = tx.getSignature().toByteArray();
        sig[1] ^= 1;
        tx = tx.toBuilder().setSignature(ByteString.copyFrom(sig)).build();
      }
      txs.add(i % 31 == 5 ? null : TransactionCodec.decode(tx));
    }
    return txs;
  }

  private static boolean[] expected(List<DecodedTransaction> txs) {
    boolean[] out = new boolean[txs.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = txs.get(i) != null && txs.get(i).hasValidSignature();
    }
    return out;
  }

  @Test
  void resultsAreTheSameForAnyThreadCount() throws Exception {
    List<DecodedTransaction> txs = mixedBatch();
    boolean[] want = expected(txs);
    assertThat(want).contains(true, false);
    for (int threads : new int[] {1, 2, 4}) {
      try (SignatureVerifier v = new SignatureVerifier(threads, new VerifiedCache(10))) {
        assertThat(v.verify(txs)).as("%d threads", threads).isEqualTo(want);
      }
    }
  }

  @Test
  void onlyCachedTransactionsSkipVerificationAndOnlyOnce() throws Exception {
    List<DecodedTransaction> txs = mixedBatch();
    VerifiedCache cache = new VerifiedCache(10);
    // Pretend admission verified the (actually bad) first transaction: the cache is trusted.
    cache.add(txs.get(0).hash());
    try (SignatureVerifier v = new SignatureVerifier(2, cache)) {
      assertThat(v.verify(txs)[0]).isTrue();
      assertThat(cache.contains(txs.get(0).hash())).isFalse();
      assertThat(v.verify(txs)[0]).as("verified for real the second time").isFalse();
    }
  }

  @Test
  void cacheIsBounded() {
    VerifiedCache cache = new VerifiedCache(3);
    for (int i = 0; i < 10; i++) {
      cache.add(org.fedledger.core.hash.Sha256.hash(new byte[] {(byte) i}));
    }
    assertThat(cache.size()).isEqualTo(3);
    assertThat(cache.contains(org.fedledger.core.hash.Sha256.hash(new byte[] {0}))).isFalse();
    assertThat(cache.contains(org.fedledger.core.hash.Sha256.hash(new byte[] {9}))).isTrue();
  }
}
