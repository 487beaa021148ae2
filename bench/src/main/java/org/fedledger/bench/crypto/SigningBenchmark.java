package org.fedledger.bench.crypto;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.fedledger.core.crypto.Ed25519KeyPair;
import org.fedledger.core.hash.Sha256;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Ed25519 signing of a voucher-sized message (about 100 bytes), the cost a paying client pays per
 * call and a provider per receipt: {@code keyPair} is {@link Ed25519KeyPair#sign} (AWS-LC where it
 * loads), {@code bouncyCastle} BouncyCastle's own signing of the same bytes, which the key pair
 * used before. Both give the same signature (RFC 8032 signing is deterministic).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SigningBenchmark {
  private Ed25519KeyPair key;
  private byte[] seed;
  private byte[] publicKey;
  private byte[] message;

  @Setup(Level.Trial)
  public void setUp() {
    seed = Sha256.hash("fedledger/bench/signing".getBytes(StandardCharsets.UTF_8)).toByteArray();
    key = Ed25519KeyPair.fromSeed(seed);
    publicKey = key.publicKey().toByteArray();
    message = new byte[100];
    for (int i = 0; i < message.length; i++) {
      message[i] = (byte) (i * 31);
    }
  }

  @Benchmark
  public byte[] keyPair() {
    return key.sign(message);
  }

  @Benchmark
  public byte[] bouncyCastle() {
    byte[] signature = new byte[64];
    org.bouncycastle.math.ec.rfc8032.Ed25519.sign(
        seed, 0, publicKey, 0, message, 0, message.length, signature, 0);
    return signature;
  }
}
