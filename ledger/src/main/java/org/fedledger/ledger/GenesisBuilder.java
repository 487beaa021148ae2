package org.fedledger.ledger;

import com.google.protobuf.ByteString;
import java.util.List;
import java.util.Optional;
import org.fedledger.core.block.BlockHashes;
import org.fedledger.core.hash.Hash;
import org.fedledger.core.merkle.MerkleTree;
import org.fedledger.core.proto.Block;
import org.fedledger.core.proto.BlockHeader;
import org.fedledger.ledger.chain.ChainStore;
import org.fedledger.ledger.module.BlockInfo;
import org.fedledger.ledger.module.EventSink;
import org.fedledger.ledger.module.ExecutionContext;
import org.fedledger.ledger.module.Module;
import org.fedledger.ledger.state.StateOverlay;
import org.fedledger.ledger.state.WorldState;
import org.fedledger.ledger.store.KeyValueStore;
import org.fedledger.ledger.store.WriteSet;

/**
 * Writes height 0: every module's genesis state (modules in name order), then a header with parent
 * 32 zero bytes, no proposer and no transactions, whose state root commits to that state. Its hash
 * is the parent of block 1, so the whole chain commits to the genesis allocation.
 */
final class GenesisBuilder {
  private GenesisBuilder() {}

  /** Writes genesis into an empty store and returns the genesis block hash. */
  static Hash write(Genesis genesis, List<Module> modules, KeyValueStore store, WorldState state) {
    ChainStore chain = new ChainStore(store);
    StateOverlay overlay = new StateOverlay(state);
    BlockInfo info = new BlockInfo(genesis.chainId(), 0, genesis.genesisTimeMillis(), null);
    ExecutionContext ctx =
        new ExecutionContext(
            info, null, null, null, overlay, new EventSink(), height -> Optional.empty());
    ChainParams.writeGenesis(genesis, ctx);
    for (Module m : modules) {
      m.initGenesis(genesis, ctx);
    }
    WorldState.Prepared prepared = state.prepare(overlay);
    ByteString emptyRoot = MerkleTree.EMPTY_ROOT.toByteString();
    BlockHeader header =
        BlockHeader.newBuilder()
            .setChainId(genesis.chainId())
            .setHeight(0)
            .setParentHash(Hash.ZERO.toByteString())
            .setTimestampMillis(genesis.genesisTimeMillis())
            .setTxRoot(emptyRoot)
            .setReceiptsRoot(emptyRoot)
            .setStateRoot(prepared.newRoot().toByteString())
            .setTxCount(0)
            .build();
    ByteString headerBytes = header.toByteString();
    Hash hash = BlockHashes.hashOfHeader(headerBytes);
    WriteSet batch = new WriteSet();
    state.write(prepared, batch);
    chain.putBlock(batch, 0, Block.newBuilder().setHeader(headerBytes).build(), hash);
    chain.putGenesisHash(batch, hash);
    store.commit(batch);
    state.committed(prepared);
    return hash;
  }
}
