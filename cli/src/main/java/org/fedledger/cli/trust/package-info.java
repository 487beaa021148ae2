/**
 * {@code fedledger bench trust}: the same federated job on a local chain with agents and in
 * simulation, to measure what running it with trust costs.
 */
package org.fedledger.cli.trust;
