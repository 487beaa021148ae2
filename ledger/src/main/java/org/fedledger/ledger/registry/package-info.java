/**
 * The registry module: datasets (an owner's commitment to data that never leaves its machine, with
 * the uses the owner consents to) and models (registered only by the training module when a job
 * completes, with their full lineage: every round's aggregate, updates, participants, datasets,
 * attesters and scores). Other modules read and register through the {@link
 * org.fedledger.ledger.registry.RegistryKeeper}.
 */
package org.fedledger.ledger.registry;
