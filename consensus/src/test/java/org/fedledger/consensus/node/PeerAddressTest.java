package org.fedledger.consensus.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PeerAddressTest {
  @Test
  void parsesHostNamesIpv4AndBracketedIpv6AndRoundTripsThroughRatis() {
    PeerAddress v4 = PeerAddress.parse("v0=127.0.0.1:7801");
    assertThat(v4).isEqualTo(new PeerAddress("v0", "127.0.0.1", 7801));
    assertThat(v4.address()).isEqualTo("127.0.0.1:7801");

    PeerAddress v6 = PeerAddress.parse("v1=[::1]:7804");
    assertThat(v6.host()).isEqualTo("::1");
    assertThat(v6.address()).isEqualTo("[::1]:7804");
    assertThat(v6.toString()).isEqualTo("v1=[::1]:7804");
    assertThat(PeerAddress.parse(v6.toString())).isEqualTo(v6);
    assertThat(PeerAddress.of(v6.toRaftPeer())).isEqualTo(v6);

    PeerAddress named = PeerAddress.parse("node-2=validator-2.example:7807");
    assertThat(PeerAddress.of(named.toRaftPeer())).isEqualTo(named);
  }

  @Test
  void badSpecsAreRefusedWithTheReason() {
    assertThatThrownBy(() -> PeerAddress.parse("127.0.0.1:7801"))
        .hasMessageContaining("id=host:port");
    assertThatThrownBy(() -> PeerAddress.parse("v0=host:")).hasMessageContaining("id=host:port");
    assertThatThrownBy(() -> PeerAddress.parse("v0=host:port"))
        .hasMessageContaining("not a number");
    assertThatThrownBy(() -> PeerAddress.parse("v 0=host:1"))
        .hasMessageContaining("peer id must be");
    assertThatThrownBy(() -> PeerAddress.parse("v0=host:70000"))
        .hasMessageContaining("invalid port");
  }
}
