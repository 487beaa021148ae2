package org.fedledger.learning.aggregate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.fedledger.learning.tensor.NamedTensor;
import org.fedledger.learning.tensor.Weights;

/**
 * What {@link DpEvidence} remembers of each participant from round to round, kept in {@link
 * ServerState} as the buffer {@value #BUFFER} so that a verifier re-derives it from the recorded
 * state of the previous round: one tensor per participant, named by its client id, holding its
 * summed standardized components, the number of rounds summed, and the round it was excluded in (0
 * while it is not). Values are floats, as every state buffer: each round's sum is rounded to float
 * once, so a round re-run from the recorded state gives the same bits.
 */
final class EvidenceBook {
  /** The state buffer's name. */
  static final String BUFFER = "dp-evidence";

  /**
   * One participant's record.
   *
   * @param sum the sum of its standardized components over the rounds counted
   * @param rounds how many rounds that sum covers
   * @param excludedInRound the round from which it is excluded, or 0
   */
  record Entry(float sum, int rounds, int excludedInRound) {
    static final Entry NEW = new Entry(0, 0, 0);

    boolean excluded() {
      return excludedInRound > 0;
    }
  }

  private final SortedMap<String, Entry> entries;

  private EvidenceBook(SortedMap<String, Entry> entries) {
    this.entries = entries;
  }

  /**
   * The book the previous round left in state, or an empty one.
   *
   * @throws IllegalArgumentException if the buffer is not an evidence book
   */
  static EvidenceBook read(ServerState state) {
    TreeMap<String, Entry> entries = new TreeMap<>();
    Weights buffer = state.buffer(BUFFER);
    if (buffer != null) {
      for (NamedTensor t : buffer.tensors()) {
        float[] v = t.values();
        if (v.length != 3 || !(v[1] >= 0) || !(v[2] >= 0) || !Float.isFinite(v[0])) {
          throw new IllegalArgumentException(
              "server state buffer '"
                  + BUFFER
                  + "' holds a malformed entry for "
                  + t.name()
                  + "; pass the state produced by the previous round of this job");
        }
        entries.put(t.name(), new Entry(v[0], (int) v[1], (int) v[2]));
      }
    }
    return new EvidenceBook(entries);
  }

  Entry get(String clientId) {
    return entries.getOrDefault(clientId, Entry.NEW);
  }

  void put(String clientId, Entry entry) {
    entries.put(clientId, entry);
  }

  /**
   * The book as the state buffer, entries in client-id order. The buffer is there even when no one
   * has a record yet (a round with fewer than two updates records none): a node stores a round's
   * state only when it has buffers, and without one the next round would start from an empty state,
   * its round count (the state's step, which exclusion reasons name) back at 1.
   */
  SortedMap<String, Weights> toBuffers() {
    TreeMap<String, Weights> out = new TreeMap<>();
    List<NamedTensor> tensors = new ArrayList<>(entries.size());
    for (Map.Entry<String, Entry> e : entries.entrySet()) {
      Entry v = e.getValue();
      tensors.add(
          new NamedTensor(
              e.getKey(), new long[] {3}, new float[] {v.sum(), v.rounds(), v.excludedInRound()}));
    }
    out.put(BUFFER, new Weights(tensors));
    return out;
  }
}
