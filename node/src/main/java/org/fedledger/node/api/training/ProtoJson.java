package org.fedledger.node.api.training;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A protobuf record as a JSON-ready map: camelCase field names, bytes as lowercase hex (hashes and
 * addresses), enums by name, unsigned 64-bit integers as numbers, every field present (unset
 * messages as null). Field order is the .proto order.
 */
public final class ProtoJson {
  private ProtoJson() {}

  public static Map<String, Object> of(Message message) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (FieldDescriptor f : message.getDescriptorForType().getFields()) {
      if (f.isRepeated()) {
        int n = message.getRepeatedFieldCount(f);
        List<Object> values = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          values.add(value(f, message.getRepeatedField(f, i)));
        }
        out.put(f.getJsonName(), values);
      } else if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !message.hasField(f)) {
        out.put(f.getJsonName(), null);
      } else {
        out.put(f.getJsonName(), value(f, message.getField(f)));
      }
    }
    return out;
  }

  public static List<Map<String, Object>> of(List<? extends Message> messages) {
    return messages.stream().map(ProtoJson::of).toList();
  }

  public static String hex(ByteString bytes) {
    return HexFormat.of().formatHex(bytes.toByteArray());
  }

  private static Object value(FieldDescriptor f, Object v) {
    switch (f.getJavaType()) {
      case BYTE_STRING:
        return hex((ByteString) v);
      case ENUM:
        return ((EnumValueDescriptor) v).getName();
      case MESSAGE:
        return of((Message) v);
      default:
        return v;
    }
  }
}
