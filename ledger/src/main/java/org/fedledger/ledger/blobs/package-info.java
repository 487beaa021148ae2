/**
 * The blobs module: where each member serves its blobs, announced on chain, so that agents fetch
 * only from announced addresses (issue #21, finding 3).
 */
package org.fedledger.ledger.blobs;
