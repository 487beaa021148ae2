package org.fedledger.cli.keys;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.node.keys.KeyFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "keys",
    mixinStandardHelpOptions = true,
    description = "Create and inspect Ed25519 key files.",
    subcommands = {KeysCommand.Generate.class, KeysCommand.Show.class})
public final class KeysCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        spec.commandLine(), "a subcommand is required: generate or show");
  }

  static void printPublic(CommandSpec spec, Path file, Ed25519KeyPair key) throws Exception {
    Map<String, String> view = new LinkedHashMap<>();
    view.put("file", file.toAbsolutePath().toString());
    view.put("publicKey", key.publicKey().toHex());
    view.put("address", key.publicKey().address().toHex());
    spec.commandLine()
        .getOut()
        .println(
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(view));
    spec.commandLine().getOut().flush();
  }

  @Command(
      name = "generate",
      mixinStandardHelpOptions = true,
      description = "Write a new key to a new file (mode 0600); prints its public key and address.")
  static final class Generate implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--out", required = true, description = "Key file to create.")
    Path out;

    @Override
    public Integer call() throws Exception {
      Ed25519KeyPair key = Ed25519KeyPair.generate();
      KeyFile.save(out, key);
      printPublic(spec, out, key);
      return 0;
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "Print a key file's public key and address (never its secret).")
  static final class Show implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--key", required = true, description = "Key file to read.")
    Path key;

    @Override
    public Integer call() throws Exception {
      printPublic(spec, key, KeyFile.load(key));
      return 0;
    }
  }
}
