package org.fedledger.cli.bench;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.fedledger.consensus.mempool.SubmitResult;
import org.fedledger.consensus.node.ConsensusNode;
import org.fedledger.core.address.Address;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.core.hash.Sha256;
import org.fedledger.core.proto.SignedTransaction;
import org.fedledger.core.proto.TxBody;
import org.fedledger.core.proto.bank.Transfer;
import org.fedledger.core.tx.TransactionCodec;
import org.fedledger.core.tx.TxRejection;

/**
 * One funded key that floods a node with junk at full speed, on one thread, while the benchmark's
 * honest transfers run (issue #21): every kind a member could send for free. Batches of 1,000 mix
 * transfers with a junk signature and an in-window nonce (each costs the node a signature check),
 * validly signed transfers parked behind a nonce gap (admitted up to the sender's share, then
 * expired), nonces far ahead, payloads padded with unknown fields to 60 KiB, transactions for
 * another chain and undecodable bytes, 20,000 of them made in advance and sent round and round (the
 * flooder's CPU is the attacker's, not the node's). Nothing it sends can execute: its nonce 0 is
 * never sent.
 */
final class JunkFlood implements AutoCloseable {
  private static final int BATCH = 1_000;

  /** Distinct junk transactions, made before the flood so that it spends no CPU making them. */
  private static final int PREPARED = 20_000;

  private final Ed25519KeyPair key =
      Ed25519KeyPair.fromSeed(
          Sha256.hash("fedledger/bench/flooder".getBytes(StandardCharsets.UTF_8)).toByteArray());
  private final String chainId;
  private volatile ConsensusNode target;
  private final List<byte[]> parked;
  private final List<byte[]> prepared = new ArrayList<>(PREPARED);
  private final Map<TxRejection, AtomicLong> refused = new EnumMap<>(TxRejection.class);
  private final AtomicLong submitted = new AtomicLong();
  private final AtomicLong admitted = new AtomicLong();
  private final AtomicBoolean stop = new AtomicBoolean();
  private final Thread thread;

  JunkFlood(String chainId) {
    this.chainId = chainId;
    this.parked = new ArrayList<>();
    for (long nonce = 1; nonce < 64; nonce++) {
      parked.add(TransactionCodec.sign(transfer(nonce, 1).build(), key).toByteArray());
    }
    SplittableRandom random = new SplittableRandom(21);
    for (int i = 0; i < PREPARED; i++) {
      prepared.add(junk(i % 10, random));
    }
    for (TxRejection r : TxRejection.values()) {
      refused.put(r, new AtomicLong());
    }
    this.thread = new Thread(this::flood, "junk-flood");
    thread.setDaemon(true);
  }

  /** The flooder's account, which genesis must fund so that its junk passes the funding rule. */
  Address address() {
    return key.publicKey().address();
  }

  /** Floods target until closed. */
  void start(ConsensusNode target) {
    this.target = target;
    thread.start();
  }

  private void flood() {
    int next = 0;
    while (!stop.get()) {
      List<byte[]> batch = prepared.subList(next, next + BATCH);
      next = (next + BATCH) % PREPARED;
      for (SubmitResult r : target.submit(batch)) {
        submitted.incrementAndGet();
        if (r.accepted()) {
          admitted.incrementAndGet();
        } else {
          refused.get(r.rejection()).incrementAndGet();
        }
      }
    }
  }

  private byte[] junk(int kind, SplittableRandom random) {
    switch (kind) {
      case 0:
      case 1:
      case 2:
      case 3: // a random signature: the node must check it to refuse it
        byte[] signature = new byte[64];
        random.nextBytes(signature);
        return SignedTransaction.newBuilder()
            .setBody(
                transfer(1 + random.nextInt(63), 1 + random.nextInt(1_000)).build().toByteString())
            .setSignature(ByteString.copyFrom(signature))
            .build()
            .toByteArray();
      case 4:
        return parked.get(random.nextInt(parked.size()));
      case 5:
        return sign(transfer(1_000 + random.nextInt(1_000_000), 1));
      case 6:
        Transfer padded =
            Transfer.newBuilder()
                .setTo(key.publicKey().address().toByteString())
                .setAmount(1)
                .setUnknownFields(
                    UnknownFieldSet.newBuilder()
                        .addField(
                            99,
                            UnknownFieldSet.Field.newBuilder()
                                .addLengthDelimited(ByteString.copyFrom(new byte[60 * 1024]))
                                .build())
                        .build())
                .build();
        return sign(transfer(1 + random.nextInt(63), 1).setPayload(padded.toByteString()));
      case 7:
        return sign(transfer(1 + random.nextInt(63), 1).setChainId("elsewhere"));
      default:
        byte[] garbage = new byte[200];
        random.nextBytes(garbage);
        return garbage;
    }
  }

  private byte[] sign(TxBody.Builder body) {
    return TransactionCodec.sign(body.build(), key).toByteArray();
  }

  private TxBody.Builder transfer(long nonce, long amount) {
    return TxBody.newBuilder()
        .setChainId(chainId)
        .setSenderPublicKey(key.publicKey().toByteString())
        .setNonce(nonce)
        .setModule(TransferWorkload.BANK)
        .setMessageType(TransferWorkload.TRANSFER)
        .setPayload(
            Transfer.newBuilder()
                .setTo(key.publicKey().address().toByteString())
                .setAmount(amount)
                .build()
                .toByteString());
  }

  /** What the flood sent and how the node answered, e.g. "1200000 sent, 63 admitted, ...". */
  String summary() {
    StringBuilder s =
        new StringBuilder()
            .append(submitted.get())
            .append(" junk transactions sent, ")
            .append(admitted.get())
            .append(" admitted");
    refused.forEach(
        (r, n) -> {
          if (n.get() > 0) {
            s.append(", ").append(n.get()).append(' ').append(r);
          }
        });
    return s.toString();
  }

  @Override
  public void close() throws InterruptedException {
    stop.set(true);
    if (thread.isAlive()) {
      thread.join(60_000);
    }
  }
}
