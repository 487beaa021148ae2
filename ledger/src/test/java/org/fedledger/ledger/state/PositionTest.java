package org.fedledger.ledger.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.fedledger.core.hash.Hash;
import org.junit.jupiter.api.Test;

/** The store key is the on-disk format: depth, then the path's first depth bits, zero-padded. */
class PositionTest {
  private final Random random = new Random(7);

  @Test
  void storeKeyIsTheDepthThenThePathPrefix() {
    for (int i = 0; i < 2_000; i++) {
      Hash path = randomHash();
      int depth = random.nextInt(TreeHashing.DEPTH + 1);
      assertThat(Position.of(depth, path).key()).isEqualTo(expectedKey(depth, path));
    }
  }

  @Test
  void positionsAreEqualExactlyWhenDepthAndPrefixAgree() {
    Hash a = randomHash();
    for (int depth = 0; depth <= TreeHashing.DEPTH; depth++) {
      Hash b = flipBit(a, Math.min(depth, TreeHashing.DEPTH - 1));
      Position pa = Position.of(depth, a);
      Position pb = Position.of(depth, b);
      boolean samePrefix = depth < TreeHashing.DEPTH;
      assertThat(pa.equals(pb)).as("depth %d", depth).isEqualTo(samePrefix);
      if (samePrefix) {
        assertThat(pa.hashCode()).isEqualTo(pb.hashCode());
      }
      if (depth < TreeHashing.DEPTH) {
        assertThat(pa).as("another depth").isNotEqualTo(Position.of(depth + 1, a));
      }
      assertThat(pa.depth()).isEqualTo(depth);
    }
  }

  @Test
  void childSetsOrClearsTheBitAtTheParentsDepth() {
    for (int i = 0; i < 500; i++) {
      Hash path = randomHash();
      int depth = random.nextInt(TreeHashing.DEPTH);
      Position left = Position.child(depth, path, 0);
      Position right = Position.child(depth, path, 1);
      assertThat(left.depth()).isEqualTo(depth + 1);
      assertThat(left).isNotEqualTo(right);
      Position own = Position.of(depth + 1, path);
      assertThat(TreeHashing.bit(path, depth) == 0 ? left : right).isEqualTo(own);
      assertThat(TreeHashing.bit(path, depth) == 0 ? right : left)
          .isEqualTo(Position.of(depth + 1, flipBit(path, depth)));
    }
  }

  @Test
  void prefixNumbersThePathBitsAsALevelIndex() {
    for (int i = 0; i < 2_000; i++) {
      Hash path = randomHash();
      int depth = random.nextInt(Position.MAX_PREFIX_DEPTH + 1);
      int expected = 0;
      for (int bit = 0; bit < depth; bit++) {
        expected = (expected << 1) | TreeHashing.bit(path, bit);
      }
      assertThat(Position.prefix(path, depth)).as("depth %d", depth).isEqualTo(expected);
      assertThat(Position.of(depth, path).prefix()).isEqualTo(expected);
    }
    assertThatThrownBy(() -> Position.prefix(randomHash(), Position.MAX_PREFIX_DEPTH + 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void fromKeyReadsBackAStoreKeyAndRejectsOthers() {
    for (int i = 0; i < 200; i++) {
      Position p = Position.of(random.nextInt(TreeHashing.DEPTH + 1), randomHash());
      assertThat(Position.fromKey(p.key())).isEqualTo(p);
    }
    assertThatThrownBy(() -> Position.fromKey(new byte[33]))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("33 bytes");
    byte[] tooDeep = new byte[34];
    tooDeep[0] = 0x01;
    tooDeep[1] = 0x01; // depth 257
    assertThatThrownBy(() -> Position.fromKey(tooDeep))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("depth 257");
  }

  @Test
  void firstKeyAtStartsEachDepthsKeyRange() {
    byte[] start = Position.firstKeyAt(17);
    assertThat(Arrays.compareUnsigned(start, Position.of(16, Hash.ZERO).key())).isPositive();
    assertThat(Arrays.compareUnsigned(start, Position.of(17, Hash.ZERO).key())).isZero();
    byte[] ones = new byte[Hash.LENGTH];
    Arrays.fill(ones, (byte) 0xff);
    assertThat(Arrays.compareUnsigned(Position.of(16, Hash.of(ones)).key(), start)).isNegative();
  }

  @Test
  void shallowPositionsSpreadOverHashBuckets() {
    // Every position of depth 12: 4,096 of them, mostly zero bits; their low 12 hash bits should
    // not pile up in a few buckets of a 4,096-bucket table.
    Set<Integer> buckets = new HashSet<>();
    for (int prefix = 0; prefix < 4096; prefix++) {
      byte[] bytes = new byte[Hash.LENGTH];
      bytes[0] = (byte) (prefix >>> 4);
      bytes[1] = (byte) (prefix << 4);
      buckets.add(Position.of(12, Hash.of(bytes)).hashCode() & 4095);
    }
    assertThat(buckets.size()).isGreaterThan(2_000);
  }

  private static byte[] expectedKey(int depth, Hash path) {
    byte[] k = new byte[2 + Hash.LENGTH];
    k[0] = (byte) (depth >>> 8);
    k[1] = (byte) depth;
    for (int bit = 0; bit < depth; bit++) {
      if (TreeHashing.bit(path, bit) == 1) {
        k[2 + bit / 8] |= (byte) (0x80 >>> (bit % 8));
      }
    }
    return k;
  }

  private Hash randomHash() {
    byte[] b = new byte[Hash.LENGTH];
    random.nextBytes(b);
    return Hash.of(b);
  }

  private static Hash flipBit(Hash h, int bit) {
    byte[] b = h.toByteArray();
    b[bit / 8] ^= (byte) (0x80 >>> (bit % 8));
    return Hash.of(b);
  }
}
