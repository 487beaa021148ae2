package org.fedledger.node.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A predict body read in one streaming pass gives the values, row count and voucher that reading it
 * as a tree gave, to the bit; broken JSON is refused as such before any row is, a repeated field is
 * refused, and other fields are ignored.
 */
class PredictBodyTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final InputDecoder FOUR = new InputDecoder(4, null);

  private static PredictBody read(String body, InputDecoder decoder) throws IOException {
    return PredictBody.read(JSON, body.getBytes(StandardCharsets.UTF_8), decoder);
  }

  @Test
  void decimalsReadTheSameFloatsAsTheTreeReadThem() throws Exception {
    Random random = new Random(19);
    int size = 784;
    InputDecoder decoder = new InputDecoder(size, null);
    StringBuilder body = new StringBuilder("{\"voucher\":\"abc\",\"rows\":[");
    for (int r = 0; r < 3; r++) {
      body.append(r == 0 ? "[" : ",[");
      for (int j = 0; j < size; j++) {
        body.append(j == 0 ? "" : ",").append(number(random));
      }
      body.append(']');
    }
    body.append("]}");
    float[] streamed = read(body.toString(), decoder).inputs();
    float[] tree = decoder.decode(JSON.readTree(body.toString()).get("rows"));
    assertThat(streamed).hasSize(3 * size);
    for (int i = 0; i < tree.length; i++) {
      assertThat(Float.floatToRawIntBits(streamed[i]))
          .as("value %d", i)
          .isEqualTo(Float.floatToRawIntBits(tree[i]));
    }
  }

  // Decimals of many digits (where rounding through double and straight to float can differ),
  // exponents, ints, longs and integers beyond a long.
  private static String number(Random random) {
    switch (random.nextInt(6)) {
      case 0:
        return Double.toString(random.nextGaussian());
      case 1:
        return String.format("%.3f", random.nextDouble());
      case 2:
        return random.nextInt(1000) + "." + Long.toUnsignedString(random.nextLong()) + "e-3";
      case 3:
        return Integer.toString(random.nextInt());
      case 4:
        return Long.toString(random.nextLong());
      default:
        return Long.toUnsignedString(random.nextLong()) + "123456789";
    }
  }

  @Test
  void theRowsCountAndTheVoucherAreReadWhereverTheyStand() throws Exception {
    PredictBody body =
        read("{\"x\":{\"y\":[1,{}]},\"rows\":[[1,2,3,4],[5,6,7,8]],\"voucher\":\"v1\"}", FOUR);
    assertThat(body.inputs()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
    assertThat(body.rows()).isEqualTo(2);
    assertThat(body.voucher()).isEqualTo("v1");
    assertThat(body.refusal()).isNull();
    assertThat(read("{\"rows\":[[1,2,3,4]],\"voucher\":null}", FOUR).voucher()).isNull();
    // Not text: read as the tree's asText() read it, and refused later as a voucher.
    assertThat(read("{\"rows\":[[1,2,3,4]],\"voucher\":12}", FOUR).voucher()).isEqualTo("12");
  }

  @Test
  void aTruncatedBodyIsNotJson() {
    assertThatThrownBy(() -> read("{\"rows\":[[1,2,3,4]", FOUR))
        .isInstanceOf(JsonProcessingException.class)
        .hasMessageContaining("end-of-input");
    assertThatThrownBy(() -> read("{\"rows\":[[1,2,", FOUR))
        .isInstanceOf(JsonProcessingException.class);
    assertThatThrownBy(() -> read("{\"rows\":[[1,2,3,4]], \"voucher\"", FOUR))
        .isInstanceOf(JsonProcessingException.class);
  }

  @Test
  void brokenJsonAfterABadRowIsReportedAsBrokenJson() {
    assertThatThrownBy(() -> read("{\"rows\":[[1,2],[1,2,3,4]],\"voucher\":\"v\" x}", FOUR))
        .isInstanceOf(JsonProcessingException.class);
    assertThatThrownBy(() -> read("{\"rows\":[[1,\"x\",3,4],[1,2,3,4}", FOUR))
        .isInstanceOf(JsonProcessingException.class);
  }

  @Test
  void aRowThatDoesNotFitIsRefusedAfterTheWholeBodyIsRead() throws Exception {
    PredictBody body = read("{\"rows\":[[1,2,3,4],[1,true,3,4]],\"voucher\":\"v\"}", FOUR);
    assertThat(body.refusal()).isEqualTo("row 1, value 1 is true, not a finite number");
    assertThat(body.voucher()).isEqualTo("v");
    // A row of the wrong length is refused for its length, whatever its values.
    assertThat(read("{\"rows\":[[1,\"x\",3]]}", FOUR).refusal())
        .startsWith("row 0 must be an array of 4 numbers");
    assertThat(read("{\"rows\":[[1,2,3,4,5]]}", FOUR).refusal())
        .startsWith("row 0 must be an array of 4 numbers");
    // Only the first bad row is named.
    assertThat(read("{\"rows\":[[1],[1,2,3,4],[2]]}", FOUR).refusal()).startsWith("row 0 ");
  }

  @Test
  void aNestedValueIsRefusedAndNamedAsJson() throws Exception {
    assertThat(read("{\"rows\":[[1,[2,[3]],3,4]]}", FOUR).refusal())
        .isEqualTo("row 0, value 1 is [2,[3]], not a finite number");
    assertThat(read("{\"rows\":[[1,2,{\"a\":1},4]]}", FOUR).refusal())
        .isEqualTo("row 0, value 2 is {\"a\":1}, not a finite number");
    assertThat(read("{\"rows\":[[1,2,3,1e39]]}", FOUR).refusal())
        .isEqualTo("row 0, value 3 is 1.0E39, not a finite number");
  }

  @Test
  void aBodyNestedBeyondJacksonsDepthLimitIsNotJson() {
    String deep = "[".repeat(2000) + "]".repeat(2000);
    assertThatThrownBy(() -> read("{\"rows\":[" + deep + "]}", FOUR))
        .isInstanceOf(JsonProcessingException.class)
        .hasMessageContaining("depth");
    assertThatThrownBy(() -> read("{\"other\":" + deep + ",\"rows\":[[1,2,3,4]]}", FOUR))
        .isInstanceOf(JsonProcessingException.class);
  }

  @Test
  void aFieldTwiceIsRefused() {
    assertThatThrownBy(() -> read("{\"rows\":[[1,2,3,4]],\"rows\":[[5,6,7,8]]}", FOUR))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the body has \"rows\" twice; send each field once");
    assertThatThrownBy(
            () -> read("{\"voucher\":\"a\",\"rows\":[[1,2,3,4]],\"voucher\":\"b\"}", FOUR))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the body has \"voucher\" twice; send each field once");
  }

  @Test
  void aBodyThatIsNotAnObjectIsRefusedOnceItIsKnownToBeJson() {
    assertThatThrownBy(() -> read("[[1,2,3,4]]", FOUR))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("the body must be a JSON object");
    assertThatThrownBy(() -> read("", FOUR))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("the body must be a JSON object");
    assertThatThrownBy(() -> read("[[1,2,3,4]", FOUR)).isInstanceOf(JsonProcessingException.class);
  }

  @Test
  void aBodyWithoutRowsGetsTheDecodersRefusal() throws Exception {
    assertThat(read("{\"voucher\":\"v\"}", FOUR).refusal())
        .startsWith("the body needs \"rows\": a non-empty array of arrays of 4 numbers");
    assertThat(read("{\"rows\":[]}", FOUR).refusal()).startsWith("the body needs \"rows\"");
    assertThat(read("{\"rows\":{\"a\":[1,2]}}", FOUR).refusal())
        .startsWith("the body needs \"rows\"");
  }

  @Test
  void tooManyRowsIsTheRefusalEvenIfAnEarlierRowIsBad() throws Exception {
    StringBuilder body = new StringBuilder("{\"rows\":[[1]");
    body.append(",[1,2,3,4]".repeat(InputDecoder.MAX_ROWS)).append("]}");
    assertThat(read(body.toString(), FOUR).refusal())
        .isEqualTo("1025 rows in one request; at most 1024, split the request");
  }

  @Test
  void withoutADecoderTheRowsAreOnlyCheckedForJson() throws Exception {
    PredictBody body = read("{\"rows\":[[\"anything\"]],\"voucher\":\"v\"}", null);
    assertThat(body.inputs()).isNull();
    assertThat(body.refusal()).isNull();
    assertThat(body.voucher()).isEqualTo("v");
    assertThatThrownBy(() -> read("{\"rows\":[[1,2", null))
        .isInstanceOf(JsonProcessingException.class);
  }
}
