package org.fedledger.learning.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A reusable direct buffer for moving Java arrays into PyTorch tensors without leaving garbage.
 *
 * <p>Why: given a heap buffer or array, DJL's PyTorch engine allocates a fresh direct buffer and
 * the tensor <em>aliases</em> it (no copy); that memory returns only when the garbage collector
 * runs, so a training loop that rarely triggers a GC grows its resident size by every batch and
 * every weight load. Arrays made here alias this one buffer instead, so they are valid only until
 * the next call on the same staging object and must be closed (or copied) before then.
 */
public final class NativeStaging {
  private ByteBuffer buffer = ByteBuffer.allocateDirect(0);

  private ByteBuffer reserve(long bytes) {
    if (bytes > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("cannot stage " + bytes + " bytes at once");
    }
    if (buffer.capacity() < bytes) {
      buffer = ByteBuffer.allocateDirect((int) bytes).order(ByteOrder.nativeOrder());
    }
    ByteBuffer view = buffer.duplicate().order(ByteOrder.nativeOrder());
    view.clear().limit((int) bytes);
    return view;
  }

  /** A float32 array of the given shape over values[offset, offset + shape.size()). */
  public NDArray floats(NDManager manager, float[] values, int offset, Shape shape) {
    int n = Math.toIntExact(shape.size());
    ByteBuffer view = reserve(4L * n);
    view.asFloatBuffer().put(values, offset, n);
    return manager.create(view, shape, DataType.FLOAT32);
  }

  /** An int64 array of the given shape over values[0, shape.size()). */
  public NDArray longs(NDManager manager, long[] values, Shape shape) {
    int n = Math.toIntExact(shape.size());
    ByteBuffer view = reserve(8L * n);
    view.asLongBuffer().put(values, 0, n);
    return manager.create(view, shape, DataType.INT64);
  }

  /**
   * Copies values into target in place (the target keeps its own storage, so it can be a parameter
   * that requires a gradient).
   */
  public void copyInto(NDArray target, float[] values) {
    try (NDManager scope = target.getManager().newSubManager()) {
      NDArray source = floats(scope, values, 0, target.getShape());
      target.set(new NDIndex(":"), source);
    }
  }
}
