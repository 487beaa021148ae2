package org.fedledger.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fedledger.core.address.Address;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.Receipt;
import org.fedledger.core.proto.ReceiptStatus;
import org.fedledger.core.proto.SignedTransaction;
import org.fedledger.core.proto.TxBody;
import org.fedledger.core.proto.bank.Transfer;
import org.fedledger.core.tx.TransactionCodec;
import org.fedledger.core.tx.TxRejection;
import org.fedledger.testkit.ed25519.EdgeCase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Transfers signed with the edge-case signatures of "Taming the many EdDSAs" (the test kit's {@link
 * EdgeCase}) from funded accounts: admission and block execution give each the verdict of core's
 * one Ed25519 rule, and a refusal names the rule it breaks and changes nothing.
 */
class EdgeCaseSignatureTest {
  private static final long AMOUNT = 123;

  @org.junit.jupiter.api.io.TempDir Path dir;
  private Ledger ledger;

  @BeforeEach
  void open() {
    ledger = Ledger.open(dir, genesisFundingEveryEdgeCaseKey());
  }

  @AfterEach
  void close() {
    ledger.close();
  }

  /** TestNet's genesis, plus each edge-case key's account funded as the others are. */
  static Genesis genesisFundingEveryEdgeCaseKey() {
    Genesis base = TestNet.genesis();
    List<Genesis.Account> accounts = new ArrayList<>(base.accounts());
    for (EdgeCase c : EdgeCase.values()) {
      Address a = Address.fromPublicKey(c.publicKey());
      if (accounts.stream().noneMatch(x -> x.address().equals(a))) {
        accounts.add(new Genesis.Account(a, TestNet.INITIAL));
      }
    }
    return new Genesis(
        base.chainId(),
        base.genesisTimeMillis(),
        base.admin(),
        base.validators(),
        accounts,
        base.blockLimits());
  }

  /** A transfer of AMOUNT from the case's key to account 1, nonce 0, signed the case's way. */
  static SignedTransaction transfer(EdgeCase c) {
    byte[] body =
        TxBody.newBuilder()
            .setChainId(TestNet.CHAIN)
            .setSenderPublicKey(ByteString.copyFrom(c.publicKey()))
            .setNonce(0)
            .setModule("bank")
            .setMessageType("Transfer")
            .setPayload(
                Transfer.newBuilder()
                    .setTo(TestNet.address(1).toByteString())
                    .setAmount(AMOUNT)
                    .build()
                    .toByteString())
            .build()
            .toByteArray();
    return SignedTransaction.newBuilder()
        .setBody(ByteString.copyFrom(body))
        .setSignature(ByteString.copyFrom(c.sign(body)))
        .build();
  }

  @ParameterizedTest
  @EnumSource(EdgeCase.class)
  void admissionAcceptsWhatTheRuleAcceptsAndNamesTheBrokenRuleOtherwise(EdgeCase c)
      throws Exception {
    AdmissionResult verdict = ledger.checkTransaction(TransactionCodec.decode(transfer(c)));

    if (c.accepted()) {
      assertThat(verdict.isOk()).as(verdict.message()).isTrue();
    } else {
      assertThat(verdict.rejection()).isEqualTo(TxRejection.BAD_SIGNATURE);
      assertThat(verdict.message())
          .startsWith("signature does not verify under sender_public_key: ")
          .containsPattern("\\(rule [2-5]\\)");
    }
  }

  @ParameterizedTest
  @EnumSource(EdgeCase.class)
  void blockExecutionAppliesWhatTheRuleAcceptsAndChangesNothingForTheRest(EdgeCase c) {
    Address sender = Address.fromPublicKey(c.publicKey());
    Hash rootBefore = ledger.stateRoot();

    BlockResult r = ledger.applyBlock(TestNet.proposal(transfer(c)), new byte[0]);

    Receipt receipt = r.receipts().get(0);
    if (c.accepted()) {
      assertThat(receipt.getStatus()).as(receipt.getError()).isEqualTo(ReceiptStatus.OK);
      assertThat(ledger.account(sender))
          .isEqualTo(new AccountView(sender, TestNet.INITIAL - AMOUNT, 1));
    } else {
      assertThat(receipt.getStatus()).isEqualTo(ReceiptStatus.FAILED);
      assertThat(receipt.getError())
          .startsWith("BAD_SIGNATURE: signature does not verify under the sender's key: ")
          .containsPattern("\\(rule [2-5]\\)");
      assertThat(ledger.stateRoot()).as("state root unchanged").isEqualTo(rootBefore);
      assertThat(ledger.account(sender)).isEqualTo(new AccountView(sender, TestNet.INITIAL, 0));
    }
  }
}
