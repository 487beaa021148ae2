package org.fedledger.cli.init;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.fedledger.node.config.GenesisDocument;
import org.fedledger.node.config.NetworkInitializer;
import org.fedledger.node.config.NodeConfig;
import org.fedledger.node.tls.ApiAccess;
import org.fedledger.node.tls.CaDirectory;
import org.fedledger.node.tls.NetworkCertificates;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "init",
    mixinStandardHelpOptions = true,
    description = {
      "Create a new network: validator keys, an admin key, funded accounts, genesis.json and"
          + " one node configuration per validator.",
      "Keys are written readable by you only (0600) in directories only you can enter (0700).",
      "Every port speaks TLS: DIR/tls holds the consortium's CA (ca.pem; its key ca-key.pem"
          + " stays with the admin), its revocation list crl.pem, and the admin's client"
          + " certificate admin.pem with admin-key.pem; each node's certificate is node-I/node.pem.",
      "Validator I gets API port BASE+3I, Raft port BASE+3I+1 and blob server port BASE+3I+2 on"
          + " 127.0.0.1.",
      "With --owners N, data owner K (keys/owner-K.json) runs its participant agent in node K mod"
          + " validators, on the data in DIR/data/owner-K; write that data with `fedledger dataset"
          + " split --owners N --out DIR/data` before starting the nodes.",
      "Owners with data of their own (e.g. CSV tables) name it with --owner-data and its schema"
          + " with --owner-schema; the validators then score no central test set, and a job's"
          + " metrics are the owners' own evaluations (job create --test-fraction)."
    })
public final class InitCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--validators", defaultValue = "1", description = "Validators (default: 1).")
  int validators;

  @Option(names = "--chain-id", required = true, description = "The network's name.")
  String chainId;

  @Option(names = "--dir", required = true, description = "Directory to create the network in.")
  Path dir;

  @Option(
      names = "--base-port",
      defaultValue = "7700",
      description = "First port to use (default: 7700).")
  int basePort;

  @Option(
      names = "--accounts",
      defaultValue = "0",
      description = "Funded accounts besides the admin (default: 0).")
  int accounts;

  @Option(
      names = "--owners",
      defaultValue = "0",
      description = "Funded data owners, each with a participant agent in one node (default: 0).")
  int owners;

  @Option(
      names = "--owner-data",
      paramLabel = "PATTERN",
      description =
          "Where owner K's data is, {k} standing for K, e.g. tables/owner-{k}.csv: a CSV file, a"
              + " folder of class sub-folders of images or an IDX folder (default: DIR/data/owner-K,"
              + " as `dataset split` writes it).")
  String ownerData;

  @Option(
      names = "--owner-schema",
      paramLabel = "FILE",
      description =
          "The schema every owner's data is read under (see `fedledger dataset schema`; default:"
              + " NAME.schema.json beside the data, else Fashion-MNIST's for an IDX folder).")
  Path ownerSchema;

  @Option(
      names = "--api-access",
      defaultValue = "members",
      paramLabel = "members|public",
      description =
          "Who may use the nodes' REST API: members (a certificate of the network's CA; default)"
              + " or public (anyone may read, only members write).")
  String apiAccess;

  @Option(
      names = "--balance",
      defaultValue = "1000000000",
      description = "Balance of the admin and each account (default: 1000000000).")
  long balance;

  @Override
  public Integer call() throws Exception {
    OwnerFiles files = ownerFiles();
    ApiAccess access;
    try {
      access = ApiAccess.parse(apiAccess);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--api-access: " + e.getMessage());
    }
    NetworkInitializer.Network network =
        NetworkInitializer.initialize(
            new NetworkInitializer.Request(
                dir,
                chainId,
                validators,
                accounts,
                owners,
                balance,
                NetworkInitializer.Request.consecutivePorts(basePort),
                NodeConfig.BlockParams.DEFAULT,
                System.currentTimeMillis()));
    if (files != null) {
      files.configure(network.configFiles());
    }
    NetworkCertificates.Written tls =
        NetworkCertificates.issue(network, access, java.time.Instant.now());
    var out = spec.commandLine().getOut();
    out.println("Created network '" + chainId + "' in " + network.dir());
    out.println("  genesis:   " + network.genesisFile());
    out.println("  admin key: " + network.adminKeyFile());
    out.println(
        "  TLS:       CA "
            + tls.ca().caFile()
            + " (its key "
            + tls.ca().dir().resolve(CaDirectory.CA_KEY)
            + " stays with you), admin certificate "
            + tls.adminCert()
            + "; API access: "
            + access.label());
    for (Path k : network.accountKeyFiles()) {
      out.println("  account:   " + k);
    }
    for (int i = 0; i < network.configFiles().size(); i++) {
      GenesisDocument.Validator v = network.genesis().validators().get(i);
      NodeConfig config = NodeConfig.load(network.configFiles().get(i));
      out.println(
          "  "
              + v.id()
              + ": api https://"
              + v.apiAddress()
              + "  raft "
              + v.raftAddress()
              + " (mutual TLS)  blobs https://"
              + config.blobAddress()
              + "  config "
              + network.configFiles().get(i));
      for (NodeConfig.Participant p : config.participants()) {
        out.println(
            "    runs "
                + p.displayName()
                + ": key "
                + NodeConfig.resolve(network.configFiles().get(i), p.keyFile())
                + "  data "
                + NodeConfig.resolve(network.configFiles().get(i), p.dataDir()));
      }
    }
    if (owners > 0 && files == null) {
      out.println(
          "Write the owners' data first: fedledger dataset split --owners "
              + owners
              + " --out "
              + network.dir().resolve(NetworkInitializer.DATA_DIR));
    }
    out.println("Start each node with: fedledger node start --config <config>");
    out.println(
        "Then talk to it over HTTPS with your certificate: export FEDLEDGER_CERT="
            + tls.adminCert()
            + " FEDLEDGER_NODE=https://"
            + network.genesis().validators().get(0).apiAddress());
    out.flush();
    return 0;
  }

  /** --owner-data and --owner-schema, checked before anything is written; null if neither. */
  private OwnerFiles ownerFiles() {
    if (ownerData == null && ownerSchema == null) {
      return null;
    }
    if (owners < 1) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--owner-data and --owner-schema need --owners");
    }
    if (ownerData != null && !ownerData.contains(OwnerFiles.OWNER)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--owner-data must contain "
              + OwnerFiles.OWNER
              + " for the owner's number, e.g. tables/owner-{k}.csv; got "
              + ownerData);
    }
    if (ownerSchema != null && !Files.isRegularFile(ownerSchema)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--owner-schema "
              + ownerSchema
              + ": no such file; write one with `fedledger dataset schema`");
    }
    return new OwnerFiles(ownerData, ownerSchema);
  }
}
