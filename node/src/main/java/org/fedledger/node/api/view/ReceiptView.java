package org.fedledger.node.api.view;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedledger.core.proto.Attribute;
import org.fedledger.core.proto.Event;
import org.fedledger.core.proto.Receipt;

/** A transaction's outcome: OK or FAILED with the reason, and the events it emitted. */
public record ReceiptView(
    String txHash, long height, int index, String status, String error, List<EventView> events) {

  /** A module event; attributes keep their order. */
  public record EventView(String module, String type, Map<String, String> attributes) {
    public static EventView of(Event e) {
      Map<String, String> attributes = new LinkedHashMap<>();
      for (Attribute a : e.getAttributesList()) {
        attributes.put(a.getKey(), a.getValue());
      }
      return new EventView(e.getModule(), e.getType(), attributes);
    }
  }

  public static ReceiptView of(Receipt r) {
    return new ReceiptView(
        Hex.of(r.getTxHash()),
        r.getHeight(),
        r.getIndex(),
        r.getStatus().name(),
        r.getError().isEmpty() ? null : r.getError(),
        r.getEventsList().stream().map(EventView::of).toList());
  }
}
