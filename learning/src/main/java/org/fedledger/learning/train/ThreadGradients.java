package org.fedledger.learning.train;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Records gradients on the calling thread only, so that trainers on several threads can train at
 * once. DJL's {@code PtGradientCollector} does the same JNI calls but guards them with one flag for
 * the whole process and refuses a second collector while one is open, although PyTorch's grad mode
 * is per thread. Closing turns grad mode off again on this thread: parameters are updated and
 * loaded in place, which PyTorch allows only with grad mode off.
 */
final class ThreadGradients implements AutoCloseable {
  private ThreadGradients() {
    JniUtils.setGradMode(true);
  }

  /** Starts recording the operations of this thread for {@link #backward}. */
  static ThreadGradients open() {
    return new ThreadGradients();
  }

  /** Turns grad mode off on this thread (new threads start with it on). */
  static void offOnThisThread() {
    JniUtils.setGradMode(false);
  }

  /** Adds the gradient of target (a scalar) to every parameter that requires one. */
  void backward(NDArray target) {
    NDArray ones = target.getManager().ones(target.getShape(), target.getDataType());
    JniUtils.backward((PtNDArray) target, (PtNDArray) ones, false, false);
  }

  @Override
  public void close() {
    offOnThisThread();
  }
}
