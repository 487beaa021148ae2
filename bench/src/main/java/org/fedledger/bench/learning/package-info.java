/**
 * Federated-learning measurements that JMH does not fit: plain {@code main} programs run from
 * {@code bench/target/benchmarks.jar} with PyTorch's native jar on the class path (the shaded jar
 * leaves it out), e.g.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar:$HOME/.m2/repository/ai/djl/pytorch/pytorch-native-cpu/2.7.1/pytorch-native-cpu-2.7.1-linux-x86_64.jar \
 *     org.fedledger.bench.learning.TrainThroughput --models cnn,mlp --batches 32,64
 * </pre>
 *
 * <ul>
 *   <li>{@link org.fedledger.bench.learning.TrainThroughput}: local training samples/s;
 *   <li>{@link org.fedledger.bench.learning.SimulationMemory}: peak heap, resident size and seconds
 *       per round of a many-client simulation;
 *   <li>{@link org.fedledger.bench.learning.CentralBaseline}: the same model trained centrally on
 *       the pooled data, the ceiling for federated runs;
 *   <li>{@link org.fedledger.bench.learning.LearningPlot}: accuracy curves of several CSV files in
 *       one PNG;
 *   <li>{@link org.fedledger.bench.learning.MemoryBandwidth}: the machine's streaming read rate,
 *       the yardstick for FedAvg's GB/s.
 * </ul>
 *
 * Federated runs themselves use {@code fedledger simulate}; the commands are in BENCHMARKS.md.
 */
package org.fedledger.bench.learning;
