/**
 * The Ratis adaptor: a thin state machine that decodes each committed log entry as a block proposal
 * and applies it through the application with a marker of the entry's term and index, crash-safe
 * snapshots made from the application's checkpoints, and the small wire format that followers use
 * to forward transactions and votes to the leader.
 */
package org.fedledger.consensus.raft;
