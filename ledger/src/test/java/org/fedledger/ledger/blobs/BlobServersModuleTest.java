package org.fedledger.ledger.blobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.fedledger.core.proto.Receipt;
import org.fedledger.core.proto.ReceiptStatus;
import org.fedledger.core.proto.blobs.AnnounceBlobServer;
import org.fedledger.ledger.training.TrainingNet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BlobServersModuleTest {
  @TempDir Path dir;
  private TrainingNet net;

  @BeforeEach
  void open() {
    net = new TrainingNet(dir);
  }

  @AfterEach
  void close() {
    net.close();
  }

  private Receipt announce(int account, String url) {
    return net.send(
        account,
        BlobServersModule.NAME,
        BlobServersModule.ANNOUNCE,
        AnnounceBlobServer.newBuilder().setUrl(url).build());
  }

  private java.util.Optional<String> serverOf(int account) {
    return net.query(q -> net.ledger().blobServers().serverOf(q, TrainingNet.address(account)));
  }

  private boolean announced(String url) {
    return net.query(q -> net.ledger().blobServers().isAnnounced(q, url));
  }

  @Test
  void aUrlIsAnnouncedWhileSomeAccountAnnouncesIt() {
    assertThat(announce(1, "http://127.0.0.1:7001").getStatus()).isEqualTo(ReceiptStatus.OK);
    assertThat(announce(2, "http://127.0.0.1:7001").getStatus()).isEqualTo(ReceiptStatus.OK);
    assertThat(announced("http://127.0.0.1:7001")).isTrue();
    assertThat(serverOf(1)).contains("http://127.0.0.1:7001");

    // Account 1 moves: the URL stays announced by account 2.
    Receipt moved = announce(1, "https://blobs.example:8443");
    assertThat(moved.getEventsList()).extracting(e -> e.getType()).contains("BlobServerAnnounced");
    assertThat(announced("http://127.0.0.1:7001")).isTrue();
    assertThat(announced("https://blobs.example:8443")).isTrue();

    // Account 2 moves too: nobody announces the old URL any more.
    announce(2, "http://127.0.0.1:7002");
    assertThat(announced("http://127.0.0.1:7001")).isFalse();
    assertThat(announced("http://127.0.0.1:9999")).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "ftp://127.0.0.1:21",
        "file:///etc/passwd",
        "http://127.0.0.1:7001/v1/blobs",
        "http://127.0.0.1:7001/",
        "http://127.0.0.1:7001?x=1",
        "http://127.0.0.1:7001#frag",
        "http://user:pw@127.0.0.1:7001",
        "HTTP://127.0.0.1:7001",
        "http://Blobs.Example",
        "http://",
        "not a url",
        "http://127.0.0.1:99999"
      })
  void aMalformedUrlIsRefusedWithTheReasonAndChangesNothing(String url) {
    announce(3, "http://127.0.0.1:7003");
    Receipt refused = announce(3, url);
    assertThat(refused.getStatus()).isEqualTo(ReceiptStatus.FAILED);
    assertThat(refused.getError()).startsWith("INVALID_MESSAGE: url");
    assertThat(serverOf(3)).contains("http://127.0.0.1:7003");
    assertThat(announced(url)).isFalse();
  }

  @Test
  void aTooLongUrlIsRefused() {
    String url = "http://" + "a".repeat(BlobServerUrl.MAX_LENGTH) + ".example";
    assertThat(announce(4, url).getError()).contains("1 to 200 characters");
  }
}
