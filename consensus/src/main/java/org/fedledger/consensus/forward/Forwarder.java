package org.fedledger.consensus.forward;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.fedledger.consensus.mempool.PooledTx;
import org.fedledger.consensus.raft.ForwardBatch;
import org.fedledger.core.proto.StateRootVote;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a follower's admitted transactions and signed votes to the leader in batches, on one
 * thread, one batch in flight. When sending fails (no leader yet, leader just crashed) the batch is
 * kept and retried; the transactions also stay in this node's mempool, so they are forwarded again
 * after a leader change, or included by this node if it becomes leader.
 */
public final class Forwarder implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Forwarder.class);
  private static final long RETRY_MILLIS = 200;

  /** Supplies the current client; it changes when membership changes. */
  public interface ClientSource {
    RaftClient client();
  }

  private final ClientSource clients;
  private final BooleanSupplier isLeader;
  private final int maxBatchTxs;
  private final int maxQueuedTxs;
  private final ConcurrentLinkedQueue<byte[]> txs = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queuedTxs = new AtomicInteger();
  private final ConcurrentLinkedQueue<StateRootVote> votes = new ConcurrentLinkedQueue<>();
  private final Semaphore work = new Semaphore(0);
  private final Thread thread;
  private volatile boolean running = true;

  public Forwarder(ClientSource clients, BooleanSupplier isLeader, int maxBatchTxs, int maxQueued) {
    this.clients = clients;
    this.isLeader = isLeader;
    this.maxBatchTxs = maxBatchTxs;
    this.maxQueuedTxs = maxQueued;
    this.thread = new Thread(this::loop, "forwarder");
    this.thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  public void enqueueTxs(List<PooledTx> admitted) {
    for (PooledTx tx : admitted) {
      if (queuedTxs.get() >= maxQueuedTxs) {
        // They stay in the mempool and are forwarded again after the next leader change.
        LOG.warn("forward queue is full ({}); the rest waits in the mempool", maxQueuedTxs);
        break;
      }
      txs.add(tx.signed().toByteArray());
      queuedTxs.incrementAndGet();
    }
    work.release();
  }

  public void enqueueVote(StateRootVote vote) {
    votes.add(vote);
    work.release();
  }

  /** Transactions and votes waiting to be sent. */
  public int queued() {
    return queuedTxs.get() + votes.size();
  }

  private void loop() {
    List<byte[]> batchTxs = new ArrayList<>();
    List<StateRootVote> batchVotes = new ArrayList<>();
    while (running) {
      try {
        work.tryAcquire(50, TimeUnit.MILLISECONDS);
        work.drainPermits();
        if (isLeader.getAsBoolean()) {
          // The leader feeds its own pools directly; whatever was queued before it won the
          // election is already in its mempool.
          drop();
          batchTxs.clear();
          batchVotes.clear();
          continue;
        }
        while (batchTxs.size() < maxBatchTxs) {
          byte[] tx = txs.poll();
          if (tx == null) {
            break;
          }
          queuedTxs.decrementAndGet();
          batchTxs.add(tx);
        }
        for (StateRootVote v; (v = votes.poll()) != null; ) {
          batchVotes.add(v);
        }
        if (batchTxs.isEmpty() && batchVotes.isEmpty()) {
          continue;
        }
        if (send(new ForwardBatch(batchTxs, batchVotes))) {
          batchTxs.clear();
          batchVotes.clear();
          if (!txs.isEmpty()) {
            work.release();
          }
        } else {
          Thread.sleep(RETRY_MILLIS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        LOG.error("forwarding failed; retrying", e);
      }
    }
  }

  private boolean send(ForwardBatch batch) {
    try {
      RaftClientReply reply =
          clients
              .client()
              .io()
              .sendReadOnly(Message.valueOf(UnsafeByteOperations.unsafeWrap(batch.encode())));
      if (!reply.isSuccess()) {
        LOG.info("leader refused a forward batch: {}", reply.getException().toString());
        return false;
      }
      return true;
    } catch (IOException | RuntimeException e) {
      LOG.info(
          "could not forward {} txs and {} votes to the leader ({}); retrying",
          batch.txs().size(),
          batch.votes().size(),
          e.toString());
      return false;
    }
  }

  private void drop() {
    for (; txs.poll() != null; ) {
      queuedTxs.decrementAndGet();
    }
    votes.clear();
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
