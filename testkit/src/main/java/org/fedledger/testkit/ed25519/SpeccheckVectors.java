package org.fedledger.testkit.ed25519;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The twelve edge-case vectors of "Taming the many EdDSAs" (Chalkias, Garillot, Nikolaenko, 2020),
 * read from {@code speccheck-cases.txt} beside this class, which quotes their source, with the
 * verdict fedledger's rule gives each.
 */
public final class SpeccheckVectors {
  static final String RESOURCE = "speccheck-cases.txt";

  /**
   * One vector.
   *
   * @param number the paper's number, 0-11
   * @param accepted the verdict under fedledger's rule
   * @param why what the case is, and why it gets that verdict
   */
  public record Vector(
      int number,
      byte[] message,
      byte[] publicKey,
      byte[] signature,
      boolean accepted,
      String why) {
    @Override
    public String toString() {
      return "speccheck #" + number + ": " + why;
    }
  }

  private SpeccheckVectors() {}

  /** All twelve, in the paper's order. */
  public static List<Vector> all() {
    try (InputStream in = SpeccheckVectors.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing beside SpeccheckVectors");
      }
      return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<Vector> parse(BufferedReader reader) throws IOException {
    List<Vector> out = new ArrayList<>();
    Map<String, String> fields = new LinkedHashMap<>();
    String line;
    while ((line = reader.readLine()) != null) {
      line = line.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (line.startsWith("case ")) {
        addIfAny(out, fields);
        fields.put("case", line.substring("case ".length()));
        continue;
      }
      int eq = line.indexOf('=');
      if (eq < 0) {
        throw new IllegalStateException(RESOURCE + ": not a field: " + line);
      }
      fields.put(line.substring(0, eq), line.substring(eq + 1));
    }
    addIfAny(out, fields);
    return List.copyOf(out);
  }

  private static void addIfAny(List<Vector> out, Map<String, String> fields) {
    if (fields.isEmpty()) {
      return;
    }
    HexFormat hex = HexFormat.of();
    String verdict = require(fields, "verdict");
    if (!verdict.equals("accept") && !verdict.equals("reject")) {
      throw new IllegalStateException(RESOURCE + ": verdict must be accept or reject: " + verdict);
    }
    out.add(
        new Vector(
            Integer.parseInt(require(fields, "case")),
            hex.parseHex(require(fields, "msg")),
            hex.parseHex(require(fields, "pbk")),
            hex.parseHex(require(fields, "sig")),
            verdict.equals("accept"),
            require(fields, "why")));
    fields.clear();
  }

  private static String require(Map<String, String> fields, String name) {
    String v = fields.get(name);
    if (v == null) {
      throw new IllegalStateException(
          RESOURCE + ": case " + fields.get("case") + " has no " + name);
    }
    return v;
  }
}
