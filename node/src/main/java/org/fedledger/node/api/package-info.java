/**
 * The node's REST API on Javalin: submit transactions, read blocks, transactions, accounts, state
 * proofs and status, follow committed blocks as server-sent events, and fetch the OpenAPI document
 * and Prometheus metrics. It sees the rest of the node only through {@link
 * org.fedledger.node.api.ChainBackend}, so it knows nothing of Raft.
 *
 * <p>Admission rejections map to HTTP statuses as follows (the body is always {@code {"error":
 * {"code": REJECTION, "message": ...}}}): MALFORMED, WRONG_CHAIN 400; OVERSIZE 413; BAD_SIGNATURE
 * 401; UNAUTHORIZED 403; BAD_NONCE, DUPLICATE 409; INSUFFICIENT_BALANCE, UNKNOWN_MODULE,
 * UNKNOWN_MESSAGE, INVALID_MESSAGE 422; MEMPOOL_FULL 503.
 */
package org.fedledger.node.api;
