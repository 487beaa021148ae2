/**
 * The staking module: tokens an address bonds as a security deposit. Bonded stake weighs the choice
 * of a round's aggregator among validators, backs a participant's place in a training job (where it
 * is locked until the job ends), and is what misbehaviour costs: other modules slash it through the
 * {@link org.fedledger.ledger.staking.StakingKeeper}, and slashed tokens go to the community pool,
 * so the total supply never changes. Unbonded tokens come back after a delay in blocks.
 */
package org.fedledger.ledger.staking;
