/** Model parameters as named, ordered float tensors: the currency of federated learning. */
package org.fedledger.learning.tensor;
