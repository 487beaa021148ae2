package org.fedledger.ledger.module;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.fedledger.core.proto.Attribute;
import org.fedledger.core.proto.Event;

/** Collects events in emission order; they go into the receipt (or the block's events). */
public final class EventSink {
  private final List<Event> events = new ArrayList<>();

  /** Emits an event; attributes are key, value pairs kept in the given order. */
  public void emit(String module, String type, String... keyValues) {
    if (keyValues.length % 2 != 0) {
      throw new IllegalArgumentException("event attributes come in key, value pairs");
    }
    Event.Builder e = Event.newBuilder().setModule(module).setType(type);
    for (int i = 0; i < keyValues.length; i += 2) {
      e.addAttributes(Attribute.newBuilder().setKey(keyValues[i]).setValue(keyValues[i + 1]));
    }
    events.add(e.build());
  }

  /** Emits an event built by a module's typed factory. */
  public void emit(Event e) {
    events.add(e);
  }

  public List<Event> events() {
    return Collections.unmodifiableList(events);
  }
}
