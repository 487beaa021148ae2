/**
 * {@code fedledger validator list|add|remove}: the chain's validator set and the Raft group it
 * drives. add and remove send the admin's AddValidator or RemoveValidator transaction; the leader
 * then reconfigures Raft to match (consensus' MembershipSync), which {@code --wait} waits for.
 */
package org.fedledger.cli.validator;
