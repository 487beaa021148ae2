package org.fedledger.learning.aggregate;

import java.util.ArrayList;
import java.util.List;
import org.fedledger.learning.tensor.Weights;

/**
 * The coordinates of a model cut into fixed-size blocks, tensor by tensor. Block boundaries depend
 * only on the model's shape, never on the thread count, so a reduction that sums each block in
 * coordinate order and then the block sums in block order gives the same bits on any machine.
 */
public final class Blocks {
  /** Coordinates per block: large enough to amortise scheduling, small enough to balance. */
  public static final int SIZE = 1 << 14;

  /** One block: coordinates [from, to) of tensor {@code tensor}. */
  public record Block(int tensor, int from, int to) {}

  private final List<Block> blocks;

  private Blocks(List<Block> blocks) {
    this.blocks = blocks;
  }

  public static Blocks of(Weights shape) {
    return of(shape, SIZE);
  }

  /** Blocks of a given fixed size (a constant of the algorithm, never derived from threads). */
  static Blocks of(Weights shape, int size) {
    List<Block> out = new ArrayList<>();
    for (int t = 0; t < shape.tensors().size(); t++) {
      int n = shape.tensors().get(t).size();
      for (int from = 0; from < n; from += size) {
        out.add(new Block(t, from, Math.min(n, from + size)));
      }
    }
    return new Blocks(List.copyOf(out));
  }

  public int count() {
    return blocks.size();
  }

  public Block get(int i) {
    return blocks.get(i);
  }
}
