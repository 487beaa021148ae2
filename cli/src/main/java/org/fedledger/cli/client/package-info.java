/**
 * A small HTTP client for a node's REST API, shared by the commands that talk to a running node.
 * Failures become one clear message: unreachable node, refused request (with the node's error
 * code), or unexpected reply.
 */
package org.fedledger.cli.client;
