package org.fedledger.consensus.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.fedledger.consensus.mempool.SubmitResult;
import org.fedledger.consensus.node.ConsensusNode;
import org.fedledger.core.address.Address;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.tx.TxRejection;

/**
 * A client that keeps submitting transfers, each sender with consecutive nonces, to whichever node
 * the target supplier names, resubmitting what a full or moving node refused. Remembers every
 * accepted transaction hash.
 */
public final class Load implements AutoCloseable {
  public final ConcurrentLinkedQueue<Hash> accepted = new ConcurrentLinkedQueue<>();
  public final AtomicInteger submitted = new AtomicInteger();
  private final List<Ed25519KeyPair> senders;
  private final Address to;
  private final Supplier<ConsensusNode> target;
  private final int perSender;
  private final Thread thread;
  private volatile boolean running = true;

  public Load(
      List<Ed25519KeyPair> senders, Address to, Supplier<ConsensusNode> target, int perSender) {
    this.senders = senders;
    this.to = to;
    this.target = target;
    this.perSender = perSender;
    this.thread = new Thread(this::run, "test-load");
    this.thread.setDaemon(true);
  }

  public Load start() {
    thread.start();
    return this;
  }

  private void run() {
    long[] next = new long[senders.size()];
    while (running) {
      boolean any = false;
      List<byte[]> batch = new ArrayList<>();
      List<Integer> who = new ArrayList<>();
      for (int s = 0; s < senders.size(); s++) {
        if (next[s] < perSender) {
          batch.add(Chains.transfer(senders.get(s), next[s], to, 1));
          who.add(s);
          any = true;
        }
      }
      if (!any) {
        return;
      }
      ConsensusNode node = target.get();
      List<SubmitResult> results;
      try {
        results = node.submit(batch);
      } catch (RuntimeException e) {
        sleep(50); // the node is closing; try another
        continue;
      }
      submitted.addAndGet(batch.size());
      for (int i = 0; i < results.size(); i++) {
        SubmitResult r = results.get(i);
        if (r.accepted() || r.rejection() == TxRejection.DUPLICATE) {
          if (r.accepted()) {
            accepted.add(r.txHash());
          }
          next[who.get(i)]++;
        } else if (r.rejection() != TxRejection.MEMPOOL_FULL
            && r.rejection() != TxRejection.BAD_NONCE) {
          throw new IllegalStateException("unexpected rejection " + r);
        }
      }
      sleep(15);
    }
  }

  public void join() throws InterruptedException {
    thread.join();
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.join(10_000);
  }
}
