package org.fedledger.node.blob;

import org.fedledger.core.address.Address;
import org.fedledger.core.hash.Hash;

/** Who may read which blob: decided from the chain by the node, from a fixed rule in tests. */
@FunctionalInterface
public interface BlobAccess {
  /** Null if requester may read the blob, else why not. */
  String denial(Hash blob, Address requester);

  /** Everyone who signs a request may read everything. */
  BlobAccess ANY_SIGNER = (blob, requester) -> null;
}
