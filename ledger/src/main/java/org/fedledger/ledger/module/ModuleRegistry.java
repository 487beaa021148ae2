package org.fedledger.ledger.module;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.fedledger.core.address.Address;
import org.fedledger.core.tx.ProtobufErrors;
import org.fedledger.core.tx.TxRejection;

/**
 * Routes (module, message type) to a message type; unknown names, and payloads with fields their
 * schema does not declare, fail with a clear reason.
 */
public final class ModuleRegistry {
  private final Map<String, Module> modules = new TreeMap<>();
  private final Map<String, Map<String, MessageType<?>>> routes = new TreeMap<>();

  public ModuleRegistry(List<Module> modules) {
    for (Module m : modules) {
      if (this.modules.putIfAbsent(m.name(), m) != null) {
        throw new IllegalArgumentException("two modules are named " + m.name());
      }
      Map<String, MessageType<?>> types = new TreeMap<>();
      for (MessageType<?> t : m.messageTypes()) {
        if (types.putIfAbsent(t.name(), t) != null) {
          throw new IllegalArgumentException(
              "module " + m.name() + " declares message " + t.name() + " twice");
        }
      }
      routes.put(m.name(), Collections.unmodifiableMap(types));
    }
  }

  /** The modules in name order (genesis runs in this order). */
  public List<Module> modules() {
    return List.copyOf(modules.values());
  }

  /** A decoded message bound to its type, ready to check or execute. */
  public static final class Routed<M> {
    private final MessageType<M> type;
    private final M message;

    private Routed(MessageType<M> type, M message) {
      this.type = type;
      this.message = message;
    }

    public void execute(ExecutionContext ctx) throws TxFailedException {
      type.handler().handle(message, ctx);
    }

    public void checkAdmission(Address sender, QueryContext ctx) throws TxFailedException {
      type.admission().check(message, sender, ctx);
    }

    public M message() {
      return message;
    }
  }

  /** Finds the handler and decodes the payload, or fails with the reason the caller reports. */
  public Routed<?> route(String module, String messageType, ByteString payload)
      throws TxFailedException {
    Map<String, MessageType<?>> types = routes.get(module);
    if (types == null) {
      throw new TxFailedException(
          TxRejection.UNKNOWN_MODULE,
          "no module named '" + module + "'; known modules: " + routes.keySet());
    }
    MessageType<?> type = types.get(messageType);
    if (type == null) {
      throw new TxFailedException(
          TxRejection.UNKNOWN_MESSAGE,
          "module " + module + " has no message '" + messageType + "'; it has " + types.keySet());
    }
    return decode(type, payload);
  }

  private static <M> Routed<M> decode(MessageType<M> type, ByteString payload)
      throws TxFailedException {
    M message;
    try {
      message = type.decoder().decode(payload);
    } catch (InvalidProtocolBufferException e) {
      throw new TxFailedException(
          TxRejection.INVALID_MESSAGE,
          "payload is not a valid " + type.name() + ": " + ProtobufErrors.describe(e));
    }
    if (message instanceof Message m) {
      Optional<String> unknown = UnknownFields.find(m);
      if (unknown.isPresent()) {
        throw new TxFailedException(
            TxRejection.INVALID_MESSAGE,
            "payload of "
                + type.name()
                + " has fields its schema does not declare ("
                + unknown.get()
                + "); send only the fields of fedledger's protos");
      }
    }
    return new Routed<>(type, message);
  }
}
