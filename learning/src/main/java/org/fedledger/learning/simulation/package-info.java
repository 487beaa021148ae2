/**
 * Federated learning simulated in one process: partition a dataset over many clients, and each
 * round select clients, train them locally, let malicious ones attack, aggregate with a strategy
 * and evaluate the global model. Uses the same partitioners, trainer, attacks and aggregators as a
 * real deployment; only the network and the chain are missing.
 */
package org.fedledger.learning.simulation;
