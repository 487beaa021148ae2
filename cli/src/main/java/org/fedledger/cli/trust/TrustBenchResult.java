package org.fedledger.cli.trust;

import java.util.List;

/**
 * What {@code fedledger bench trust} measured: the same job run on the chain and simulated.
 *
 * @param chainSeconds wall-clock seconds from job creation to completion on the chain
 * @param simulateSeconds wall-clock seconds of the simulation on the same prepared data
 * @param ratio chainSeconds / simulateSeconds: the cost of running the job with trust
 * @param sameWeights whether both runs ended with the same final weights hash
 * @param trainSamples training samples shared by the owners (the simulation's clients)
 * @param chainSetupSeconds of chainSeconds, the job's setup: datasets registered, job created,
 *     owners joined, job started
 * @param chainRoundSeconds per round, seconds from the previous round's finalization (the job's
 *     start for round 1) to this round's
 * @param simulateRoundSeconds per round, the simulation's seconds (training, aggregation and
 *     evaluation)
 * @param chainFinalAccuracy the last round's test accuracy as its aggregator recorded it on chain
 * @param simulateFinalAccuracy the simulation's final test accuracy (same test samples)
 * @param differences empty when the weights match, else what to look at
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
    int samplesPerOwner,
    int trainSamples,
    double chainSetupSeconds,
    List<Double> chainRoundSeconds,
    List<Double> simulateRoundSeconds,
    Double chainFinalAccuracy,
    double simulateFinalAccuracy,
    String differences) {}
