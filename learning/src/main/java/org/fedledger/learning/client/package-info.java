/**
 * One client's work in one round, the same in a simulation and on the chain: {@link
 * org.fedledger.learning.client.ClientStep} trains from the global weights, produces the delta and
 * applies the client's attack if it has one; {@link org.fedledger.learning.client.ClientSeeds}
 * derives its seeds from the run's (or job's) seed, the round and the client's index.
 */
package org.fedledger.learning.client;
