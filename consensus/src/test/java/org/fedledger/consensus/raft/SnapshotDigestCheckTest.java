package org.fedledger.consensus.raft;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.ratis.util.MD5FileUtil;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotDigestCheckTest {
  @TempDir Path dir;
  private Path snapshot;

  @BeforeEach
  void writeASnapshotWithItsDigest() throws IOException {
    snapshot = dir.resolve("snapshot.3_41");
    Files.write(snapshot, new byte[4096]);
    MD5FileUtil.saveMD5File(snapshot.toFile(), MD5FileUtil.computeMd5ForFile(snapshot.toFile()));
  }

  @Test
  void aSnapshotMatchingItsDigestPasses() {
    assertThatCode(() -> LedgerStateMachine.checkDigest(snapshot)).doesNotThrowAnyException();
  }

  @Test
  void aSnapshotWithAFlippedByteIsRefusedWithTheRemedy() throws IOException {
    byte[] bytes = Files.readAllBytes(snapshot);
    bytes[100] = 1;
    Files.write(snapshot, bytes);
    assertThatThrownBy(() -> LedgerStateMachine.checkDigest(snapshot))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("is corrupt or truncated")
        .hasMessageContaining("data directory aside");
  }

  @Test
  void aTruncatedSnapshotIsRefused() throws IOException {
    Files.write(snapshot, new byte[100]);
    assertThatThrownBy(() -> LedgerStateMachine.checkDigest(snapshot))
        .hasMessageContaining("its bytes hash to");
  }

  @Test
  void aDamagedDigestFileIsRefused() throws IOException {
    Files.writeString(dir.resolve("snapshot.3_41.md5"), "\u00ff\u00fe garbage");
    assertThatThrownBy(() -> LedgerStateMachine.checkDigest(snapshot))
        .hasMessageContaining("is corrupt or truncated");
  }
}
