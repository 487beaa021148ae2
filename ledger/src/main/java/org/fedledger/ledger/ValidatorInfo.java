package org.fedledger.ledger;

import java.util.Objects;
import org.fedledger.core.address.Address;
import org.fedledger.core.crypto.Ed25519PublicKey;

/**
 * A member of the validator set.
 *
 * @param publicKey signs the validator's state-root votes
 * @param power voting power, at least 1
 * @param raftAddress host:port of its Raft server
 * @param apiAddress host:port (or URL) of its REST API
 */
public record ValidatorInfo(
    Ed25519PublicKey publicKey, long power, String raftAddress, String apiAddress) {
  public ValidatorInfo {
    Objects.requireNonNull(publicKey, "publicKey");
    Objects.requireNonNull(raftAddress, "raftAddress");
    Objects.requireNonNull(apiAddress, "apiAddress");
    if (power < 1) {
      throw new IllegalArgumentException("validator power must be at least 1, got " + power);
    }
  }

  public Address address() {
    return publicKey.address();
  }
}
