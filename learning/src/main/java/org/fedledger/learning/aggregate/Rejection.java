package org.fedledger.learning.aggregate;

/** An update that failed validation (never averaged), with the reason, for slashing and logs. */
public record Rejection(String clientId, String reason) {}
