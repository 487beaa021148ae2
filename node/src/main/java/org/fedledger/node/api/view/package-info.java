/**
 * JSON views of chain data for the REST API: records Jackson serializes as they are. Bytes are
 * lowercase hex (hashes, keys, addresses) or base64 (opaque payloads, whole encoded messages), so a
 * client can both read a reply and re-check it (hash the header, verify a proof) without guessing
 * encodings.
 */
package org.fedledger.node.api.view;
