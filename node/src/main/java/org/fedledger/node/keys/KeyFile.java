package org.fedledger.node.keys;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HexFormat;
import org.fedledger.core.crypto.Ed25519KeyPair;

/**
 * An Ed25519 key on disk, as JSON: {@code {"algorithm":"ed25519","publicKey":hex,"address":hex,
 * "seed":hex}}. The public key and address are there for humans and tools; on load they are checked
 * against the seed, so a hand-edited file cannot claim another identity.
 */
public final class KeyFile {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  static final String ALGORITHM = "ed25519";

  /** The JSON form of a key file. */
  record Contents(
      @JsonProperty("algorithm") String algorithm,
      @JsonProperty("publicKey") String publicKey,
      @JsonProperty("address") String address,
      @JsonProperty("seed") String seed) {}

  private KeyFile() {}

  /** Writes key to a new file with mode 0600 (its directory 0700 if created). */
  public static void save(Path file, Ed25519KeyPair key) throws IOException {
    Contents contents =
        new Contents(
            ALGORITHM,
            key.publicKey().toHex(),
            key.publicKey().address().toHex(),
            HexFormat.of().formatHex(key.seed()));
    SecureFiles.writePrivateFile(file, JSON.writeValueAsBytes(contents));
  }

  /** Reads a key file, refusing one that others can read or whose fields disagree. */
  public static Ed25519KeyPair load(Path file) throws IOException {
    if (!Files.exists(file)) {
      throw new NoSuchFileException(
          file.toString(), null, "key file not found; create one with `fedledger keys generate`");
    }
    SecureFiles.requireOwnerOnly(file);
    Contents contents;
    try {
      contents = JSON.readValue(file.toFile(), Contents.class);
    } catch (IOException e) {
      throw new IOException(file + " is not a fedledger key file: " + e.getMessage(), e);
    }
    if (!ALGORITHM.equals(contents.algorithm())) {
      throw new IOException(
          file + ": unsupported key algorithm '" + contents.algorithm() + "', expected ed25519");
    }
    if (contents.seed() == null) {
      throw new IOException(file + ": no \"seed\" field; this is not a private key file");
    }
    Ed25519KeyPair key;
    try {
      key = Ed25519KeyPair.fromSeedHex(contents.seed());
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": \"seed\" must be 64 hex digits", e);
    }
    if (contents.publicKey() != null
        && !contents.publicKey().equalsIgnoreCase(key.publicKey().toHex())) {
      throw new IOException(file + ": \"publicKey\" does not match the seed; the file is corrupt");
    }
    if (contents.address() != null
        && !contents.address().equalsIgnoreCase(key.publicKey().address().toHex())) {
      throw new IOException(file + ": \"address\" does not match the seed; the file is corrupt");
    }
    return key;
  }
}
