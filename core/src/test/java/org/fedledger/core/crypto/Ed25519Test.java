package org.fedledger.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.fedledger.testkit.ed25519.EdgeCase;
import org.fedledger.testkit.ed25519.Edwards;
import org.fedledger.testkit.ed25519.Edwards.Point;
import org.fedledger.testkit.ed25519.SpeccheckVectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pins down fedledger's Ed25519 rule (see {@link Ed25519}): the RFC 8032 vectors, and for each edge
 * case on which implementations disagree, what our rule does and why. Every verdict is checked on
 * both verification paths (raw bytes, and a key that caches its decoded point and asks AWS-LC
 * first), and wherever AWS-LC accepts, the rule must accept too ({@link AwsLcEd25519}).
 */
class Ed25519Test {
  private static final HexFormat HEX = HexFormat.of();

  private static byte[] hex(String s) {
    return HEX.parseHex(s.replaceAll("\\s", ""));
  }

  /** Verifies on both paths, asserts they agree, and returns the verdict. */
  private static boolean verdict(byte[] publicKey, byte[] message, byte[] signature) {
    boolean raw = Ed25519.verify(publicKey, message, signature);
    boolean cached = Ed25519PublicKey.of(publicKey).verify(message, signature);
    assertThat(cached).as("cached-point path agrees with raw-bytes path").isEqualTo(raw);
    Ed25519PublicKey shared = Ed25519PublicKey.shared(publicKey);
    assertThat(Ed25519PublicKey.shared(publicKey)).as("one instance per key").isSameAs(shared);
    assertThat(shared).isEqualTo(Ed25519PublicKey.of(publicKey));
    assertThat(shared.verify(message, signature)).as("shared key agrees").isEqualTo(raw);
    if (shared.isValid() && message != null && Ed25519.hasCanonicalS(signature)) {
      boolean awsLc = AwsLcEd25519.accepts(AwsLcEd25519.publicKey(publicKey), message, signature);
      assertThat(!awsLc || raw).as("AWS-LC accepts only what the rule accepts").isTrue();
    }
    return raw;
  }

  // ---------------------------------------------------------------------------------------------
  // RFC 8032, section 7.1

  record Rfc8032Vector(
      String name, String seed, String publicKey, String message, String signature) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Rfc8032Vector> rfc8032Vectors() {
    return Stream.of(
        new Rfc8032Vector(
            "TEST 1",
            "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
            "",
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
                + "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"),
        new Rfc8032Vector(
            "TEST 2",
            "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
            "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
            "72",
            "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
                + "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"),
        new Rfc8032Vector(
            "TEST 3",
            "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
            "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
            "af82",
            "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac"
                + "18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"),
        new Rfc8032Vector(
            "TEST 1024",
            "f5e5767cf153319517630f226876b86c8160cc583bc013744c6bf255f5cc0ee5",
            "278117fc144c72340f67d0f2316e8386ceffbf2b2428c9c51fef7c597f1d426e",
            """
          08b8b2b733424243760fe426a4b54908632110a66c2f6591eabd3345e3e4eb98fa6e264bf09efe12ee50f8f54e9f77b1
          e355f6c50544e23fb1433ddf73be84d879de7c0046dc4996d9e773f4bc9efe5738829adb26c81b37c93a1b270b20329d
          658675fc6ea534e0810a4432826bf58c941efb65d57a338bbd2e26640f89ffbc1a858efcb8550ee3a5e1998bd177e93a
          7363c344fe6b199ee5d02e82d522c4feba15452f80288a821a579116ec6dad2b3b310da903401aa62100ab5d1a36553e
          06203b33890cc9b832f79ef80560ccb9a39ce767967ed628c6ad573cb116dbefefd75499da96bd68a8a97b928a8bbc10
          3b6621fcde2beca1231d206be6cd9ec7aff6f6c94fcd7204ed3455c68c83f4a41da4af2b74ef5c53f1d8ac70bdcb7ed1
          85ce81bd84359d44254d95629e9855a94a7c1958d1f8ada5d0532ed8a5aa3fb2d17ba70eb6248e594e1a2297acbbb39d
          502f1a8c6eb6f1ce22b3de1a1f40cc24554119a831a9aad6079cad88425de6bde1a9187ebb6092cf67bf2b13fd65f270
          88d78b7e883c8759d2c4f5c65adb7553878ad575f9fad878e80a0c9ba63bcbcc2732e69485bbc9c90bfbd62481d9089b
          eccf80cfe2df16a2cf65bd92dd597b0707e0917af48bbb75fed413d238f5555a7a569d80c3414a8d0859dc65a46128ba
          b27af87a71314f318c782b23ebfe808b82b0ce26401d2e22f04d83d1255dc51addd3b75a2b1ae0784504df543af8969b
          e3ea7082ff7fc9888c144da2af58429ec96031dbcad3dad9af0dcbaaaf268cb8fcffead94f3c7ca495e056a9b47acdb7
          51fb73e666c6c655ade8297297d07ad1ba5e43f1bca32301651339e22904cc8c42f58c30c04aafdb038dda0847dd988d
          cda6f3bfd15c4b4c4525004aa06eeff8ca61783aacec57fb3d1f92b0fe2fd1a85f6724517b65e614ad6808d6f6ee34df
          f7310fdc82aebfd904b01e1dc54b2927094b2db68d6f903b68401adebf5a7e08d78ff4ef5d63653a65040cf9bfd4aca7
          984a74d37145986780fc0b16ac451649de6188a7dbdf191f64b5fc5e2ab47b57f7f7276cd419c17a3ca8e1b939ae49e4
          88acba6b965610b5480109c8b17b80e1b7b750dfc7598d5d5011fd2dcc5600a32ef5b52a1ecc820e308aa342721aac09
          43bf6686b64b2579376504ccc493d97e6aed3fb0f9cd71a43dd497f01f17c0e2cb3797aa2a2f256656168e6c496afc5f
          b93246f6b1116398a346f1a641f3b041e989f7914f90cc2c7fff357876e506b50d334ba77c225bc307ba537152f3f161
          0e4eafe595f6d9d90d11faa933a15ef1369546868a7f3a45a96768d40fd9d03412c091c6315cf4fde7cb68606937380d
          b2eaaa707b4c4185c32eddcdd306705e4dc1ffc872eeee475a64dfac86aba41c0618983f8741c5ef68d3a101e8a3b8ca
          c60c905c15fc910840b94c00a0b9d0""",
            "0aab4c900501b3e24d7cdf4663326a3a87df5e4843b2cbdb67cbf6e460fec350"
                + "aa5371b1508f9f4528ecea23c436d94b5e8fcd4f681e30a6ac00a9704a188a03"),
        new Rfc8032Vector(
            "TEST SHA(abc)",
            "833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42",
            "ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf",
            "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
                + "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
            "dc2a4459e7369633a52b1bf277839a00201009a3efbf3ecb69bea2186c26b589"
                + "09351fc9ac90b3ecfdfbc7c66431e0303dca179c138ac17ad9bef1177331a704"));
  }

  @ParameterizedTest
  @MethodSource("rfc8032Vectors")
  void rfc8032VectorDerivesKeySignsAndVerifies(Rfc8032Vector v) {
    Ed25519KeyPair key = Ed25519KeyPair.fromSeedHex(v.seed());
    byte[] message = hex(v.message());

    assertThat(key.publicKey().toHex()).isEqualTo(v.publicKey());
    assertThat(HEX.formatHex(key.sign(message))).isEqualTo(v.signature());
    assertThat(verdict(hex(v.publicKey()), message, hex(v.signature()))).isTrue();
  }

  @Test
  void rfc8032Test1024MessageIs1023Bytes() {
    // Guards the transcription of the long message: a wrong byte would fail the signature anyway,
    // but this says what went wrong.
    Rfc8032Vector v = rfc8032Vectors().filter(x -> x.name().equals("TEST 1024")).findFirst().get();
    assertThat(hex(v.message())).hasSize(1023);
  }

  @ParameterizedTest
  @MethodSource("rfc8032Vectors")
  void rfc8032VectorFailsForAnotherMessage(Rfc8032Vector v) {
    byte[] other = Arrays.copyOf(hex(v.message()), hex(v.message()).length + 1);
    assertThat(verdict(hex(v.publicKey()), other, hex(v.signature()))).isFalse();
  }

  // ---------------------------------------------------------------------------------------------
  // The twelve vectors of "Taming the many EdDSAs" (Chalkias, Garillot, Nikolaenko, 2020), read
  // from the test kit's speccheck-cases.txt, which quotes their source and gives our verdicts.

  /** The shape of a point in a test case, checked with {@link Edwards} independently of BC. */
  enum Shape {
    SMALL,
    MIXED,
    PRIME,
    /**
     * An encoding with x = 0 and the sign bit set ("negative zero"); the point is of small order.
     */
    NON_CANONICAL_SMALL;

    static Shape of(byte[] encoded) {
      Point p = Edwards.decodeLenient(encoded);
      if (!Edwards.isCanonical(encoded)) {
        assertThat(p.smallOrder()).isNotZero();
        return NON_CANONICAL_SMALL;
      }
      return p.smallOrder() != 0 ? SMALL : p.hasPrimeOrder() ? PRIME : MIXED;
    }
  }

  /** What each vector is made of, as the paper describes it; checked against the bytes. */
  record Anatomy(Shape a, Shape r, boolean sCanonical, boolean cofactorless, boolean cofactored) {}

  private static final Map<Integer, Anatomy> ANATOMY =
      Map.ofEntries(
          Map.entry(0, new Anatomy(Shape.SMALL, Shape.SMALL, true, true, true)),
          Map.entry(1, new Anatomy(Shape.SMALL, Shape.MIXED, true, true, true)),
          Map.entry(2, new Anatomy(Shape.MIXED, Shape.SMALL, true, true, true)),
          Map.entry(3, new Anatomy(Shape.MIXED, Shape.MIXED, true, true, true)),
          Map.entry(4, new Anatomy(Shape.MIXED, Shape.MIXED, true, false, true)),
          Map.entry(5, new Anatomy(Shape.MIXED, Shape.PRIME, true, false, true)),
          Map.entry(6, new Anatomy(Shape.PRIME, Shape.PRIME, false, true, true)),
          Map.entry(7, new Anatomy(Shape.PRIME, Shape.PRIME, false, true, true)),
          Map.entry(8, new Anatomy(Shape.MIXED, Shape.NON_CANONICAL_SMALL, true, false, false)),
          Map.entry(9, new Anatomy(Shape.MIXED, Shape.NON_CANONICAL_SMALL, true, true, true)),
          Map.entry(10, new Anatomy(Shape.NON_CANONICAL_SMALL, Shape.MIXED, true, false, true)),
          Map.entry(11, new Anatomy(Shape.NON_CANONICAL_SMALL, Shape.MIXED, true, true, true)));

  static Stream<SpeccheckVectors.Vector> speccheckVectors() {
    return SpeccheckVectors.all().stream();
  }

  @Test
  void theResourceHoldsThePapersTwelveVectorsInOrderFourOfThemAccepted() {
    List<SpeccheckVectors.Vector> all = SpeccheckVectors.all();

    assertThat(all)
        .extracting(SpeccheckVectors.Vector::number)
        .containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
    assertThat(all)
        .filteredOn(SpeccheckVectors.Vector::accepted)
        .extracting(SpeccheckVectors.Vector::number)
        .containsExactly(2, 3, 4, 5);
  }

  @ParameterizedTest
  @MethodSource("speccheckVectors")
  void speccheckVectorIsWhatThePaperSays(SpeccheckVectors.Vector v) {
    Anatomy expected = ANATOMY.get(v.number());
    byte[] a = v.publicKey();
    byte[] m = v.message();
    byte[] sig = v.signature();
    BigInteger s = Edwards.fromLittleEndian(Arrays.copyOfRange(sig, 32, 64));

    assertThat(Shape.of(a)).as("A").isEqualTo(expected.a());
    assertThat(Shape.of(Arrays.copyOf(sig, 32))).as("R").isEqualTo(expected.r());
    assertThat(s.compareTo(Edwards.L) < 0).as("S < L").isEqualTo(expected.sCanonical());
    assertThat(Edwards.cofactorlessEquationHolds(a, m, sig))
        .as("cofactorless")
        .isEqualTo(expected.cofactorless());
    assertThat(Edwards.cofactoredEquationHolds(a, m, sig))
        .as("cofactored")
        .isEqualTo(expected.cofactored());
  }

  @ParameterizedTest
  @MethodSource("speccheckVectors")
  void speccheckVectorGetsTheDocumentedVerdict(SpeccheckVectors.Vector v) {
    assertThat(verdict(v.publicKey(), v.message(), v.signature())).isEqualTo(v.accepted());
    String why = Ed25519.whyInvalid(v.publicKey(), v.message(), v.signature());
    if (v.accepted()) {
      assertThat(why).isNull();
    } else {
      assertThat(why).as("the reason names a rule").containsPattern("\\(rule [2-6]\\)");
    }
  }

  /** The rule each refused edge case breaks, as {@link Ed25519#whyInvalid} must name it. */
  private static final Map<EdgeCase, String> BROKEN_RULE =
      Map.of(
          EdgeCase.SMALL_ORDER_KEY, "public key is a point of small order",
          EdgeCase.NON_CANONICAL_S, "S is not below the group order L",
          EdgeCase.S_HIGH_BITS, "S is not below the group order L",
          EdgeCase.NON_CANONICAL_R, "R is not canonically encoded",
          EdgeCase.NON_CANONICAL_KEY, "public key is not canonically encoded");

  @ParameterizedTest
  @EnumSource(EdgeCase.class)
  void edgeCaseOverAnyMessageGetsItsVerdictAndTheBrokenRuleIsNamed(EdgeCase c) {
    byte[] key = c.publicKey();
    for (byte[] message : List.of(MESSAGE, new byte[0], HEX.parseHex("00ff00ff"))) {
      byte[] sig = c.sign(message);
      assertThat(Edwards.cofactoredEquationHolds(key, message, sig))
          .as("every case is built so that the cofactored equation holds, read leniently")
          .isTrue();
      assertThat(verdict(key, message, sig)).as(c.description()).isEqualTo(c.accepted());
      String why = Ed25519.whyInvalid(key, message, sig);
      if (c.accepted()) {
        assertThat(why).isNull();
      } else {
        assertThat(why).contains(BROKEN_RULE.get(c));
      }
    }
  }

  @Test
  void aSignatureOfOtherBytesIsRefusedForTheEquation() {
    byte[] sig = EdgeCase.HONEST.sign(MESSAGE);

    assertThat(Ed25519.whyInvalid(EdgeCase.HONEST.publicKey(), new byte[] {1}, sig))
        .contains("equation", "(rule 6)");
    assertThat(Ed25519.whyInvalid(EdgeCase.HONEST.publicKey(), MESSAGE, Arrays.copyOf(sig, 63)))
        .isEqualTo("the signature is not 64 bytes");
  }

  @Test
  void theSmallOrderKeysWhyInvalidNamesAreExactlyTheEightSmallOrderPoints() {
    Point t8 = Edwards.order8();
    List<byte[]> rejectedAsSmall = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      byte[] key = t8.times(i).encode();
      // S = 0 and R = the identity: the cofactored equation holds for any small-order key.
      byte[] sig = new byte[64];
      System.arraycopy(Point.IDENTITY.encode(), 0, sig, 0, 32);
      assertThat(Ed25519.whyInvalid(key, MESSAGE, sig))
          .as("[%d]T8", i)
          .contains("public key is a point of small order");
      rejectedAsSmall.add(key);
    }
    assertThat(rejectedAsSmall.stream().map(HEX::formatHex).distinct()).hasSize(8);
  }

  // ---------------------------------------------------------------------------------------------
  // Edge cases built here, each next to its twin that differs only in the property under test.

  /** A test key whose prime-order part is [A_SCALAR]B. */
  private static final BigInteger A_SCALAR =
      new BigInteger("1234567890abcdef1234567890abcdef1234567890abcdef1234567890abcdef", 16);

  private static final BigInteger R_SCALAR =
      new BigInteger("fedcba0987654321fedcba0987654321fedcba0987654321fedcba09876543", 16);

  private static final byte[] MESSAGE = "fedledger edge case".getBytes(StandardCharsets.UTF_8);

  @Test
  void honestSignatureMadeByHandVerifies() {
    // The control for every case below: the hand-made signer agrees with the rule.
    byte[] a = Edwards.B.times(A_SCALAR).encode();
    byte[] sig = Edwards.sign(A_SCALAR, a, MESSAGE, R_SCALAR, Point.IDENTITY);
    assertThat(verdict(a, MESSAGE, sig)).isTrue();
  }

  @Test
  void everySmallOrderPublicKeyIsRejectedThoughTheEquationHolds() {
    Point t8 = Edwards.order8();
    List<Point> small = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      small.add(t8.times(i));
    }
    assertThat(small).doesNotHaveDuplicates();
    for (Point t : small) {
      byte[] a = t.encode();
      // R = [r]B and S = r: [8]R + [8][k]A = [8][r]B = [8][S]B for any message, with no secret.
      byte[] sig = new byte[64];
      System.arraycopy(Edwards.B.times(R_SCALAR).encode(), 0, sig, 0, 32);
      System.arraycopy(Edwards.littleEndian(R_SCALAR.mod(Edwards.L)), 0, sig, 32, 32);
      assertThat(Edwards.cofactoredEquationHolds(a, MESSAGE, sig)).isTrue();

      assertThat(verdict(a, MESSAGE, sig))
          .as("order %d key %s", t.smallOrder(), HEX.formatHex(a))
          .isFalse();
      assertThat(Ed25519PublicKey.of(a).isValid()).isFalse();
    }
  }

  @Test
  void nonCanonicalPublicKeyEncodingsAreRejected() {
    // y >= p (y = p + j for j < 19) with either sign bit, and x = 0 with the sign bit set.
    List<byte[]> encodings = new ArrayList<>();
    for (int j = 0; j < 19; j++) {
      byte[] e = Edwards.littleEndian(Edwards.P.add(BigInteger.valueOf(j)));
      encodings.add(e);
      byte[] negative = e.clone();
      negative[31] |= (byte) 0x80;
      encodings.add(negative);
    }
    for (BigInteger y : List.of(BigInteger.ONE, Edwards.P.subtract(BigInteger.ONE))) {
      byte[] e = Edwards.littleEndian(y);
      e[31] |= (byte) 0x80;
      encodings.add(e);
    }
    int onCurve = 0;
    for (byte[] a : encodings) {
      assertThat(Edwards.isCanonical(a)).isFalse();
      if (Edwards.decodeLenient(a) != null) {
        onCurve++;
      }
      assertThat(Ed25519PublicKey.of(a).isValid()).as(HEX.formatHex(a)).isFalse();
      byte[] sig = Edwards.sign(A_SCALAR, a, MESSAGE, R_SCALAR, Point.IDENTITY);
      assertThat(verdict(a, MESSAGE, sig)).as(HEX.formatHex(a)).isFalse();
    }
    // The lenient reading puts several of them on the curve: the rule, not the curve, rejects them.
    assertThat(onCurve).isGreaterThan(4);
  }

  @Test
  void mixedOrderPublicKeyIsAcceptedBecauseTheEquationIsCofactored() {
    Point t8 = Edwards.order8();
    Point a = Edwards.B.times(A_SCALAR).add(t8);
    byte[] encoded = a.encode();
    assertThat(a.isMixedOrder()).isTrue();

    // A message whose challenge k is not a multiple of 8, so that [k]A keeps a torsion part.
    byte[] message = messageWhere(encoded, k -> k.mod(BigInteger.valueOf(8)).signum() != 0);
    byte[] sig = Edwards.sign(A_SCALAR, encoded, message, R_SCALAR, Point.IDENTITY);

    assertThat(Edwards.cofactorlessEquationHolds(encoded, message, sig)).isFalse();
    assertThat(Edwards.cofactoredEquationHolds(encoded, message, sig)).isTrue();
    assertThat(verdict(encoded, message, sig)).isTrue();
    assertThat(Ed25519PublicKey.of(encoded).isValid()).isTrue();
  }

  @Test
  void mixedOrderRIsAccepted() {
    byte[] a = Edwards.B.times(A_SCALAR).encode();
    byte[] sig = Edwards.sign(A_SCALAR, a, MESSAGE, R_SCALAR, Edwards.order8());

    assertThat(Edwards.decodeLenient(Arrays.copyOf(sig, 32)).isMixedOrder()).isTrue();
    assertThat(Edwards.cofactorlessEquationHolds(a, MESSAGE, sig)).isFalse();
    assertThat(verdict(a, MESSAGE, sig)).isTrue();
  }

  @Test
  void smallOrderRIsAcceptedButNotItsNonCanonicalEncodings() {
    byte[] a = Edwards.B.times(A_SCALAR).encode();
    // R = identity, S = k·a: valid for the owner of a, whichever way R is encoded.
    byte[] canonical = Point.IDENTITY.encode();
    byte[] yPlusP = Edwards.littleEndian(Edwards.P.add(BigInteger.ONE));
    byte[] negativeZero = canonical.clone();
    negativeZero[31] |= (byte) 0x80;

    byte[] sig = Edwards.signWithR(A_SCALAR, a, MESSAGE, BigInteger.ZERO, canonical);
    assertThat(verdict(a, MESSAGE, sig)).isTrue();

    for (byte[] r : List.of(yPlusP, negativeZero)) {
      byte[] bad = Edwards.signWithR(A_SCALAR, a, MESSAGE, BigInteger.ZERO, r);
      assertThat(Edwards.cofactorlessEquationHolds(a, MESSAGE, bad)).isTrue();
      assertThat(verdict(a, MESSAGE, bad)).as("R = %s", HEX.formatHex(r)).isFalse();
    }
  }

  @Test
  void nonCanonicalSIsRejectedThoughTheEquationHolds() {
    Ed25519KeyPair key =
        Ed25519KeyPair.fromSeedHex(
            "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb");
    byte[] a = key.publicKey().toByteArray();
    byte[] sig = key.sign(MESSAGE);
    BigInteger s = Edwards.fromLittleEndian(Arrays.copyOfRange(sig, 32, 64));

    for (BigInteger bad :
        List.of(
            s.add(Edwards.L),
            s.add(Edwards.L.shiftLeft(3)),
            Edwards.L,
            BigInteger.TWO.pow(256).subtract(BigInteger.ONE))) {
      byte[] forged = sig.clone();
      System.arraycopy(Edwards.littleEndian(bad), 0, forged, 32, 32);
      if (bad.mod(Edwards.L).equals(s)) {
        assertThat(Edwards.cofactorlessEquationHolds(a, MESSAGE, forged)).isTrue();
      }
      assertThat(verdict(a, MESSAGE, forged)).as("S = %s", bad.toString(16)).isFalse();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Malformed input and tampering

  @Test
  void wrongLengthsAndNullsAreInvalidNotErrors() {
    Ed25519KeyPair key = Ed25519KeyPair.fromSeed(new byte[32]);
    byte[] pk = key.publicKey().toByteArray();
    byte[] sig = key.sign(MESSAGE);
    assertThat(Ed25519.verify(pk, MESSAGE, sig)).isTrue();

    for (int len : new int[] {0, 31, 33, 64}) {
      assertThat(Ed25519.verify(Arrays.copyOf(pk, len), MESSAGE, sig)).as("key %d", len).isFalse();
    }
    for (int len : new int[] {0, 32, 63, 65, 128}) {
      assertThat(verdict(pk, MESSAGE, Arrays.copyOf(sig, len))).as("sig %d", len).isFalse();
    }
    assertThat(Ed25519.verify(null, MESSAGE, sig)).isFalse();
    assertThat(verdict(pk, null, sig)).isFalse();
    assertThat(verdict(pk, MESSAGE, null)).isFalse();
    assertThatThrownBy(() -> Ed25519PublicKey.of(new byte[31]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("32 bytes, got 31");
  }

  @Test
  void everyFlippedBitInvalidatesTheSignature() {
    Ed25519KeyPair key =
        Ed25519KeyPair.fromSeedHex(
            "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7");
    byte[] pk = key.publicKey().toByteArray();
    byte[] sig = key.sign(MESSAGE);

    for (int bit = 0; bit < sig.length * 8; bit++) {
      assertThat(verdict(pk, MESSAGE, flip(sig, bit))).as("signature bit %d", bit).isFalse();
    }
    for (int bit = 0; bit < pk.length * 8; bit++) {
      assertThat(verdict(flip(pk, bit), MESSAGE, sig)).as("key bit %d", bit).isFalse();
    }
    for (int bit = 0; bit < MESSAGE.length * 8; bit++) {
      assertThat(verdict(pk, flip(MESSAGE, bit), sig)).as("message bit %d", bit).isFalse();
    }
  }

  @Test
  void keyIsValidAndCachedVerifyAgreesOverManyKeys() {
    for (int i = 0; i < 20; i++) {
      byte[] seed = new byte[32];
      seed[0] = (byte) i;
      Ed25519KeyPair key = Ed25519KeyPair.fromSeed(seed);
      Ed25519PublicKey pk = key.publicKey();
      byte[] sig = key.sign(MESSAGE);
      assertThat(pk.isValid()).isTrue();
      assertThat(pk.verify(MESSAGE, sig)).isTrue();
      assertThat(pk.verify(MESSAGE, sig)).as("second call uses the cached point").isTrue();
      assertThat(pk.verify(flip(MESSAGE, 3), sig)).isFalse();
    }
  }

  private static byte[] flip(byte[] in, int bit) {
    byte[] out = in.clone();
    out[bit / 8] ^= (byte) (1 << (bit % 8));
    return out;
  }

  private static byte[] messageWhere(
      byte[] publicKey, java.util.function.Predicate<BigInteger> onChallenge) {
    byte[] r = Edwards.B.times(R_SCALAR).encode();
    for (int i = 0; ; i++) {
      byte[] m = ("message " + i).getBytes(StandardCharsets.UTF_8);
      if (onChallenge.test(Edwards.challenge(r, publicKey, m))) {
        return m;
      }
    }
  }
}
