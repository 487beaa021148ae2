/**
 * {@code fedledger simulate}: runs a federated-learning simulation in one process and writes its
 * per-round CSV, an accuracy plot and a JSON summary. Useful to choose a strategy, see what an
 * attack does to it, and size a job before running it on the chain.
 */
package org.fedledger.cli.simulate;
