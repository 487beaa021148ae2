/**
 * Differential-privacy accounting that every node computes identically: the Rényi DP accountant of
 * the Poisson-subsampled Gaussian mechanism (DP-SGD), in exact decimal arithmetic so that the
 * chain's contracts can charge a dataset's privacy budget without floating point.
 */
package org.fedledger.core.privacy;
