package org.fedledger.node.api.budget;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClientKeyTest {
  @Test
  void anIpv6ClientIsKeyedByItsSlash64AndAnIpv4ClientByItsAddress() {
    assertThat(ClientKey.network("2001:db8:1:2:aaaa:bbbb:cccc:dddd"))
        .isEqualTo(ClientKey.network("[2001:db8:1:2::1%eth0]"))
        .isEqualTo("2001:db8:1:2:0:0:0:0/64");
    assertThat(ClientKey.network("2001:db8:1:3::1"))
        .isNotEqualTo(ClientKey.network("2001:db8:1:2::1"));
    assertThat(ClientKey.network("127.0.0.2")).isEqualTo("127.0.0.2");
    assertThat(ClientKey.network("::ffff:10.0.0.7")).isEqualTo("10.0.0.7");
  }
}
