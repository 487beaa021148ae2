package org.fedledger.node.agent;

import java.util.HashMap;
import java.util.Map;
import org.fedledger.core.proto.training.Job;
import org.fedledger.learning.model.ModelSpecs;
import org.fedledger.learning.model.Models;
import org.fedledger.node.blob.FetchLimits;

/**
 * The fetch limits of a job's weight blobs (updates, aggregates): its model's size and a deadline
 * that grows with it, so that a participant cannot hand a validator more bytes than the model has,
 * or take longer than such a blob needs (issue #21, finding 3). Computed once per model spec: the
 * parameter count builds the model.
 */
final class JobFetchLimits {
  private final Map<String, FetchLimits> bySpec = new HashMap<>();

  FetchLimits of(Job job) {
    return bySpec.computeIfAbsent(job.getSpec().getModelSpec(), JobFetchLimits::compute);
  }

  private static FetchLimits compute(String spec) {
    try {
      return FetchLimits.forParameters(Models.parameterCount(ModelSpecs.fromJson(spec)));
    } catch (RuntimeException e) {
      // A spec the chain accepted but this node cannot build: the job fails here anyway.
      return FetchLimits.DEFAULT;
    }
  }
}
