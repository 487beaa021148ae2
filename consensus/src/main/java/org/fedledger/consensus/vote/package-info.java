/**
 * State-root votes: after each applied block a validator signs (chain id, height, state root); the
 * leader pools the votes it receives and includes them in its next proposals, so that the chain
 * records every validator's view of every height and a mismatch becomes evidence of a fault.
 */
package org.fedledger.consensus.vote;
