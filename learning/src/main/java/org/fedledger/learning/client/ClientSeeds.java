package org.fedledger.learning.client;

import org.fedledger.learning.simulation.Seeds;

/**
 * Whose step this is: the run's (or the job's) seed, the round and the client's index (in a
 * simulation its number, on the chain its position in the job's member list). The step's seeds
 * derive from these alone, so the same job trains and attacks alike in a simulation and on chain.
 */
public record ClientSeeds(long seed, long round, int client) {
  public ClientSeeds {
    if (round < 1) {
      throw new IllegalArgumentException("rounds count from 1, got " + round);
    }
    if (client < 0) {
      throw new IllegalArgumentException("a client index is 0 or more, got " + client);
    }
  }

  /** Seeds the client's local training (its batch order). */
  public long training() {
    return Seeds.localTraining(seed, round, client);
  }

  /** Seeds a malicious client's update poisoning. */
  public long attack() {
    return Seeds.attack(seed, round, client);
  }
}
