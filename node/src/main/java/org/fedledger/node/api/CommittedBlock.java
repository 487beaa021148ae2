package org.fedledger.node.api;

import org.fedledger.core.hash.Hash;

/** What the event stream tells subscribers about each committed block. */
public record CommittedBlock(
    long height, Hash hash, int txCount, Hash stateRoot, long timestampMillis) {}
