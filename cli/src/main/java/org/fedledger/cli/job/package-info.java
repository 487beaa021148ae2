/**
 * {@code fedledger job}: a sponsor creates a training job (initial weights uploaded as a blob,
 * reward escrowed), starts it, and anyone inspects its rounds, scores, rewards and slashes. {@link
 * org.fedledger.cli.job.ChainTx} signs, submits and awaits one module message for every training
 * command.
 */
package org.fedledger.cli.job;
