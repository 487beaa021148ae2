/**
 * {@code fedledger model verify|export}: an auditor reads a model's lineage over the node API
 * ({@link org.fedledger.cli.model.ModelRecords}), fetches and re-hashes every blob, re-runs every
 * round's aggregation (the node's {@link org.fedledger.node.agent.ModelAuditor}, so the CLI and a
 * node's verifier cannot disagree) and gets a verdict; a user exports the verified final weights as
 * safetensors.
 */
package org.fedledger.cli.model;
