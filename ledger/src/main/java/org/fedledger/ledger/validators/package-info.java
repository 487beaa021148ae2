/**
 * The validators module: the validator set (from genesis, changed only by the admin), state-root
 * votes carried in proposals, and the faults they reveal when a validator's root differs from this
 * node's. Vote signatures are checked by core's {@link org.fedledger.core.block.StateRootVotes},
 * the one place their signed bytes are defined.
 */
package org.fedledger.ledger.validators;
