/**
 * The content-addressed blob store: model weights and updates as files named by their SHA-256
 * ({@link org.fedledger.node.blob.BlobStore}), served over HTTP ({@link
 * org.fedledger.node.blob.BlobServer}) to signed, chain-authorized requests ({@link
 * org.fedledger.node.blob.SignedRequest}, {@link org.fedledger.node.blob.BlobAccess}) and fetched
 * from peers with verification on arrival ({@link org.fedledger.node.blob.BlobClient}).
 */
package org.fedledger.node.blob;
