package org.fedledger.ledger.training;

import com.google.protobuf.ByteString;
import java.util.TreeMap;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.proto.training.AttestRound;
import org.fedledger.core.proto.training.Attestation;
import org.fedledger.core.proto.training.CommitRound;
import org.fedledger.core.proto.training.Round;

/**
 * Counts of a round's attestations: matching the commit, and the largest other outcome. An outcome
 * is the aggregate hash followed by the server state hash (if any): an attestation matches only if
 * it agrees on both.
 */
record Tally(long matching, long topOtherCount, ByteString topOther) {
  static Tally of(Round round) {
    ByteString committed = outcome(round.getCommit());
    TreeMap<ByteString, Long> counts =
        new TreeMap<>(ByteString.unsignedLexicographicalComparator());
    for (Attestation a : round.getAttestationsList()) {
      counts.merge(a.getAggregateHash().concat(a.getServerStateHash()), 1L, Long::sum);
    }
    long matching = counts.getOrDefault(committed, 0L);
    long top = 0;
    ByteString topOutcome = ByteString.EMPTY;
    for (var e : counts.entrySet()) {
      if (!e.getKey().equals(committed) && e.getValue() > top) {
        top = e.getValue();
        topOutcome = e.getKey();
      }
    }
    return new Tally(matching, top, topOutcome);
  }

  static ByteString outcome(CommitRound c) {
    return c.getAggregateHash().concat(c.getServerStateHash());
  }

  static ByteString outcome(AttestRound a) {
    return a.getAggregateHash().concat(a.getServerStateHash());
  }

  /** "aggregate H" or "aggregate H with server state S". */
  static String describe(ByteString outcome) {
    String aggregate = "aggregate " + TrainingHex.orEmpty(outcome.substring(0, Hash.LENGTH));
    return outcome.size() > Hash.LENGTH
        ? aggregate + " with server state " + TrainingHex.orEmpty(outcome.substring(Hash.LENGTH))
        : aggregate;
  }
}
