package org.fedledger.bench.learning;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Minimal {@code --name value} parsing for the mains of this package. */
final class Args {
  private final Map<String, String> values = new HashMap<>();

  Args(String[] args, List<String> known) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--") || !known.contains(a.substring(2))) {
        throw new IllegalArgumentException("unknown option '" + a + "'; known: --" + known);
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("option " + a + " needs a value");
      }
      values.put(a.substring(2), args[++i]);
    }
  }

  String get(String name, String fallback) {
    return values.getOrDefault(name, fallback);
  }

  int getInt(String name, int fallback) {
    String v = values.get(name);
    try {
      return v == null ? fallback : Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " must be an integer, not '" + v + "'");
    }
  }

  double getDouble(String name, double fallback) {
    String v = values.get(name);
    try {
      return v == null ? fallback : Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " must be a number, not '" + v + "'");
    }
  }

  /** Runs body, printing an IllegalArgumentException as a usage error (exit code 2). */
  static void run(String usage, Main body) throws Exception {
    try {
      body.run();
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      System.err.println("usage: " + usage);
      System.exit(2);
    }
  }

  /** A main's body. */
  interface Main {
    void run() throws Exception;
  }
}
