/**
 * Federated feature statistics, learning side: each owner's per-feature count, sum and sum of
 * squares ({@link org.fedledger.learning.data.stats.FeatureStatistics}), their byte encoding and
 * deterministic combination, and the resulting {@link
 * org.fedledger.learning.data.stats.Standardization} applied to data.
 */
package org.fedledger.learning.data.stats;
