/**
 * The validators module: the validator set (from genesis, changed only by the admin), state-root
 * votes carried in proposals, and the faults they reveal when a validator's root differs from this
 * node's. {@link org.fedledger.ledger.validators.StateRootVotes} is the one place the vote's signed
 * bytes are defined.
 */
package org.fedledger.ledger.validators;
