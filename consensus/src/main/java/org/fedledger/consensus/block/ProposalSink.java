package org.fedledger.consensus.block;

import java.util.concurrent.CompletableFuture;
import org.fedledger.core.proto.BlockProposal;

/** Where the builder hands proposals: Raft, in production. */
@FunctionalInterface
public interface ProposalSink {
  /**
   * Submits a proposal for ordering. The future completes when the proposal was applied, or
   * exceptionally if it was not accepted (for example because leadership moved).
   */
  CompletableFuture<?> propose(BlockProposal proposal);
}
