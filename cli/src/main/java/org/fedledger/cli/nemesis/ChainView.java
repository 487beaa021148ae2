package org.fedledger.cli.nemesis;

import java.util.List;

/**
 * One node's chain as the checker reads it after a run: every block it has, the sum of the funded
 * accounts' balances, and the faults (state roots signed differently by validators) it recorded.
 */
record ChainView(String nodeId, List<Block> blocks, long supply, List<String> faults) {
  ChainView {
    blocks = List.copyOf(blocks);
    faults = List.copyOf(faults);
  }

  /** A block's identity and its transactions' hashes, in order. */
  record Block(
      long height, String hash, String stateRoot, long timestampMillis, List<String> txHashes) {
    Block {
      txHashes = List.copyOf(txHashes);
    }
  }

  long height() {
    return blocks.isEmpty() ? 0 : blocks.get(blocks.size() - 1).height();
  }
}
