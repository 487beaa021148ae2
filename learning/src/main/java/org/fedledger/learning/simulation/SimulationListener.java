package org.fedledger.learning.simulation;

import org.fedledger.learning.privacy.DpResolution;

/**
 * Progress of a running simulation, e.g. for a progress bar. Callbacks run on the caller's thread.
 */
public interface SimulationListener {
  SimulationListener NONE = new SimulationListener() {};

  /** Data is loaded and partitioned; rounds are about to start. */
  default void started(SimulationConfig config, int trainSamples, int testSamples) {}

  /** The global model before any round, evaluated on the test set. */
  default void initial(double accuracy, double loss) {}

  default void roundFinished(RoundResult result) {}

  /** The run trains with DP-SGD: the parameters every owner uses and the ε they give. */
  default void privacy(DpResolution resolution) {}
}
