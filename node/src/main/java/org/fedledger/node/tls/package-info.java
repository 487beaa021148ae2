/**
 * The consortium's certificate authority and the TLS every port speaks with it: creating the CA,
 * issuing ECDSA P-256 certificates that name a node or member, its role and its account address,
 * revoking them in a CRL, PEM files, and the key and trust managers that the REST API, the blob
 * server and Raft use. A certificate is trusted only if the consortium's CA signed it, it is within
 * its validity, it is not on the CRL, and its role is one the port accepts; each refusal is logged
 * on the refusing side with the reason.
 */
package org.fedledger.node.tls;
