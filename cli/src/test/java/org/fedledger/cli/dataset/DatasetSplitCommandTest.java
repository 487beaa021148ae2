package org.fedledger.cli.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.fedledger.cli.testing.CliRun;
import org.fedledger.learning.data.LabeledData;
import org.fedledger.node.config.DataDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetSplitCommandTest {
  @TempDir Path dir;

  private static CliRun split(Path out, String... more) {
    String[] base = {
      "dataset",
      "split",
      "--owners",
      "3",
      "--samples",
      "600",
      "--seed",
      "5",
      "--out",
      out.toString()
    };
    return CliRun.of(Stream.concat(Stream.of(base), Stream.of(more)).toArray(String[]::new));
  }

  @Test
  void writesOneIdxDirectoryPerOwnerAndTheTestPartTheSameOnEveryRun() throws Exception {
    Path a = dir.resolve("a");
    CliRun run = split(a, "--partition", "dirichlet:0.5");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("owner-0: ", "owner-2: ", "test: 2000 test samples");

    int total = 0;
    for (int k = 0; k < 3; k++) {
      LabeledData part = DataDirectory.load(a.resolve("owner-" + k), DataDirectory.Part.TRAIN);
      assertThat(part.size()).isPositive();
      assertThat(part.sampleShape()).containsExactly(1, 28, 28);
      total += part.size();
    }
    assertThat(total).isEqualTo(600);
    assertThat(DataDirectory.load(a.resolve("test"), DataDirectory.Part.TEST).size())
        .isEqualTo(2000);

    Path b = dir.resolve("b");
    assertThat(split(b, "--partition", "dirichlet:0.5").exitCode()).isZero();
    for (String file :
        new String[] {"owner-1/train-images-idx3-ubyte", "owner-1/train-labels-idx1-ubyte"}) {
      assertThat(Files.readAllBytes(b.resolve(file)))
          .isEqualTo(Files.readAllBytes(a.resolve(file)));
    }
  }

  @Test
  void refusesToWriteOverAnExistingSplitAndWritesNothing() throws Exception {
    Path out = dir.resolve("out");
    Files.createDirectories(out.resolve("owner-2"));
    CliRun run = split(out);
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("owner-2 already exists", "nothing was written");
    try (Stream<Path> files = Files.list(out)) {
      assertThat(files).containsExactly(out.resolve("owner-2"));
    }
  }

  @Test
  void badOptionsAreUsageErrors() {
    Path out = dir.resolve("out");
    CliRun partition = split(out, "--partition", "zipf:2");
    assertThat(partition.exitCode()).isEqualTo(2);
    assertThat(partition.err()).contains("--partition: unknown partitioner 'zipf:2'");
    CliRun none = CliRun.of("dataset", "split", "--owners", "0", "--out", out.toString());
    assertThat(none.exitCode()).isEqualTo(2);
    assertThat(none.err()).contains("--owners must be 1-1000");
    CliRun tooFew =
        CliRun.of(
            "dataset", "split", "--owners", "700", "--samples", "600", "--out", out.toString());
    assertThat(tooFew.exitCode()).isEqualTo(2);
    assertThat(tooFew.err()).contains("700 owners need at least one sample each; there are 600");
    assertThat(out).doesNotExist();
  }
}
