package org.fedledger.node.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import javax.net.ssl.SSLContext;
import org.fedledger.core.address.Address;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.node.keys.InsecureKeyFileException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsortiumTlsTest {
  @TempDir Path dir;
  private CaDirectory ca;
  private TlsIdentity validator;

  @BeforeEach
  void createCa() throws IOException {
    ca = CaDirectory.create(dir.resolve("tls"), "test", Instant.now());
    validator = identity("node-0", Role.VALIDATOR, Instant.now(), Duration.ofDays(1));
  }

  private TlsIdentity identity(String name, Role role, Instant notBefore, Duration validity)
      throws IOException {
    return identity(ca, name, role, notBefore, validity);
  }

  private TlsIdentity identity(
      CaDirectory authority, String name, Role role, Instant notBefore, Duration validity)
      throws IOException {
    CertificateRequest.Builder r =
        CertificateRequest.builder()
            .setName(name)
            .setRole(role)
            .setNotBefore(notBefore)
            .optValidity(validity)
            .optAccount(Ed25519KeyPair.generate().publicKey().address());
    if (role == Role.VALIDATOR) {
      r.optHost("127.0.0.1").optHost("localhost");
    }
    Path certFile = authority.dir().resolve(name + ".pem");
    Path keyFile = authority.dir().resolve(name + "-key.pem");
    authority.issue(r.build(), certFile, keyFile);
    return TlsIdentity.load(certFile, keyFile, authority.caFile(), authority.crlFile());
  }

  private SSLContext apiServer() {
    return validator.sslContext("API", Set.of(Role.MEMBER, Role.ADMIN));
  }

  private static SSLContext clientOf(TlsIdentity id) {
    return id.sslContext("client", Set.of(Role.VALIDATOR));
  }

  @Test
  void issuedCertificateNamesItsHolderRoleAndAccount() throws IOException {
    Address account = Ed25519KeyPair.generate().publicKey().address();
    IssuedCertificate issued =
        ca.authority()
            .issue(
                CertificateRequest.builder()
                    .setName("alice")
                    .setRole(Role.MEMBER)
                    .setNotBefore(Instant.now())
                    .optAccount(account)
                    .build());

    assertThat(CertificateInfo.name(issued.certificate())).isEqualTo("alice");
    assertThat(issued.role()).isEqualTo(Role.MEMBER);
    assertThat(CertificateInfo.account(issued.certificate())).isEqualTo(account);
    assertThat(issued.certificate().getPublicKey().getAlgorithm()).isEqualTo("EC");
  }

  @Test
  void memberCertificateOfTheConsortiumIsAccepted() throws Exception {
    TlsIdentity alice = identity("alice", Role.MEMBER, Instant.now(), Duration.ofDays(1));

    Handshake.Outcome o = Handshake.run(apiServer(), clientOf(alice), true);

    assertThat(o.succeeded()).as("%s", o).isTrue();
  }

  @Test
  void clientWithoutCertificateIsRefusedWhenOneIsRequired() throws Exception {
    Handshake.Outcome o =
        Handshake.run(apiServer(), clientOf(TlsIdentity.anonymous(ca.caFile())), true);

    assertThat(o.server()).isNotNull();
    assertThat(o.server().getMessage()).containsIgnoringCase("certificate");
  }

  @Test
  void certificateOfAnotherCaIsRefusedNamingTheIssuer() throws Exception {
    CaDirectory other = CaDirectory.create(dir.resolve("other"), "intruders", Instant.now());
    TlsIdentity mallory =
        identity(other, "mallory", Role.MEMBER, Instant.now(), Duration.ofDays(1));
    ConsortiumTrustManager tm = validator.trustManager("API", Set.of(Role.MEMBER));

    assertThatThrownBy(
            () ->
                tm.checkClientTrusted(
                    new java.security.cert.X509Certificate[] {mallory.own().certificate()}, "EC"))
        .hasMessageContaining("API refused client certificate mallory")
        .hasMessageContaining("not issued by this consortium's CA")
        .hasMessageContaining("intruders consortium CA");
    assertThat(Handshake.run(apiServer(), clientOf(mallory), true).succeeded()).isFalse();
  }

  @Test
  void expiredCertificateIsRefusedSayingWhenItExpired() throws Exception {
    TlsIdentity old =
        identity("old", Role.MEMBER, Instant.now().minus(Duration.ofDays(3)), Duration.ofDays(1));
    ConsortiumTrustManager tm = validator.trustManager("API", Set.of(Role.MEMBER));

    assertThatThrownBy(
            () ->
                tm.checkClientTrusted(
                    new java.security.cert.X509Certificate[] {old.own().certificate()}, "EC"))
        .hasMessageContaining("it expired on");
    Handshake.Outcome o = Handshake.run(apiServer(), clientOf(old), true);
    assertThat(o.server()).isNotNull();
  }

  @Test
  void revokedCertificateIsRefusedByARunningServerOnceTheCrlChanges() throws Exception {
    TlsIdentity bob = identity("bob", Role.MEMBER, Instant.now(), Duration.ofDays(1));
    SSLContext server = apiServer();
    assertThat(Handshake.run(server, clientOf(bob), true).succeeded()).isTrue();

    ca.revoke(bob.own().certificate(), Instant.now());

    Handshake.Outcome o = Handshake.run(server, clientOf(bob), true);
    assertThat(o.server()).isNotNull();
    assertThat(o.server())
        .hasRootCauseMessage(
            "API refused client certificate "
                + CertificateInfo.describe(bob.own().certificate())
                + ": it is revoked (on the CRL "
                + ca.crlFile()
                + ")");
  }

  @Test
  void revocationListStaysCurrentMonthsAfterItWasWritten() throws Exception {
    TlsIdentity alice = identity("alice", Role.MEMBER, Instant.now(), Duration.ofDays(365));
    Clock halfAYearOn = Clock.offset(Clock.systemUTC(), Duration.ofDays(180));
    ConsortiumTrustManager later =
        new ConsortiumTrustManager(
            "API", ca.authority().certificate(), ca.crlFile(), Set.of(Role.MEMBER), halfAYearOn);

    later.checkClientTrusted(
        new java.security.cert.X509Certificate[] {alice.own().certificate()}, "EC");
  }

  @Test
  void validatorCertificateUsedAsApiClientIsRefused() throws Exception {
    TlsIdentity otherNode = identity("node-1", Role.VALIDATOR, Instant.now(), Duration.ofDays(1));

    Handshake.Outcome o = Handshake.run(apiServer(), clientOf(otherNode), true);

    assertThat(o.server()).isNotNull();
    assertThat(o.server())
        .rootCause()
        .hasMessageContaining("its role is validator, and this port accepts [admin, member]");
  }

  @Test
  void memberCannotPoseAsAServer() throws Exception {
    TlsIdentity alice = identity("alice", Role.MEMBER, Instant.now(), Duration.ofDays(1));
    TlsIdentity carol = identity("carol", Role.MEMBER, Instant.now(), Duration.ofDays(1));
    SSLContext fakeServer = alice.sslContext("API", Set.of(Role.MEMBER));

    Handshake.Outcome o = Handshake.run(fakeServer, clientOf(carol), true);

    assertThat(o.client()).isNotNull();
  }

  @Test
  void revokingCertificateOfAnotherCaIsRefusedAndLeavesTheCrlAlone() throws Exception {
    CaDirectory other = CaDirectory.create(dir.resolve("other"), "intruders", Instant.now());
    TlsIdentity mallory =
        identity(other, "mallory", Role.MEMBER, Instant.now(), Duration.ofDays(1));
    byte[] before = Files.readAllBytes(ca.crlFile());

    assertThatThrownBy(() -> ca.revoke(mallory.own().certificate(), Instant.now()))
        .hasMessageContaining("not issued by");
    assertThat(Files.readAllBytes(ca.crlFile())).isEqualTo(before);
  }

  @Test
  void keyFileOthersCanReadIsRefused() throws Exception {
    identity("alice", Role.MEMBER, Instant.now(), Duration.ofDays(1));
    Path key = ca.dir().resolve("alice-key.pem");
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));

    assertThatThrownBy(
            () -> TlsIdentity.load(ca.dir().resolve("alice.pem"), key, ca.caFile(), ca.crlFile()))
        .isInstanceOf(InsecureKeyFileException.class)
        .hasMessageContaining("rw-r--r--");
  }

  @Test
  void keyOfAnotherCertificateIsRefused() throws Exception {
    identity("alice", Role.MEMBER, Instant.now(), Duration.ofDays(1));
    identity("bob", Role.MEMBER, Instant.now(), Duration.ofDays(1));

    assertThatThrownBy(
            () ->
                TlsIdentity.load(
                    ca.dir().resolve("alice.pem"),
                    ca.dir().resolve("bob-key.pem"),
                    ca.caFile(),
                    ca.crlFile()))
        .hasMessageContaining("is not the key of the certificate");
  }

  @Test
  void secondCaInTheSameDirectoryIsRefused() {
    assertThatThrownBy(() -> CaDirectory.create(ca.dir(), "again", Instant.now()))
        .hasMessageContaining("a CA exists here already");
  }

  @Test
  void caKeyIsOwnerOnly() throws IOException {
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(ca.dir().resolve(CaDirectory.CA_KEY))))
        .isEqualTo("rw-------");
  }

  @Test
  void requestWithoutRoleOrWithABadNameIsRefused() {
    assertThatThrownBy(
            () -> CertificateRequest.builder().setName("x").setNotBefore(Instant.now()).build())
        .hasMessageContaining("needs a role");
    assertThatThrownBy(
            () ->
                CertificateRequest.builder()
                    .setName("../etc")
                    .setRole(Role.MEMBER)
                    .setNotBefore(Instant.now())
                    .build())
        .hasMessageContaining("name must be");
    assertThatThrownBy(
            () ->
                CertificateRequest.builder()
                    .setName("alice")
                    .setRole(Role.MEMBER)
                    .optHost("127.0.0.1")
                    .setNotBefore(Instant.now())
                    .build())
        .hasMessageContaining("only a validator's certificate names hosts");
  }
}
