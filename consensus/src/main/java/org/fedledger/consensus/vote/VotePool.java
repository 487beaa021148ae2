package org.fedledger.consensus.vote;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import org.fedledger.core.proto.StateRootVote;

/**
 * Votes waiting for the leader to include them in a proposal, one per (height, validator), oldest
 * heights first. Bounded: when full, the oldest votes are dropped, since a node that falls that far
 * behind the leader will vote again on later heights.
 */
public final class VotePool {
  private final int capacity;
  private final TreeMap<Key, StateRootVote> votes = new TreeMap<>();

  /** Recent heights whose block carried no transactions (only votes). */
  private final TreeSet<Long> emptyHeights = new TreeSet<>();

  private static final int EMPTY_HEIGHTS_REMEMBERED = 4096;

  public VotePool(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("vote pool capacity must be at least 1");
    }
    this.capacity = capacity;
  }

  public synchronized void add(StateRootVote vote) {
    votes.put(
        new Key(
            vote.getHeight(), HexFormat.of().formatHex(vote.getValidatorPublicKey().toByteArray())),
        vote);
    while (votes.size() > capacity) {
      votes.pollFirstEntry();
    }
  }

  public synchronized void addAll(Collection<StateRootVote> more) {
    for (StateRootVote v : more) {
      add(v);
    }
  }

  /** Removes and returns up to max votes, oldest heights first. */
  public synchronized List<StateRootVote> take(int max) {
    List<StateRootVote> out = new ArrayList<>(Math.min(max, votes.size()));
    while (out.size() < max && !votes.isEmpty()) {
      out.add(votes.pollFirstEntry().getValue());
    }
    return out;
  }

  public synchronized int size() {
    return votes.size();
  }

  /** Remembers that the block at this height carried no transactions (only votes). */
  public synchronized void noteEmptyBlock(long height) {
    emptyHeights.add(height);
    while (emptyHeights.size() > EMPTY_HEIGHTS_REMEMBERED) {
      emptyHeights.pollFirst();
    }
  }

  /**
   * True if some vote is worth a block of its own: one on a block that carried transactions. Votes
   * on a votes-only block wait for the next block with transactions, so that an idle chain does not
   * produce blocks forever.
   */
  public synchronized boolean hasUrgent() {
    for (Key k : votes.keySet()) {
      if (!emptyHeights.contains(k.height)) {
        return true;
      }
    }
    return false;
  }

  private record Key(long height, String validator) implements Comparable<Key> {
    Key {
      Objects.requireNonNull(validator);
    }

    @Override
    public int compareTo(Key o) {
      int c = Long.compare(height, o.height);
      return c != 0 ? c : validator.compareTo(o.validator);
    }
  }
}
