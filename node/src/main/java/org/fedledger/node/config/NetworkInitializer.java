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
 * keys/account-K.json}, {@code keys/owner-K.json}, and for each validator {@code node-I/node.json}
 * with its key {@code node-I/validator-key.json} and data directory {@code node-I/data}. Data owner
 * K's participant agent runs in node K mod validators, on the data in {@code data/owner-K}; every
 * node scores aggregates on {@code data/test} ({@code fedledger dataset split --out DIR/data}
 * writes both). Every path inside the configuration files is relative, so the directory can be
 * moved or copied to other machines.
 */
public final class NetworkInitializer {
  public static final String GENESIS_FILE = "genesis.json";
  public static final String CONFIG_FILE = "node.json";
  public static final String VALIDATOR_KEY_FILE = "validator-key.json";

  /** The directory of the owners' data and the test data, relative to the network directory. */
  public static final String DATA_DIR = "data";

  /** The test data every node scores aggregates on, inside {@link #DATA_DIR}. */
  public static final String TEST_DATA = "test";

  /**
   * Which addresses validator i listens on.
   *
   * @param blobs the blob server's port; 0 for none (a ledger-only node without training agents)
   * @param raftHost the host of its Raft address, as peers dial it and the chain records it
   */
  public record Ports(int api, int raft, int blobs, String raftHost) {
    /** Raft on loopback. */
    public Ports(int api, int raft, int blobs) {
      this(api, raft, blobs, "127.0.0.1");
    }

    /** A ledger-only node: no blob server, no agents. */
    public Ports(int api, int raft) {
      this(api, raft, 0);
    }
  }

  /**
   * What to create.
   *
   * @param validators number of validators, at least 1
   * @param accounts number of funded accounts besides the admin
   * @param owners number of funded data owners, each with a participant agent in one node
   * @param balance each funded account's balance, admin and owners included
   * @param ports validator index to its ports
   * @param genesisTimeMillis the chain's time before block 1
   */
  public record Request(
      Path dir,
      String chainId,
      int validators,
      int accounts,
      int owners,
      long balance,
      IntFunction<Ports> ports,
      NodeConfig.BlockParams block,
      long genesisTimeMillis) {
    /** A network without data owners. */
    public Request(
        Path dir,
        String chainId,
        int validators,
        int accounts,
        long balance,
        IntFunction<Ports> ports,
        NodeConfig.BlockParams block,
        long genesisTimeMillis) {
      this(dir, chainId, validators, accounts, 0, balance, ports, block, genesisTimeMillis);
    }

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
      if (owners < 0 || owners > 1000) {
        throw new IllegalArgumentException("--owners must be 0..1000, got " + owners);
      }
      if (balance < 0) {
        throw new IllegalArgumentException("--balance must not be negative");
      }
    }

    /** Ports basePort+3i (API), basePort+3i+1 (Raft) and basePort+3i+2 (blobs) for validator i. */
    public static IntFunction<Ports> consecutivePorts(int basePort) {
      if (basePort < 1024 || basePort > 65535 - 400) {
        throw new IllegalArgumentException("--base-port must be 1024..65135, got " + basePort);
      }
      return i -> new Ports(basePort + 3 * i, basePort + 3 * i + 1, basePort + 3 * i + 2);
    }
  }

  /** What was created, for the command to print and for tests to use. */
  public record Network(
      Path dir,
      Path genesisFile,
      Path adminKeyFile,
      List<Path> accountKeyFiles,
      List<Path> ownerKeyFiles,
      List<Path> configFiles,
      GenesisDocument genesis) {}

  private NetworkInitializer() {}

  public static Network initialize(Request request) throws IOException {
    Path dir = request.dir().toAbsolutePath().normalize();
    if (Files.exists(dir.resolve(GENESIS_FILE))) {
      throw new IOException(
          dir.resolve(GENESIS_FILE) + " already exists; choose another --dir or remove it first");
    }
    List<Ports> ports = new ArrayList<>();
    for (int i = 0; i < request.validators(); i++) {
      ports.add(request.ports().apply(i));
      if (ports.get(i).blobs() == 0 && request.owners() > 0) {
        throw new IllegalArgumentException(
            "data owners need every node to run a blob server; validator " + i + " has no port");
      }
    }
    SecureFiles.createPrivateDirectories(dir);
    Path keysDir = SecureFiles.createPrivateDirectories(dir.resolve("keys"));

    Ed25519KeyPair admin = Ed25519KeyPair.generate();
    Path adminKeyFile = keysDir.resolve("admin.json");
    KeyFile.save(adminKeyFile, admin);
    List<GenesisDocument.Account> accounts = new ArrayList<>();
    accounts.add(
        new GenesisDocument.Account(admin.publicKey().address().toHex(), request.balance()));
    List<String> uploaders = new ArrayList<>();
    uploaders.add(admin.publicKey().address().toHex());
    List<Path> accountKeyFiles = new ArrayList<>();
    for (int k = 0; k < request.accounts(); k++) {
      Ed25519KeyPair key = Ed25519KeyPair.generate();
      Path file = keysDir.resolve("account-" + k + ".json");
      KeyFile.save(file, key);
      accountKeyFiles.add(file);
      accounts.add(
          new GenesisDocument.Account(key.publicKey().address().toHex(), request.balance()));
      uploaders.add(key.publicKey().address().toHex());
    }
    List<Path> ownerKeyFiles = new ArrayList<>();
    for (int k = 0; k < request.owners(); k++) {
      Ed25519KeyPair key = Ed25519KeyPair.generate();
      Path file = keysDir.resolve(ownerName(k) + ".json");
      KeyFile.save(file, key);
      ownerKeyFiles.add(file);
      accounts.add(
          new GenesisDocument.Account(key.publicKey().address().toHex(), request.balance()));
    }

    List<GenesisDocument.Validator> validators = new ArrayList<>();
    List<NodeConfig.Peer> peers = new ArrayList<>();
    for (int i = 0; i < request.validators(); i++) {
      Path nodeDir = SecureFiles.createPrivateDirectories(dir.resolve(nodeId(i)));
      Ed25519KeyPair key = Ed25519KeyPair.generate();
      KeyFile.save(nodeDir.resolve(VALIDATOR_KEY_FILE), key);
      Ports p = ports.get(i);
      String raft = new HostPort(p.raftHost(), p.raft()).toString();
      String api = new HostPort("127.0.0.1", p.api()).toString();
      String blobs = p.blobs() == 0 ? null : new HostPort("127.0.0.1", p.blobs()).toString();
      validators.add(
          new GenesisDocument.Validator(nodeId(i), key.publicKey().toHex(), 1, raft, api));
      peers.add(new NodeConfig.Peer(nodeId(i), raft, api, blobs));
    }

    GenesisDocument genesis =
        new GenesisDocument(
            request.chainId(),
            request.genesisTimeMillis(),
            admin.publicKey().address().toHex(),
            validators,
            accounts,
            // The network's block limits are the blocks its nodes are set up to cut.
            new GenesisDocument.Limits(
                request.block().maxTransactions(), request.block().maxBytes()));
    Path genesisFile = dir.resolve(GENESIS_FILE);
    genesis.save(genesisFile);

    List<Path> configFiles = new ArrayList<>();
    for (int i = 0; i < request.validators(); i++) {
      boolean training = peers.get(i).blobAddress() != null;
      List<NodeConfig.Participant> participants = new ArrayList<>();
      for (int k = i; k < request.owners(); k += request.validators()) {
        participants.add(
            new NodeConfig.Participant(
                "../keys/" + ownerName(k) + ".json", "../" + DATA_DIR + "/" + ownerName(k)));
      }
      NodeConfig config =
          new NodeConfig(
              nodeId(i),
              "data",
              VALIDATOR_KEY_FILE,
              "../" + GENESIS_FILE,
              peers.get(i).raftAddress(),
              peers.get(i).apiAddress(),
              peers.get(i).blobAddress(),
              training ? uploaders : List.of(),
              peers,
              request.block(),
              null,
              participants,
              request.owners() > 0 ? "../" + DATA_DIR + "/" + TEST_DATA : null);
      Path file = dir.resolve(nodeId(i)).resolve(CONFIG_FILE);
      config.save(file);
      configFiles.add(file);
    }
    return new Network(
        dir, genesisFile, adminKeyFile, accountKeyFiles, ownerKeyFiles, configFiles, genesis);
  }

  public static String nodeId(int index) {
    return "node-" + index;
  }

  /** Data owner k's name: its key file is keys/NAME.json, its data data/NAME. */
  public static String ownerName(int k) {
    return "owner-" + k;
  }
}
