package org.fedledger.node.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.IntFunction;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.node.keys.KeyFile;
import org.fedledger.node.keys.SecureFiles;

/**
 * Lays out a new network in one directory: {@code genesis.json}, {@code keys/admin.json}, {@code
 * keys/account-K.json}, and for each validator {@code node-I/node.json} with its key {@code
 * node-I/validator-key.json} and data directory {@code node-I/data}. Every path inside the
 * configuration files is relative, so the directory can be moved or copied to other machines.
 */
public final class NetworkInitializer {
  public static final String GENESIS_FILE = "genesis.json";
  public static final String CONFIG_FILE = "node.json";
  public static final String VALIDATOR_KEY_FILE = "validator-key.json";

  /** Which addresses validator i listens on. */
  public record Ports(int api, int raft) {}

  /**
   * What to create.
   *
   * @param validators number of validators, at least 1
   * @param accounts number of funded accounts besides the admin
   * @param balance each funded account's balance, admin included
   * @param ports validator index to its ports
   * @param genesisTimeMillis the chain's time before block 1
   */
  public record Request(
      Path dir,
      String chainId,
      int validators,
      int accounts,
      long balance,
      IntFunction<Ports> ports,
      NodeConfig.BlockParams block,
      long genesisTimeMillis) {
    public Request {
      Objects.requireNonNull(dir, "dir");
      if (chainId == null || chainId.isBlank()) {
        throw new IllegalArgumentException("--chain-id must not be empty");
      }
      if (validators < 1 || validators > 100) {
        throw new IllegalArgumentException("--validators must be 1..100, got " + validators);
      }
      if (accounts < 0) {
        throw new IllegalArgumentException("--accounts must not be negative");
      }
      if (balance < 0) {
        throw new IllegalArgumentException("--balance must not be negative");
      }
    }

    /** Ports basePort+2i (API) and basePort+2i+1 (Raft) for validator i. */
    public static IntFunction<Ports> consecutivePorts(int basePort) {
      if (basePort < 1024 || basePort > 65535 - 400) {
        throw new IllegalArgumentException("--base-port must be 1024..65135, got " + basePort);
      }
      return i -> new Ports(basePort + 2 * i, basePort + 2 * i + 1);
    }
  }

  /** What was created, for the command to print and for tests to use. */
  public record Network(
      Path dir,
      Path genesisFile,
      Path adminKeyFile,
      List<Path> accountKeyFiles,
      List<Path> configFiles,
      GenesisDocument genesis) {}

  private NetworkInitializer() {}

  public static Network initialize(Request request) throws IOException {
    Path dir = request.dir().toAbsolutePath().normalize();
    if (Files.exists(dir.resolve(GENESIS_FILE))) {
      throw new IOException(
          dir.resolve(GENESIS_FILE) + " already exists; choose another --dir or remove it first");
    }
    SecureFiles.createPrivateDirectories(dir);
    Path keysDir = SecureFiles.createPrivateDirectories(dir.resolve("keys"));

    Ed25519KeyPair admin = Ed25519KeyPair.generate();
    Path adminKeyFile = keysDir.resolve("admin.json");
    KeyFile.save(adminKeyFile, admin);
    List<GenesisDocument.Account> accounts = new ArrayList<>();
    accounts.add(
        new GenesisDocument.Account(admin.publicKey().address().toHex(), request.balance()));
    List<Path> accountKeyFiles = new ArrayList<>();
    for (int k = 0; k < request.accounts(); k++) {
      Ed25519KeyPair key = Ed25519KeyPair.generate();
      Path file = keysDir.resolve("account-" + k + ".json");
      KeyFile.save(file, key);
      accountKeyFiles.add(file);
      accounts.add(
          new GenesisDocument.Account(key.publicKey().address().toHex(), request.balance()));
    }

    List<GenesisDocument.Validator> validators = new ArrayList<>();
    List<NodeConfig.Peer> peers = new ArrayList<>();
    for (int i = 0; i < request.validators(); i++) {
      Path nodeDir = SecureFiles.createPrivateDirectories(dir.resolve(nodeId(i)));
      Ed25519KeyPair key = Ed25519KeyPair.generate();
      KeyFile.save(nodeDir.resolve(VALIDATOR_KEY_FILE), key);
      Ports ports = request.ports().apply(i);
      String raft = new HostPort("127.0.0.1", ports.raft()).toString();
      String api = new HostPort("127.0.0.1", ports.api()).toString();
      validators.add(
          new GenesisDocument.Validator(nodeId(i), key.publicKey().toHex(), 1, raft, api));
      peers.add(new NodeConfig.Peer(nodeId(i), raft, api));
    }

    GenesisDocument genesis =
        new GenesisDocument(
            request.chainId(),
            request.genesisTimeMillis(),
            admin.publicKey().address().toHex(),
            validators,
            accounts);
    Path genesisFile = dir.resolve(GENESIS_FILE);
    genesis.save(genesisFile);

    List<Path> configFiles = new ArrayList<>();
    for (int i = 0; i < request.validators(); i++) {
      NodeConfig config =
          new NodeConfig(
              nodeId(i),
              "data",
              VALIDATOR_KEY_FILE,
              "../" + GENESIS_FILE,
              peers.get(i).raftAddress(),
              peers.get(i).apiAddress(),
              peers,
              request.block());
      Path file = dir.resolve(nodeId(i)).resolve(CONFIG_FILE);
      config.save(file);
      configFiles.add(file);
    }
    return new Network(dir, genesisFile, adminKeyFile, accountKeyFiles, configFiles, genesis);
  }

  public static String nodeId(int index) {
    return "node-" + index;
  }
}
