package org.fedledger.cli.cert;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Set;
import org.fedledger.cli.client.ClientTls;
import org.fedledger.cli.testing.CliRun;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.node.keys.KeyFile;
import org.fedledger.node.tls.CertificateInfo;
import org.fedledger.node.tls.ConsortiumTrustManager;
import org.fedledger.node.tls.Pem;
import org.fedledger.node.tls.Role;
import org.fedledger.node.tls.TlsIdentity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fedledger cert issue|revoke} on a network made by {@code fedledger init}. */
class CertCommandTest {
  @TempDir Path dir;

  private Path init() {
    Path net = dir.resolve("net");
    CliRun run = CliRun.of("init", "--validators", "1", "--chain-id", "c", "--dir", net.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    return net;
  }

  private ConsortiumTrustManager api(Path net) throws Exception {
    return new ConsortiumTrustManager(
        "API",
        Pem.readCertificate(net.resolve("tls/ca.pem")),
        net.resolve("tls/crl.pem"),
        Set.of(Role.MEMBER, Role.ADMIN),
        Clock.systemUTC());
  }

  @Test
  void issuedMemberCertificateNamesItsAccountAndIsAcceptedUntilRevoked() throws Exception {
    Path net = init();
    Path aliceKey = dir.resolve("alice.json");
    KeyFile.save(aliceKey, Ed25519KeyPair.generate());
    Path out = dir.resolve("alice-tls");

    CliRun issue =
        CliRun.of(
            "cert",
            "issue",
            "--dir",
            net.toString(),
            "--name",
            "alice",
            "--role",
            "member",
            "--key",
            aliceKey.toString(),
            "--out",
            out.toString());

    assertThat(issue.exitCode()).as(issue.err()).isZero();
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(out.resolve("alice-key.pem"))))
        .isEqualTo("rw-------");
    // Everything the member needs is beside the certificate: its key, the CA and the CRL.
    TlsIdentity alice = ClientTls.load(out.resolve("alice.pem"));
    X509Certificate cert = alice.own().certificate();
    assertThat(alice.role()).isEqualTo(Role.MEMBER);
    assertThat(CertificateInfo.account(cert))
        .isEqualTo(KeyFile.load(aliceKey).publicKey().address());
    ConsortiumTrustManager api = api(net);
    api.checkClientTrusted(new X509Certificate[] {cert}, "EC");

    CliRun revoke =
        CliRun.of("cert", "revoke", "--dir", net.toString(), out.resolve("alice.pem").toString());

    assertThat(revoke.exitCode()).as(revoke.err()).isZero();
    assertThat(revoke.out()).contains("Revoked alice (member");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> api.checkClientTrusted(new X509Certificate[] {cert}, "EC"))
        .hasMessageContaining("it is revoked");
  }

  @Test
  void rotatingANodeCertificateAdmitsTheNewOneAndRevokingTheOldRefusesIt() throws Exception {
    Path net = init();
    X509Certificate old = Pem.readCertificate(net.resolve("node-0/node.pem"));
    ConsortiumTrustManager raft =
        new ConsortiumTrustManager(
            "Raft",
            Pem.readCertificate(net.resolve("tls/ca.pem")),
            net.resolve("tls/crl.pem"),
            Set.of(Role.VALIDATOR),
            Clock.systemUTC());

    CliRun issue =
        CliRun.of(
            "cert",
            "issue",
            "--dir",
            net.toString(),
            "--name",
            "node-0-2027",
            "--role",
            "validator",
            "--key",
            net.resolve("node-0/validator-key.json").toString(),
            "--host",
            "10.0.0.5");
    assertThat(issue.exitCode()).as(issue.err()).isZero();
    X509Certificate fresh = Pem.readCertificate(net.resolve("tls/node-0-2027.pem"));
    assertThat(fresh.getSubjectAlternativeNames().stream().map(n -> n.get(1).toString()))
        .contains("10.0.0.5", "127.0.0.1", "localhost");
    raft.checkServerTrusted(new X509Certificate[] {fresh}, "EC");
    raft.checkServerTrusted(new X509Certificate[] {old}, "EC");

    assertThat(
            CliRun.of(
                    "cert",
                    "revoke",
                    "--dir",
                    net.toString(),
                    net.resolve("node-0/node.pem").toString())
                .exitCode())
        .isZero();

    raft.checkServerTrusted(new X509Certificate[] {fresh}, "EC");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> raft.checkServerTrusted(new X509Certificate[] {old}, "EC"))
        .hasMessageContaining("it is revoked");
  }

  @Test
  void badRequestsAreRefusedAndWriteNothing() throws Exception {
    Path net = init();
    CliRun badRole =
        CliRun.of("cert", "issue", "--dir", net.toString(), "--name", "x", "--role", "king");
    assertThat(badRole.exitCode()).isEqualTo(2);
    assertThat(badRole.err()).contains("unknown role \"king\"");

    CliRun memberWithHost =
        CliRun.of(
            "cert",
            "issue",
            "--dir",
            net.toString(),
            "--name",
            "x",
            "--role",
            "member",
            "--host",
            "h");
    assertThat(memberWithHost.exitCode()).isEqualTo(2);
    assertThat(memberWithHost.err()).contains("--host is for validators");

    CliRun noCa =
        CliRun.of(
            "cert",
            "issue",
            "--dir",
            dir.resolve("nowhere").toString(),
            "--name",
            "x",
            "--role",
            "member");
    assertThat(noCa.exitCode()).isEqualTo(1);
    assertThat(noCa.err()).contains("the CA's key is needed");

    CliRun again =
        CliRun.of("cert", "issue", "--dir", net.toString(), "--name", "admin", "--role", "member");
    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.err()).contains("refusing to overwrite");
    assertThat(net.resolve("tls/x.pem")).doesNotExist();
    assertThat(net.resolve("tls/x-key.pem")).doesNotExist();
  }
}
