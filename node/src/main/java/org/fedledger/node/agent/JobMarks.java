package org.fedledger.node.agent;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.fedledger.core.hash.Hash;

/**
 * What an agent has done or started, per job ("round 3 submitted", "aggregate fetched"), so that
 * each block's step does it once. A job's marks are forgotten once the job no longer concerns the
 * agent, so that a node running job after job keeps only its live jobs' marks.
 */
final class JobMarks {
  private final Map<Hash, Set<String>> byJob = new HashMap<>();

  /** Marks job; false if it already carried this mark. */
  boolean add(Hash job, String mark) {
    return byJob.computeIfAbsent(job, j -> new HashSet<>()).add(mark);
  }

  /** Whether job carries the mark. */
  boolean contains(Hash job, String mark) {
    Set<String> marks = byJob.get(job);
    return marks != null && marks.contains(mark);
  }

  /** Takes a mark back, e.g. after a failure, so that the next step tries again. */
  void remove(Hash job, String mark) {
    Set<String> marks = byJob.get(job);
    if (marks != null) {
      marks.remove(mark);
    }
  }

  /** Forgets every job not in live. */
  void retain(Set<Hash> live) {
    byJob.keySet().retainAll(live);
  }

  /** The jobs with marks, for tests. */
  int jobs() {
    return byJob.size();
  }
}
