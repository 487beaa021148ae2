package org.fedledger.node.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyFileTest {
  @TempDir Path dir;

  @Test
  void savedKeyIsOwnerOnlyInOwnerOnlyDirectoryAndLoadsBack() throws IOException {
    Ed25519KeyPair key = Ed25519KeyPair.generate();
    Path file = dir.resolve("nested/keys/k.json");

    KeyFile.save(file, key);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
        .isEqualTo("rwx------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("nested"))))
        .isEqualTo("rwx------");
    Ed25519KeyPair loaded = KeyFile.load(file);
    assertThat(loaded.publicKey()).isEqualTo(key.publicKey());
    assertThat(loaded.seed()).isEqualTo(key.seed());
  }

  @Test
  void groupOrWorldReadableKeyIsRefused() throws IOException {
    Path file = dir.resolve("k.json");
    KeyFile.save(file, Ed25519KeyPair.generate());
    for (String mode : new String[] {"rw-r-----", "rw----r--", "rw-rw-rw-", "rw-----w-"}) {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
      assertThatThrownBy(() -> KeyFile.load(file))
          .as(mode)
          .isInstanceOf(InsecureKeyFileException.class)
          .hasMessageContaining(mode)
          .hasMessageContaining("chmod 600");
    }
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--------"));
    assertThat(KeyFile.load(file)).isNotNull();
  }

  @Test
  void existingFileIsNeverOverwritten() throws IOException {
    Path file = dir.resolve("k.json");
    Ed25519KeyPair first = Ed25519KeyPair.generate();
    KeyFile.save(file, first);

    assertThatThrownBy(() -> KeyFile.save(file, Ed25519KeyPair.generate()))
        .isInstanceOf(FileAlreadyExistsException.class)
        .hasMessageContaining("refusing to overwrite");
    assertThat(KeyFile.load(file).publicKey()).isEqualTo(first.publicKey());
  }

  @Test
  void missingFileSaysHowToCreateOne() {
    assertThatThrownBy(() -> KeyFile.load(dir.resolve("absent.json")))
        .isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining("fedledger keys generate");
  }

  @Test
  void tamperedPublicKeyOrGarbageIsRefused() throws IOException {
    Path file = dir.resolve("k.json");
    KeyFile.save(file, Ed25519KeyPair.generate());
    String other = Ed25519KeyPair.generate().publicKey().toHex();
    String text =
        Files.readString(file)
            .replaceFirst("\"publicKey\" : \"[0-9a-f]+\"", "\"publicKey\" : \"" + other + "\"");
    Files.writeString(file, text);
    assertThatThrownBy(() -> KeyFile.load(file)).hasMessageContaining("does not match the seed");

    Files.writeString(file, "not json");
    assertThatThrownBy(() -> KeyFile.load(file)).hasMessageContaining("not a fedledger key file");

    Files.writeString(file, "{\"algorithm\":\"ed25519\",\"seed\":\"zz\"}");
    assertThatThrownBy(() -> KeyFile.load(file)).hasMessageContaining("64 hex digits");
  }
}
