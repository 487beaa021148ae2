package org.fedledger.ledger.validators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The one rule for a validator's raft_address. */
class RaftAddressTest {
  @Test
  void hostAndPortParseAndCompareWithoutLetterCase() {
    assertThat(RaftAddress.parse("Node-3.Example:7807"))
        .isEqualTo(new RaftAddress("node-3.example", 7807))
        .isEqualTo(RaftAddress.parse("node-3.example:7807"));
    assertThat(RaftAddress.parse("[::1]:7801")).isEqualTo(RaftAddress.parse("::1:7801"));
    assertThat(RaftAddress.parse("[::1]:7801").toString()).isEqualTo("[::1]:7801");
    assertThat(RaftAddress.parse("127.0.0.1:1").toString()).isEqualTo("127.0.0.1:1");
  }

  @Test
  void anythingElseIsRefusedWithWhatIsWrong() {
    assertThatThrownBy(() -> RaftAddress.parse("127.0.0.1")).hasMessageContaining("host:port");
    assertThatThrownBy(() -> RaftAddress.parse(":7801")).hasMessageContaining("host:port");
    assertThatThrownBy(() -> RaftAddress.parse("h:")).hasMessageContaining("host:port");
    assertThatThrownBy(() -> RaftAddress.parse("h:x")).hasMessageContaining("not a number");
    assertThatThrownBy(() -> RaftAddress.parse("h:0")).hasMessageContaining("1..65535");
    assertThatThrownBy(() -> RaftAddress.parse("h:65536")).hasMessageContaining("1..65535");
    assertThatThrownBy(() -> RaftAddress.parse("a b:1")).hasMessageContaining("without spaces");
    assertThatThrownBy(() -> RaftAddress.parse("")).hasMessageContaining("got nothing");
    assertThatThrownBy(() -> RaftAddress.parse(null)).hasMessageContaining("got nothing");
  }
}
