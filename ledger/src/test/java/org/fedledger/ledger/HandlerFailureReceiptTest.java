package org.fedledger.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.fedledger.core.proto.Receipt;
import org.fedledger.core.proto.ReceiptStatus;
import org.fedledger.ledger.execution.Accounts;
import org.fedledger.ledger.execution.BlockExecutor;
import org.fedledger.ledger.execution.ExecutedBlock;
import org.fedledger.ledger.execution.SignatureVerifier;
import org.fedledger.ledger.execution.VerifiedCache;
import org.fedledger.ledger.module.BlockInfo;
import org.fedledger.ledger.module.MessageType;
import org.fedledger.ledger.module.Module;
import org.fedledger.ledger.module.ModuleRegistry;
import org.fedledger.ledger.state.WorldState;
import org.fedledger.ledger.store.MemoryStore;
import org.junit.jupiter.api.Test;

/**
 * A handler that throws (a bug of ours, not a refusal) fails its transaction with a fixed receipt
 * text. The exception's message never reaches the receipt: it can differ between JDKs (helpful
 * NullPointerException texts) and the receipts root, hence the block hash, would then split.
 */
class HandlerFailureReceiptTest {
  /** A module whose one message throws an exception carrying a path and a JDK-worded message. */
  private static final class Crashing implements Module {
    @Override
    public String name() {
      return "crashing";
    }

    @Override
    public List<MessageType<?>> messageTypes() {
      return List.of(
          MessageType.<ByteString>of(
              "Crash",
              payload -> payload,
              (m, ctx) -> {
                throw new IllegalStateException("cannot read /etc/fedledger/node-key.pem");
              }));
    }
  }

  @Test
  void aThrowingHandlerFailsItsTransactionWithAFixedTextThatNamesNoneOfTheCause() {
    BuiltInModules builtIn = BuiltInModules.create();
    List<Module> modules = new ArrayList<>(builtIn.all());
    modules.add(new Crashing());
    ModuleRegistry registry = new ModuleRegistry(modules);
    MemoryStore store = new MemoryStore();
    WorldState state = new WorldState(store);
    Genesis genesis = TestNet.genesis();
    GenesisBuilder.write(genesis, registry.modules(), store, state);
    try (SignatureVerifier verifier = new SignatureVerifier(1, new VerifiedCache(16))) {
      BlockExecutor executor =
          new BlockExecutor(
              genesis.chainId(),
              genesis.blockLimits(),
              registry,
              builtIn.validators(),
              new Accounts(),
              verifier);
      ExecutedBlock executed =
          executor.execute(
              TestNet.proposal(TestNet.message(0, 0, "crashing", "Crash", new byte[] {1})),
              new BlockInfo(genesis.chainId(), 1, TestNet.GENESIS_TIME + 1000, null),
              state,
              height -> Optional.empty(),
              hash -> Optional.empty());

      Receipt receipt = executed.receipts().get(0);
      assertThat(receipt.getStatus()).isEqualTo(ReceiptStatus.FAILED);
      assertThat(receipt.getError()).isEqualTo(BlockExecutor.HANDLER_FAILED);
      assertThat(receipt.getError()).doesNotContain("/etc").doesNotContain("IllegalState");
    }
  }
}
