package org.fedledger.learning.aggregate;

/**
 * A valid update that a robust strategy chose not to use (e.g. not selected by Krum), with the
 * reason, so that the chain can see which contributions the aggregate ignored.
 */
public record Exclusion(String clientId, String reason) {}
