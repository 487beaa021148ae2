package org.fedledger.ledger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.io.FileTrees;
import org.fedledger.core.proto.Block;
import org.fedledger.core.proto.BlockHeader;
import org.fedledger.ledger.chain.ChainStore;
import org.fedledger.ledger.module.ModuleRegistry;
import org.fedledger.ledger.state.WorldState;
import org.fedledger.ledger.store.KeyValueStore;

/**
 * Brings a data directory up for {@link Ledger}: writes genesis on first use, refuses a directory
 * made from another genesis or whose state does not match its last block, and installs checkpoints.
 * Every refusal says what is wrong and what to do.
 */
final class LedgerRecovery {
  private LedgerRecovery() {}

  /**
   * Writes genesis into an empty store, or checks that a used store was created from this genesis.
   */
  static void writeOrCheckGenesis(
      Genesis genesis,
      ModuleRegistry registry,
      KeyValueStore store,
      ChainStore chain,
      WorldState state) {
    Optional<Hash> stored = chain.genesisHash();
    if (stored.isEmpty()) {
      if (chain.height() >= 0) {
        throw new IllegalStateException(
            "data directory has blocks but no genesis hash; it is corrupt, restore it");
      }
      GenesisBuilder.write(genesis, registry.modules(), store, state);
    } else {
      Hash given = Ledger.genesisHash(genesis);
      if (!stored.get().equals(given)) {
        throw new IllegalStateException(
            "data directory was created from genesis "
                + stored.get()
                + " but the given genesis (chain '"
                + genesis.chainId()
                + "') hashes to "
                + given
                + "; start with this network's genesis file, or use an empty data directory");
      }
    }
  }

  /** The last stored block, after checking that the stored state is the one it commits to. */
  static Block lastBlock(ChainStore chain, WorldState state) {
    long height = chain.height();
    Block last =
        chain
            .block(height)
            .orElseThrow(() -> new IllegalStateException("block " + height + " is missing"));
    BlockHeader lastHeader = ChainStore.headerOf(last);
    if (!Hash.of(lastHeader.getStateRoot()).equals(state.root())) {
      throw new IllegalStateException(
          "state root "
              + state.root()
              + " does not match block "
              + height
              + "'s; the data directory is corrupt, restore it or replay from the Raft log");
    }
    return last;
  }

  /** Replaces dir with a copy of checkpoint (made by {@link Ledger#checkpoint}). */
  static void copyCheckpoint(Path checkpoint, Path dir) {
    if (!Files.isDirectory(checkpoint)) {
      throw new IllegalArgumentException("checkpoint " + checkpoint + " is not a directory");
    }
    try {
      FileTrees.delete(dir);
      Files.createDirectories(dir);
      try (Stream<Path> files = Files.list(checkpoint)) {
        for (Path f : files.sorted().toList()) {
          Files.copy(f, dir.resolve(f.getFileName()));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot restore checkpoint " + checkpoint + " into " + dir + ": " + e.getMessage(), e);
    }
  }
}
