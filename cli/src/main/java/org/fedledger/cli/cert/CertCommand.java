package org.fedledger.cli.cert;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.fedledger.core.address.Address;
import org.fedledger.node.keys.KeyFile;
import org.fedledger.node.tls.CaDirectory;
import org.fedledger.node.tls.CertificateInfo;
import org.fedledger.node.tls.CertificateRequest;
import org.fedledger.node.tls.IssuedCertificate;
import org.fedledger.node.tls.NetworkCertificates;
import org.fedledger.node.tls.Pem;
import org.fedledger.node.tls.Role;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "cert",
    mixinStandardHelpOptions = true,
    description = {
      "Admit and remove members and validators: certificates of the network's CA (DIR/tls).",
      "Run as the admin, where `fedledger init` wrote DIR/tls with the CA's key."
    },
    subcommands = {CertCommand.Issue.class, CertCommand.Revoke.class})
public final class CertCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "a subcommand is required: issue or revoke");
  }

  @Command(
      name = "issue",
      mixinStandardHelpOptions = true,
      description = {
        "Issue a certificate: OUT/NAME.pem with its key OUT/NAME-key.pem (0600), and the CA's"
            + " ca.pem and crl.pem copied beside them when OUT is another directory.",
        "A member's certificate opens the API and the blob servers; a validator's is what a new"
            + " validator's node serves and joins Raft with (name it in its node.json \"tls\").",
      })
  static final class Issue implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--dir", required = true, description = "The network directory (with tls/).")
    Path dir;

    @Option(names = "--name", required = true, description = "The member's or node's name.")
    String name;

    @Option(
        names = "--role",
        required = true,
        paramLabel = "member|validator|admin",
        description = "What the holder may do.")
    String role;

    @Option(
        names = "--key",
        paramLabel = "KEYFILE",
        description = "The holder's Ed25519 key file: its address goes into the certificate.")
    Path keyFile;

    @Option(
        names = "--account",
        paramLabel = "ADDRESS",
        description = "The holder's account address instead of --key.")
    String account;

    @Option(
        names = "--host",
        paramLabel = "HOST",
        description =
            "For a validator: a host name or IP address peers and clients dial it at (repeat;"
                + " 127.0.0.1 and localhost are always included).")
    List<String> hosts = new ArrayList<>();

    @Option(
        names = "--days",
        defaultValue = "365",
        description = "How long the certificate is valid (default: 365).")
    int days;

    @Option(names = "--out", description = "Where to write it (default: DIR/tls).")
    Path out;

    @Override
    public Integer call() throws Exception {
      Role r;
      try {
        r = Role.parse(role);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--role: " + e.getMessage());
      }
      if (days < 1) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--days must be positive");
      }
      if (keyFile != null && account != null) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "give --key or --account, not both");
      }
      Address address =
          keyFile != null
              ? KeyFile.load(keyFile).publicKey().address()
              : account != null ? Address.fromHex(account) : null;
      CaDirectory ca = CaDirectory.open(dir.resolve(NetworkCertificates.TLS_DIR));
      Instant now = Instant.now();
      CertificateRequest request;
      if (r == Role.VALIDATOR) {
        List<String> all = new ArrayList<>(List.of("127.0.0.1", "localhost"));
        hosts.stream().filter(h -> !all.contains(h)).forEach(all::add);
        CertificateRequest.Builder b =
            CertificateRequest.builder()
                .setName(name)
                .setRole(r)
                .setNotBefore(now)
                .optAccount(address)
                .optValidity(Duration.ofDays(days));
        all.forEach(b::optHost);
        request = b.build();
      } else {
        if (!hosts.isEmpty()) {
          throw new CommandLine.ParameterException(
              spec.commandLine(), "--host is for validators: a " + r.label() + " serves nothing");
        }
        request =
            CertificateRequest.builder()
                .setName(name)
                .setRole(r)
                .setNotBefore(now)
                .optAccount(address)
                .optValidity(Duration.ofDays(days))
                .build();
      }
      Path target = out == null ? ca.dir() : out;
      IssuedCertificate issued =
          ca.issue(request, target.resolve(name + ".pem"), target.resolve(name + "-key.pem"));
      if (!Files.isSameFile(target, ca.dir())) {
        Files.copy(
            ca.caFile(), target.resolve(CaDirectory.CA), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(
            ca.crlFile(), target.resolve(CaDirectory.CRL), StandardCopyOption.REPLACE_EXISTING);
      }
      PrintWriter o = spec.commandLine().getOut();
      o.println(
          "Issued "
              + CertificateInfo.describe(issued.certificate())
              + " valid until "
              + issued.certificate().getNotAfter().toInstant()
              + (address == null ? "" : ", account " + address.toHex()));
      o.println("  certificate: " + target.resolve(name + ".pem"));
      o.println("  key:         " + target.resolve(name + "-key.pem") + " (0600)");
      o.flush();
      return 0;
    }
  }

  @Command(
      name = "revoke",
      mixinStandardHelpOptions = true,
      description = {
        "Revoke a certificate: add it to DIR/tls/crl.pem. Nodes that read that file refuse the"
            + " certificate at their next handshake; copy crl.pem to nodes on other machines."
      })
  static final class Revoke implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--dir", required = true, description = "The network directory (with tls/).")
    Path dir;

    @CommandLine.Parameters(
        index = "0",
        paramLabel = "CERT",
        description = "The certificate to revoke, e.g. DIR/tls/alice.pem.")
    Path cert;

    @Override
    public Integer call() throws Exception {
      CaDirectory ca = CaDirectory.open(dir.resolve(NetworkCertificates.TLS_DIR));
      var c = Pem.readCertificate(cert);
      ca.revoke(c, Instant.now());
      PrintWriter o = spec.commandLine().getOut();
      o.println("Revoked " + CertificateInfo.describe(c) + " in " + ca.crlFile());
      o.flush();
      return 0;
    }
  }
}
