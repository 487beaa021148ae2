package org.fedledger.consensus.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotArchiveTest {
  @TempDir Path dir;

  @Test
  void packsAndUnpacksADirectoryTreeByteForByte() throws IOException {
    Path src = dir.resolve("src");
    Files.createDirectories(src.resolve("sub"));
    Files.writeString(src.resolve("CURRENT"), "MANIFEST-000001\n");
    byte[] big = new byte[300_000];
    Arrays.fill(big, (byte) 7);
    Files.write(src.resolve("sub/000001.sst"), big);
    Files.write(src.resolve("empty"), new byte[0]);

    Path archive = dir.resolve("snapshot.1_10");
    SnapshotArchive.pack(src, archive);
    Path out = dir.resolve("out");
    SnapshotArchive.unpack(archive, out);

    assertThat(Files.readString(out.resolve("CURRENT"))).isEqualTo("MANIFEST-000001\n");
    assertThat(Files.readAllBytes(out.resolve("sub/000001.sst"))).isEqualTo(big);
    assertThat(Files.size(out.resolve("empty"))).isZero();
  }

  @Test
  void refusesAFileThatIsNotAnArchive() throws IOException {
    Path bogus = dir.resolve("bogus");
    Files.writeString(bogus, "hello");
    assertThatThrownBy(() -> SnapshotArchive.unpack(bogus, dir.resolve("x")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("not a fedledger snapshot archive");
  }

  @Test
  void refusesATruncatedArchive() throws IOException {
    Path src = dir.resolve("src");
    Files.createDirectories(src);
    Files.write(src.resolve("data"), new byte[10_000]);
    Path archive = dir.resolve("a");
    SnapshotArchive.pack(src, archive);
    byte[] all = Files.readAllBytes(archive);
    Files.write(archive, Arrays.copyOf(all, all.length / 2));
    assertThatThrownBy(() -> SnapshotArchive.unpack(archive, dir.resolve("y")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("truncated");
  }

  @Test
  void refusesAnEntryThatEscapesTheTargetDirectory() throws IOException {
    Path archive = dir.resolve("evil");
    try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(archive))) {
      out.write("fedledger-snapshot-v1\n".getBytes(StandardCharsets.UTF_8));
      byte[] name = "../escaped".getBytes(StandardCharsets.UTF_8);
      out.writeShort(name.length);
      out.write(name);
      out.writeLong(1);
      out.write(1);
      out.writeShort(0);
    }
    assertThatThrownBy(() -> SnapshotArchive.unpack(archive, dir.resolve("z")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("escapes");
    assertThat(dir.resolve("escaped")).doesNotExist();
  }
}
