package org.fedledger.consensus.mempool;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.fedledger.consensus.app.LedgerApplication;
import org.fedledger.consensus.testing.Chains;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.core.proto.TxBody;
import org.fedledger.ledger.Ledger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Admission never throws, whatever the bytes: it answers with a rejection, and a rejected
 * transaction leaves the pool as it was. Inputs are raw bytes, or transactions whose fields and
 * signature are drawn from the fuzzer's data (half of them validly signed).
 */
class MempoolFuzzTest {
  private static final List<Ed25519KeyPair> ACCOUNTS = Chains.keys(3, 1);
  private static Path dir;
  private static LedgerApplication app;
  private static Mempool mempool;

  @BeforeAll
  static void open() throws IOException {
    dir = Files.createTempDirectory("mempool-fuzz");
    app =
        new LedgerApplication(
            Ledger.open(dir.resolve("ledger"), Chains.genesis(Chains.keys(1, 9), ACCOUNTS)));
    mempool = new Mempool(app, MempoolConfig.defaults().withCapacity(1_000));
  }

  @AfterAll
  static void close() throws IOException {
    mempool.close();
    app.close();
    org.fedledger.core.io.FileTrees.delete(dir);
  }

  @FuzzTest(maxDuration = "20s")
  void admissionAnswersEveryInputWithoutThrowing(FuzzedDataProvider data) {
    byte[] tx;
    if (data.consumeBoolean()) {
      tx = data.consumeRemainingAsBytes();
    } else {
      Ed25519KeyPair sender = ACCOUNTS.get(data.consumeInt(0, ACCOUNTS.size() - 1));
      TxBody.Builder body =
          TxBody.newBuilder()
              .setChainId(data.consumeBoolean() ? Chains.CHAIN_ID : data.consumeString(20))
              .setSenderPublicKey(sender.publicKey().toByteString())
              .setNonce(data.consumeLong())
              .setModule(data.consumeBoolean() ? "bank" : data.consumeString(10))
              .setMessageType(data.consumeBoolean() ? "Transfer" : data.consumeString(10))
              .setPayload(ByteString.copyFrom(data.consumeBytes(200)))
              .setMemo(data.consumeString(300));
      if (data.consumeBoolean()) {
        tx = Chains.sign(body, sender).toByteArray();
      } else {
        tx =
            org.fedledger.core.proto.SignedTransaction.newBuilder()
                .setBody(body.build().toByteString())
                .setSignature(ByteString.copyFrom(data.consumeBytes(64)))
                .build()
                .toByteArray();
      }
    }
    int before = mempool.size();
    List<SubmitResult> results = mempool.submit(List.of(tx));
    assertThat(results).hasSize(1);
    SubmitResult r = results.get(0);
    if (r.accepted()) {
      assertThat(mempool.size()).isEqualTo(before + 1);
      assertThat(mempool.contains(r.txHash())).isTrue();
    } else {
      assertThat(r.rejection()).isNotNull();
      assertThat(r.message()).isNotBlank();
      assertThat(mempool.size()).isEqualTo(before);
    }
  }
}
