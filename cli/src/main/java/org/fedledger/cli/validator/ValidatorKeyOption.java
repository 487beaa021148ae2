package org.fedledger.cli.validator;

import java.io.IOException;
import java.nio.file.Path;
import org.fedledger.core.crypto.Ed25519PublicKey;
import org.fedledger.node.keys.KeyFile;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** Names the validator: its key file, or just its public key (what a new member sends). */
final class ValidatorKeyOption {
  @Option(
      names = "--validator-key",
      required = true,
      description = "The validator's key file; only its public key is used.")
  Path file;

  @Option(
      names = "--public-key",
      required = true,
      description = "The validator's public key, 64 hex digits (instead of --validator-key).")
  String hex;

  Ed25519PublicKey publicKey(CommandSpec spec) throws IOException {
    if (file != null) {
      return KeyFile.load(file).publicKey();
    }
    try {
      return Ed25519PublicKey.fromHex(hex);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--public-key must be 64 hex digits: " + e.getMessage());
    }
  }
}
