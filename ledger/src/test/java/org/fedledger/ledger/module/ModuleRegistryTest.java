package org.fedledger.ledger.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.StringValue;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.fedledger.core.tx.TxRejection;
import org.fedledger.ledger.Genesis;
import org.fedledger.ledger.state.StateOverlay;
import org.junit.jupiter.api.Test;

class ModuleRegistryTest {
  /** A module that stores the last string it was sent. */
  private static final class EchoModule implements Module {
    private final StoreKey key;
    private final String name;

    EchoModule(String name) {
      this.name = name;
      this.key = new StoreKey(name);
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public List<MessageType<?>> messageTypes() {
      return List.of(
          MessageType.of(
              "Echo",
              StringValue::parseFrom,
              (m, ctx) -> {
                if (m.getValue().isEmpty()) {
                  throw new TxFailedException(TxRejection.INVALID_MESSAGE, "empty echo");
                }
                ctx.store(key).put("last", m.getValue().getBytes(StandardCharsets.UTF_8));
              }));
    }

    @Override
    public void initGenesis(Genesis genesis, ExecutionContext ctx) {}
  }

  private static ExecutionContext context(StateOverlay state) {
    return new ExecutionContext(
        new BlockInfo("c", 1, 0, null),
        null,
        null,
        null,
        state,
        new EventSink(),
        h -> java.util.Optional.empty());
  }

  @Test
  void routesToTheHandlerWhichWritesUnderItsOwnPrefix() throws Exception {
    ModuleRegistry registry = new ModuleRegistry(List.of(new EchoModule("echo")));
    StateOverlay state = new StateOverlay(key -> null);
    registry.route("echo", "Echo", StringValue.of("hi").toByteString()).execute(context(state));
    assertThat(state.get("echo/last".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo("hi".getBytes(StandardCharsets.UTF_8));
    assertThat(state.changes()).hasSize(1);
  }

  @Test
  void unknownModuleMessageOrPayloadFailWithTheirReason() {
    ModuleRegistry registry = new ModuleRegistry(List.of(new EchoModule("echo")));
    assertThatThrownBy(() -> registry.route("nope", "Echo", ByteString.EMPTY))
        .isInstanceOf(TxFailedException.class)
        .satisfies(
            e -> assertThat(((TxFailedException) e).reason()).isEqualTo(TxRejection.UNKNOWN_MODULE))
        .hasMessageContaining("echo");
    assertThatThrownBy(() -> registry.route("echo", "Shout", ByteString.EMPTY))
        .satisfies(
            e ->
                assertThat(((TxFailedException) e).reason()).isEqualTo(TxRejection.UNKNOWN_MESSAGE))
        .hasMessageContaining("Echo");
    assertThatThrownBy(
            () -> registry.route("echo", "Echo", ByteString.copyFrom(new byte[] {(byte) 0xff})))
        .satisfies(
            e ->
                assertThat(((TxFailedException) e).reason())
                    .isEqualTo(TxRejection.INVALID_MESSAGE));
  }

  @Test
  void duplicateModuleNamesAreRefused() {
    assertThatThrownBy(
            () -> new ModuleRegistry(List.of(new EchoModule("echo"), new EchoModule("echo"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("echo");
  }

  @Test
  void storeKeysRejectNamesThatCouldOverlapAnotherPrefix() {
    assertThatThrownBy(() -> new StoreKey("bank/balance"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new StoreKey("")).isInstanceOf(IllegalArgumentException.class);
    assertThat(new StoreKey("bank").fullKey("x".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo("bank/x".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void queryStoresAreReadOnly() {
    ModuleStore store = new QueryContext(key -> null).store(new StoreKey("bank"));
    assertThat(store.get("anything")).isNull();
    assertThatThrownBy(() -> store.put("k", new byte[1]))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("read-only");
  }
}
