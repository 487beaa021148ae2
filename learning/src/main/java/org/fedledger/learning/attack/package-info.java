/**
 * Model-poisoning and data-poisoning attacks, for evaluating robust aggregation in simulation:
 * label flipping on a client's data, and sign-flipped, scaled or Gaussian-noise updates. An {@link
 * org.fedledger.learning.attack.Attack} transforms a malicious client's labels before training and
 * its delta after; {@link org.fedledger.learning.attack.MaliciousClients} picks which clients are
 * malicious from a seed.
 */
package org.fedledger.learning.attack;
