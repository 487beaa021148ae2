package org.fedledger.cli.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.util.HexFormat;

/**
 * Reads back the node API's JSON form of a protobuf record (camelCase names, bytes as hex, enums by
 * name; see the node's {@code api.training.ProtoJson}) into the message, so the CLI checks the same
 * typed records the chain stores. Unknown names are ignored; a malformed value is an {@link
 * IllegalArgumentException} naming the field.
 */
public final class ProtoJsonReader {
  private ProtoJsonReader() {}

  @SuppressWarnings("unchecked")
  public static <T extends Message> T read(JsonNode json, T prototype) {
    Message.Builder b = prototype.newBuilderForType();
    fill(json, b);
    return (T) b.build();
  }

  private static void fill(JsonNode json, Message.Builder b) {
    if (json == null || !json.isObject()) {
      throw new IllegalArgumentException(
          "expected a JSON object for " + b.getDescriptorForType().getName() + ", got " + json);
    }
    for (FieldDescriptor f : b.getDescriptorForType().getFields()) {
      JsonNode v = json.get(f.getJsonName());
      if (v == null || v.isNull()) {
        continue;
      }
      if (f.isRepeated()) {
        for (JsonNode e : v) {
          b.addRepeatedField(f, value(f, e, b));
        }
      } else {
        b.setField(f, value(f, v, b));
      }
    }
  }

  private static Object value(FieldDescriptor f, JsonNode v, Message.Builder parent) {
    try {
      switch (f.getJavaType()) {
        case BYTE_STRING:
          return ByteString.copyFrom(HexFormat.of().parseHex(v.asText()));
        case ENUM:
          EnumValueDescriptor e = f.getEnumType().findValueByName(v.asText());
          if (e == null) {
            throw new IllegalArgumentException("unknown value " + v.asText());
          }
          return e;
        case MESSAGE:
          Message.Builder child = parent.newBuilderForField(f);
          fill(v, child);
          return child.build();
        case STRING:
          return v.asText();
        case BOOLEAN:
          return v.asBoolean();
        case INT:
          return v.asInt();
        case LONG:
          return v.asLong();
        case FLOAT:
          return (float) v.asDouble();
        case DOUBLE:
          return v.asDouble();
        default:
          throw new IllegalArgumentException("unsupported type " + f.getJavaType());
      }
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "field " + f.getFullName() + " in the node's answer: " + e.getMessage(), e);
    }
  }
}
