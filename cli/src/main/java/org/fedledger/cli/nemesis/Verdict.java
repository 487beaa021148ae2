package org.fedledger.cli.nemesis;

import java.util.List;

/**
 * What the checker found.
 *
 * @param acknowledged transactions the clients saw committed
 * @param unacknowledged transactions submitted whose commit no client saw
 * @param lost acknowledged transactions the chain does not hold
 * @param duplicated transactions the chain holds more than once
 * @param diverged heights at which two nodes hold different blocks or state roots
 * @param violations each violation, saying what and where; empty when the run was clean
 */
record Verdict(
    int acknowledged,
    int unacknowledged,
    int lost,
    int duplicated,
    int diverged,
    List<String> violations) {
  Verdict {
    violations = List.copyOf(violations);
  }

  boolean ok() {
    return violations.isEmpty();
  }
}
