/**
 * Local training and evaluation on DJL's PyTorch engine, fully offline: {@link
 * org.fedledger.learning.train.Engines} loads the engine from the native library on the classpath
 * and {@link org.fedledger.learning.train.LocalTrainer} runs rounds of SGD or Adam (optionally with
 * the FedProx proximal term) from given global weights, keeping native memory flat.
 */
package org.fedledger.learning.train;
