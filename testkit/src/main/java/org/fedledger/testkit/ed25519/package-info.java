/**
 * Ed25519 edge cases for every module's tests: textbook curve arithmetic independent of the library
 * under test ({@link org.fedledger.testkit.ed25519.Edwards}), the twelve vectors of "Taming the
 * many EdDSAs" with their source ({@link org.fedledger.testkit.ed25519.SpeccheckVectors}), and
 * signatures of the same kinds over any message ({@link org.fedledger.testkit.ed25519.EdgeCase}).
 */
package org.fedledger.testkit.ed25519;
