package org.fedledger.node.testing;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.fedledger.consensus.app.CommittedTx;
import org.fedledger.consensus.mempool.SubmitResult;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.SignedTransaction;
import org.fedledger.core.proto.TxBody;
import org.fedledger.core.proto.training.CommitRound;
import org.fedledger.core.tx.TransactionCodec;
import org.fedledger.learning.io.Safetensors;
import org.fedledger.learning.tensor.Weights;
import org.fedledger.ledger.Ledger;
import org.fedledger.ledger.training.TrainingMessages;
import org.fedledger.node.agent.ChainAccess;
import org.fedledger.node.blob.BlobStore;

/**
 * A compromised validator, for tests: it passes every transaction of an honest validator agent on
 * to its node, except that each {@code CommitRound} leaves with a tampered aggregate. The tampering
 * function is applied to the aggregate the agent computed (read back from the validator's blob
 * store), the result is stored beside it so that owners can fetch it, and the commit is re-signed
 * with the validator's key naming the tampered hash. Verifiers that re-run the round must refuse
 * it.
 *
 * <p>This lives in the test kit rather than in the agent: no product class injects faults.
 */
public final class TamperingChainAccess implements ChainAccess {
  private final ChainAccess node;
  private final Ed25519KeyPair validatorKey;
  private final BlobStore validatorBlobs;
  private final UnaryOperator<Weights> tampering;

  /**
   * @param tampering applied to each committed aggregate; returning equal weights lets that commit
   *     through as the agent wrote it
   */
  public TamperingChainAccess(
      ChainAccess node,
      Ed25519KeyPair validatorKey,
      BlobStore validatorBlobs,
      UnaryOperator<Weights> tampering) {
    this.node = node;
    this.validatorKey = validatorKey;
    this.validatorBlobs = validatorBlobs;
    this.tampering = tampering;
  }

  @Override
  public Ledger ledger() {
    return node.ledger();
  }

  @Override
  public SubmitResult submit(byte[] encodedTransaction) {
    return node.submit(tamper(encodedTransaction));
  }

  @Override
  public Optional<CommittedTx> awaitCommitted(Hash txHash, Duration timeout)
      throws InterruptedException {
    return node.awaitCommitted(txHash, timeout);
  }

  @Override
  public void onBlock(Runnable listener) {
    node.onBlock(listener);
  }

  private byte[] tamper(byte[] encoded) {
    try {
      SignedTransaction signed = SignedTransaction.parseFrom(encoded);
      TxBody body = TxBody.parseFrom(signed.getBody());
      if (!body.getModule().equals(TrainingMessages.MODULE)
          || !body.getMessageType().equals(TrainingMessages.COMMIT_ROUND)) {
        return encoded;
      }
      CommitRound commit = CommitRound.parseFrom(body.getPayload());
      Hash honest = Hash.of(commit.getAggregateHash());
      byte[] honestBlob =
          validatorBlobs
              .read(honest)
              .orElseThrow(() -> new IllegalStateException("aggregate " + honest + " not stored"));
      Hash wrong =
          validatorBlobs.put(Safetensors.write(tampering.apply(Safetensors.read(honestBlob))));
      if (wrong.equals(honest)) {
        return encoded;
      }
      CommitRound lying = commit.toBuilder().setAggregateHash(wrong.toByteString()).build();
      TxBody lyingBody = body.toBuilder().setPayload(lying.toByteString()).build();
      return TransactionCodec.sign(lyingBody, validatorKey).toByteArray();
    } catch (InvalidProtocolBufferException e) {
      return encoded; // not ours to judge: the node refuses it with its own reason
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
