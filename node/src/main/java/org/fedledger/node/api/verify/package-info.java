/**
 * The node's own verdict on its registered models: {@link
 * org.fedledger.node.api.verify.ModelVerifier} replays each model's lineage with the {@link
 * org.fedledger.node.agent.ModelAuditor} in the background, caches the {@link
 * org.fedledger.node.api.verify.Verification} by model id, and the API serves it at {@code GET
 * /v1/models/{id}/verification}.
 */
package org.fedledger.node.api.verify;
