package org.fedledger.cli.trust;

/**
 * What {@code fedledger bench trust} measured: the same job run on the chain and simulated.
 *
 * @param chainSeconds wall-clock seconds from job creation to completion on the chain
 * @param simulateSeconds wall-clock seconds of the simulation, data loading included
 * @param ratio chainSeconds / simulateSeconds: the cost of running the job with trust
 * @param sameWeights whether both runs ended with the same final weights hash
 */
public record TrustBenchResult(
    double chainSeconds,
    double simulateSeconds,
    double ratio,
    boolean sameWeights,
    String chainWeightsHash,
    String simulateWeightsHash,
    int rounds,
    int participants,
    String model,
    String strategy,
    long seed,
    String differences) {}
