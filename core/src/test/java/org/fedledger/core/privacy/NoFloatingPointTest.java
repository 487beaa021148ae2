package org.fedledger.core.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The accountant runs inside contracts, where a float could round differently on another machine:
 * its sources may use no float or double type, literal or Math/StrictMath call.
 */
class NoFloatingPointTest {
  private static final Path SOURCES = Path.of("src/main/java/org/fedledger/core/privacy");

  private static final Pattern FLOATING_POINT =
      Pattern.compile(
          "\\b(double|float|Double|Float|Math|StrictMath)\\b"
              + "|\\b\\d+\\.\\d*[fFdD]?\\b|\\b\\d+[fFdD]\\b");

  @Test
  void thePrivacyPackageUsesNoFloatingPoint() throws IOException {
    List<Path> files;
    try (Stream<Path> listing = Files.list(SOURCES)) {
      files = listing.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    }
    assertThat(files).extracting(p -> p.getFileName().toString()).contains("RdpAccountant.java");

    for (Path file : files) {
      List<String> code = Files.readAllLines(file).stream().map(NoFloatingPointTest::code).toList();
      assertThat(code)
          .as("floating point in %s", file.getFileName())
          .noneMatch(line -> FLOATING_POINT.matcher(line).find());
    }
  }

  @Test
  void theCheckCatchesFloatingPoint() {
    assertThat(FLOATING_POINT.matcher("double x = y;").find()).isTrue();
    assertThat(FLOATING_POINT.matcher("return Math.log(x);").find()).isTrue();
    assertThat(FLOATING_POINT.matcher("new LinkedHashMap<>(16, 0.75f, true)").find()).isTrue();
    assertThat(FLOATING_POINT.matcher("long micros = 1_000_000;").find()).isFalse();
    assertThat(code("  throw new E(\"between 0.1 and 1000\"); // 0.5 is fine"))
        .isEqualTo("  throw new E(\"\"); ");
  }

  /** The line without comments and string literals: messages and docs may quote numbers. */
  private static String code(String line) {
    String trimmed = line.strip();
    if (trimmed.startsWith("*") || trimmed.startsWith("/*") || trimmed.startsWith("//")) {
      return "";
    }
    String withoutStrings = line.replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"");
    int comment = withoutStrings.indexOf("//");
    return comment < 0 ? withoutStrings : withoutStrings.substring(0, comment);
  }
}
