/**
 * Weights on disk and on the wire: the safetensors format (readable by {@code
 * safetensors.torch.load_file}) with strict validation, and the canonical weights hash the chain
 * records.
 */
package org.fedledger.learning.io;
