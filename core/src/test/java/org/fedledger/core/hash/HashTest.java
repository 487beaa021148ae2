package org.fedledger.core.hash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HashTest {
  @Test
  void aHashSurvivesTheRoundTripThroughAProtobufField() {
    Hash h = Sha256.hash("fedledger".getBytes(StandardCharsets.UTF_8));

    ByteString field = h.toByteString();

    assertThat(field.toByteArray()).isEqualTo(h.toByteArray());
    assertThat(Hash.of(field)).isEqualTo(h);
  }

  @Test
  void aFieldOfAnotherLengthIsNotAHash() {
    assertThatThrownBy(() -> Hash.of(ByteString.copyFrom(new byte[31])))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a hash is 32 bytes, got 31");
    assertThatThrownBy(() -> Hash.of(ByteString.EMPTY)).hasMessage("a hash is 32 bytes, got 0");
    assertThatThrownBy(() -> Hash.of((ByteString) null)).hasMessage("a hash is 32 bytes, got null");
  }
}
