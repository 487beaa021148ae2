/**
 * Declarative model specs ({@link org.fedledger.learning.model.ModelSpec}, JSON or named presets)
 * and their DJL blocks: logistic regression, a multilayer perceptron and the CNN of McMahan et al.
 * 2017, with deterministic initial weights and conversion between a block's parameters and {@link
 * org.fedledger.learning.tensor.Weights}.
 */
package org.fedledger.learning.model;
