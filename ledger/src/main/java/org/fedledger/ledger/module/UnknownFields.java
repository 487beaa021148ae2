package org.fedledger.ledger.module;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.util.Map;
import java.util.Optional;

/**
 * Finds protobuf fields a message's schema does not declare, at any depth. Protobuf keeps such
 * fields when it parses, so without this check a payload could be padded with megabytes of bytes
 * that every node stores in its blocks and no code reads.
 */
final class UnknownFields {
  private UnknownFields() {}

  /** Where the first unknown field is, as a path of field names ("" for the top), if any. */
  static Optional<String> find(Message message) {
    return find(message, "");
  }

  private static Optional<String> find(Message message, String path) {
    if (!message.getUnknownFields().asMap().isEmpty()) {
      return Optional.of(
          (path.isEmpty() ? "" : path + ": ")
              + "field numbers "
              + message.getUnknownFields().asMap().keySet());
    }
    for (Map.Entry<FieldDescriptor, Object> f : message.getAllFields().entrySet()) {
      if (f.getKey().getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
        continue;
      }
      String at = path.isEmpty() ? f.getKey().getName() : path + "." + f.getKey().getName();
      if (f.getKey().isRepeated()) {
        for (Object element : (Iterable<?>) f.getValue()) {
          Optional<String> found = find((Message) element, at);
          if (found.isPresent()) {
            return found;
          }
        }
      } else {
        Optional<String> found = find((Message) f.getValue(), at);
        if (found.isPresent()) {
          return found;
        }
      }
    }
    return Optional.empty();
  }
}
