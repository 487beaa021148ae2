package org.fedledger.ledger.module;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.Objects;
import org.fedledger.core.address.Address;

/**
 * One message a module handles: how to decode its payload, how to execute it, and optionally a
 * cheap check against committed state for the mempool (e.g. "balance covers the amount").
 */
public record MessageType<M>(
    String name, Decoder<M> decoder, Handler<M> handler, AdmissionCheck<M> admission) {

  /** Decodes a payload; throws on bytes that are not the message. */
  @FunctionalInterface
  public interface Decoder<M> {
    M decode(ByteString payload) throws InvalidProtocolBufferException;
  }

  /** Executes a message; business failures are {@link TxFailedException}s. */
  @FunctionalInterface
  public interface Handler<M> {
    void handle(M message, ExecutionContext ctx) throws TxFailedException;
  }

  /** Checks a message against committed state before it enters the mempool. */
  @FunctionalInterface
  public interface AdmissionCheck<M> {
    void check(M message, Address sender, QueryContext ctx) throws TxFailedException;
  }

  public MessageType {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(decoder, "decoder");
    Objects.requireNonNull(handler, "handler");
    if (admission == null) {
      admission = (m, s, c) -> {};
    }
  }

  public static <M> MessageType<M> of(String name, Decoder<M> decoder, Handler<M> handler) {
    return new MessageType<>(name, decoder, handler, null);
  }
}
