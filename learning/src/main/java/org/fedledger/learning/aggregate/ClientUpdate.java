package org.fedledger.learning.aggregate;

import org.fedledger.learning.tensor.Weights;

/**
 * One client's contribution to a round: its identifier, how many samples it trained on, and its
 * delta, the client's new local weights minus the global weights it started from. Deltas rather
 * than new weights because robust statistics (median, Krum, norms, cosine scores) are meaningful on
 * the change a client proposes, not on the absolute parameters.
 */
public record ClientUpdate(String clientId, long sampleCount, Weights delta) {
  public ClientUpdate {
    if (clientId == null || clientId.isEmpty()) {
      throw new IllegalArgumentException("a client update needs a client id");
    }
    if (delta == null) {
      throw new IllegalArgumentException("client " + clientId + " sent no delta");
    }
  }
}
