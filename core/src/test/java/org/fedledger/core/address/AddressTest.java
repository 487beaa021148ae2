package org.fedledger.core.address;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;

class AddressTest {
  @Test
  void anAddressSurvivesTheRoundTripThroughAProtobufField() {
    Address a = Address.fromHex("00112233445566778899aabbccddeeff00112233");

    ByteString field = a.toByteString();

    assertThat(field.toByteArray()).isEqualTo(a.toByteArray());
    assertThat(Address.of(field)).isEqualTo(a);
  }

  @Test
  void aFieldOfAnotherLengthIsNotAnAddress() {
    assertThatThrownBy(() -> Address.of(ByteString.copyFrom(new byte[32])))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("an address is 20 bytes, got 32");
    assertThatThrownBy(() -> Address.of((ByteString) null))
        .hasMessage("an address is 20 bytes, got null");
  }
}
