package org.fedledger.node.keys;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Creates files and directories that only their owner can read, and checks that existing ones still
 * are. On file systems without POSIX permissions (Windows) the permission parts are skipped: there
 * the directory ACLs decide.
 */
public final class SecureFiles {
  static final Set<PosixFilePermission> OWNER_FILE =
      EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
  static final Set<PosixFilePermission> OWNER_DIR =
      EnumSet.of(
          PosixFilePermission.OWNER_READ,
          PosixFilePermission.OWNER_WRITE,
          PosixFilePermission.OWNER_EXECUTE);

  private SecureFiles() {}

  /** Creates dir and any missing parents with mode 0700; existing directories are left alone. */
  public static Path createPrivateDirectories(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return dir;
    }
    if (supportsPosix(dir)) {
      return Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_DIR));
    }
    return Files.createDirectories(dir);
  }

  /**
   * Creates a new file with mode 0600 and writes content to it. The permission is part of the
   * creation call, so the file is never readable by others, not even for an instant. Fails if the
   * file exists: keys are never silently overwritten.
   */
  public static void writePrivateFile(Path file, byte[] content) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    createPrivateDirectories(parent);
    FileAttribute<?>[] attributes =
        supportsPosix(parent)
            ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_FILE)}
            : new FileAttribute<?>[0];
    try {
      Files.createFile(file, attributes);
    } catch (FileAlreadyExistsException e) {
      throw new FileAlreadyExistsException(
          file.toString(), null, "refusing to overwrite an existing key file; move it away first");
    }
    Files.write(file, content);
  }

  /**
   * Throws if the group or others may read or write file; a private key such a file held must be
   * considered leaked, so we refuse to use it rather than fix the mode behind the user's back.
   */
  public static void requireOwnerOnly(Path file) throws IOException {
    if (!supportsPosix(file)) {
      return;
    }
    Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
    Set<PosixFilePermission> extra = EnumSet.noneOf(PosixFilePermission.class);
    extra.addAll(permissions);
    extra.removeAll(OWNER_DIR);
    if (!extra.isEmpty()) {
      throw new InsecureKeyFileException(
          file
              + " has permissions "
              + PosixFilePermissions.toString(permissions)
              + "; a key file must be readable by its owner only. Run `chmod 600 "
              + file
              + "` if you are sure nobody else has read it, or generate a new key.");
    }
  }

  static boolean supportsPosix(Path path) {
    Path existing = path.toAbsolutePath();
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    return existing != null
        && Files.getFileAttributeView(existing, PosixFileAttributeView.class) != null;
  }
}
