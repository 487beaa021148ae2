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
 * @param chainSetupSeconds of chainSeconds, the job's setup: job created, owners joined, job
 *     started (and, without a warm-up job, the owners' datasets registered)
 * @param chainRoundSeconds per round, seconds from the previous round's finalization (the job's
 *     start for round 1) to this round's
 * @param simulateRoundSeconds per round, the simulation's seconds (training, aggregation and
 *     evaluation)
 * @param chainFinalAccuracy the last round's test accuracy as its aggregator recorded it on chain
 * @param simulateFinalAccuracy the simulation's final test accuracy (same test samples)
 * @param warmupRounds rounds of the untimed warm-up runs (0: both runs timed in a cold JVM)
 * @param chainWarmupSeconds the chain's warm-up job, from registering the datasets to completion
 * @param simulateWarmupSeconds the simulation's warm-up run
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
    int warmupRounds,
    double chainWarmupSeconds,
    double simulateWarmupSeconds,
    String differences) {}
