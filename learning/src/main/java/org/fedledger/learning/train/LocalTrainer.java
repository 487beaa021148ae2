package org.fedledger.learning.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.fedledger.learning.data.LabeledData;
import org.fedledger.learning.model.ModelSpec;
import org.fedledger.learning.model.Models;
import org.fedledger.learning.model.NativeStaging;
import org.fedledger.learning.privacy.DpConfig;
import org.fedledger.learning.privacy.SecureNoise;
import org.fedledger.learning.privacy.StepDrawing;
import org.fedledger.learning.privacy.StepDraws;
import org.fedledger.learning.tensor.NamedTensor;
import org.fedledger.learning.tensor.Weights;

/**
 * Local training and evaluation of one model spec on the PyTorch engine. Holds one DJL model whose
 * parameters are overwritten by the weights passed to each call, so a trainer can serve any number
 * of rounds and clients in turn. Not thread-safe, but trainers on different threads train at the
 * same time: gradients are recorded per thread ({@link ThreadGradients}), and each call turns
 * PyTorch's grad mode off on its thread before loading weights in place.
 *
 * <p>Native memory: every array made for a call lives in an {@link NDManager} that is closed before
 * the call returns (batch arrays and temporaries in a per-batch manager, optimiser state in a
 * per-round one), so memory stays flat however many rounds run. Only the model's parameters live as
 * long as the trainer; {@link #close()} frees them. The loop is written here rather than with DJL's
 * {@code Trainer} because that class leaves one gradient handle per parameter in the model's
 * manager for every trainer made, and the native memory of its Adam state is never freed.
 *
 * <p>FedProx: the proximal term μ/2·‖w − w_global‖² is added to the batch loss before {@code
 * backward}, so its gradient μ(w − w_global) joins the data gradient in every step, whichever
 * optimiser is used. The reported loss is the data loss alone.
 */
public final class LocalTrainer implements AutoCloseable {
  private static final int EVAL_BATCH = 500;

  private final ModelSpec spec;
  private final Model model;
  private final Block block;
  private final List<NDArray> params = new ArrayList<>();
  // Softmax cross-entropy for classes; for regression the plain mean squared error (DJL's L2 loss
  // with weight 1 rather than its default 1/2), averaged over samples and outputs.
  private final Loss loss;
  // Inputs, labels and loaded weights pass through these reused buffers (see NativeStaging).
  private final NativeStaging featureStaging = new NativeStaging();
  private final NativeStaging labelStaging = new NativeStaging();
  // DP-SGD's closed-form clipping for a model of one dense layer, else null. One per trainer, so
  // that its staging buffers are reused by every round rather than left to the garbage collector.
  private final LinearModelClipping linearClipping;
  private boolean closed;

  private LocalTrainer(ModelSpec spec) {
    this.spec = spec;
    this.loss = spec.isRegression() ? Loss.l2Loss("mse", 1) : Loss.softmaxCrossEntropyLoss();
    this.model = Model.newInstance("fedledger-" + spec.type().id(), Device.cpu(), Engines.PYTORCH);
    this.block = Models.build(spec);
    model.setBlock(block);
    block.initialize(model.getNDManager(), DataType.FLOAT32, Models.batchShape(spec, 1));
    for (Pair<String, Parameter> p : block.getParameters()) {
      NDArray array = p.getValue().getArray();
      array.setRequiresGradient(true);
      params.add(array);
    }
    this.linearClipping =
        LinearModelClipping.fits(spec) ? LinearModelClipping.of(spec, params) : null;
  }

  /** A trainer for the spec, on the CPU, with the PyTorch engine loaded offline. */
  public static LocalTrainer create(ModelSpec spec) {
    Engines.pytorch(); // loads the engine offline before the model is made
    return new LocalTrainer(spec);
  }

  public ModelSpec spec() {
    return spec;
  }

  /**
   * Trains from the global weights on the local data.
   *
   * @param global the weights to start from (and, for FedProx, to stay near)
   * @param data local samples, whose sample shape must match the spec's input shape
   * @param config epochs, batch size, optimiser, learning rate, μ
   * @param seed seeds the shuffling of samples; the same seed gives the same batch order
   * @throws IllegalArgumentException if the weights do not fit the spec or the data is empty or of
   *     the wrong shape
   */
  public TrainResult train(Weights global, LabeledData data, TrainConfig config, long seed) {
    checkOpen();
    checkData(data);
    if (data.size() == 0) {
      throw new IllegalArgumentException("no local samples to train on");
    }
    Engines.configureThisThread();
    ThreadGradients.offOnThisThread();
    Models.load(block, global, featureStaging);
    double lossSum = 0;
    int steps = 0;
    try (NDManager round = model.getNDManager().newSubManager()) {
      ParameterStore store = new ParameterStore(round, false);
      LocalOptimizer optimizer = LocalOptimizer.create(config, params, round);
      List<NDArray> anchors = config.proxMu() > 0 ? anchors(round, global) : List.of();
      int n = data.size();
      int[] order = identity(n);
      SplittableRandom random = new SplittableRandom(seed);
      float[] buffer = new float[Math.min(config.batchSize(), n) * data.featureLength()];
      for (int epoch = 0; epoch < config.epochs(); epoch++) {
        shuffle(order, random);
        for (int start = 0; start < n; start += config.batchSize()) {
          int end = Math.min(n, start + config.batchSize());
          try (NDManager batch = round.newSubManager()) {
            NDList x = new NDList(features(batch, data, order, start, end, buffer));
            NDList y = new NDList(labels(batch, data, order, start, end));
            try (ThreadGradients collector = ThreadGradients.open()) {
              NDList predictions = block.forward(store, x, true);
              NDArray dataLoss = loss.evaluate(y, predictions);
              lossSum += dataLoss.getFloat() * (end - start);
              NDArray total = dataLoss;
              if (config.proxMu() > 0) {
                total = dataLoss.add(proximal(batch, anchors, config.proxMu()));
              }
              collector.backward(total);
            }
            optimizer.step(batch);
            steps++;
          }
        }
      }
    }
    double meanLoss = lossSum / ((double) data.size() * config.epochs());
    return new TrainResult(Models.weightsOf(block), data.size(), meanLoss, steps);
  }

  /**
   * Trains from the global weights with DP-SGD ({@link DpConfig}): {@code dp.steps()} steps, each
   * on a Poisson sample of the local records drawn by {@code noise}, with per-example clipping
   * ({@link PerExampleGradients}) and secure Gaussian noise; the noised sum is divided by the
   * expected batch size q·n. The config's optimiser, learning rate and μ apply; its epochs and
   * batch size do not (the DP parameters set the steps and the sampling). FedProx's proximal
   * gradient depends on no record and is added after the noise.
   *
   * <p>The draws come inline or from a second thread by the model's size ({@link StepDrawing}); a
   * model of one dense layer is clipped in closed form ({@link LinearModelClipping}), any other
   * through the engine's autograd ({@link PerExampleGradients}); plain SGD takes the noise and the
   * learning rate in one pass over the weights ({@link NoisedDescent}).
   *
   * @throws IllegalArgumentException as {@link #train}, or if the model has a layer that cannot be
   *     clipped per example
   */
  public TrainResult trainPrivately(
      Weights global, LabeledData data, TrainConfig config, DpConfig dp, SecureNoise noise) {
    checkOpen();
    checkData(data);
    if (data.size() == 0) {
      throw new IllegalArgumentException("no local samples to train on");
    }
    Engines.configureThisThread();
    ThreadGradients.offOnThisThread();
    Models.load(block, global, featureStaging);
    int n = data.size();
    double expectedBatch = dp.sampleRate() * n;
    long coordinates = 0;
    for (NDArray p : params) {
      coordinates += p.size();
    }
    double granularity = SecureNoise.granularity(dp.clipNorm(), coordinates);
    double lossSum = 0;
    long seen = 0;
    // The clipped sums come from the probes alone: for the whole round the parameters need no
    // gradient of their own (PerExampleGradients.clippedSumOfFrozen).
    setRequireGradients(false);
    try (NDManager round = model.getNDManager().newSubManager();
        StepDrawing drawing = StepDrawing.start(noise, dp, n, coordinates, granularity)) {
      ParameterStore store = new ParameterStore(round, false);
      NoisedDescent descent =
          NoisedDescent.fits(config)
              ? NoisedDescent.of(params, config, expectedBatch, granularity)
              : null;
      LocalOptimizer optimizer =
          descent == null ? LocalOptimizer.create(config, params, round) : null;
      List<NDArray> anchors = config.proxMu() > 0 ? anchors(round, global) : List.of();
      float[] buffer = new float[0];
      for (int step = 0; step < dp.steps(); step++) {
        StepDraws draws = drawing.next();
        int size = draws.size();
        try (NDManager batch = round.newSubManager()) {
          List<NDArray> sums;
          if (size == 0) {
            sums = new ArrayList<>();
            for (NDArray p : params) {
              sums.add(batch.zeros(p.getShape()));
            }
          } else {
            PerExampleGradients.Result clipped;
            if (linearClipping != null) {
              clipped =
                  linearClipping.clippedSum(data, draws.records(), size, dp.clipNorm(), batch);
            } else {
              if (buffer.length < size * data.featureLength()) {
                buffer = new float[size * data.featureLength()];
              }
              NDArray x = features(batch, data, draws.records(), 0, size, buffer);
              NDArray y = labels(batch, data, draws.records(), 0, size);
              clipped =
                  PerExampleGradients.clippedSumOfFrozen(
                      block, store, x, y, loss, dp.clipNorm(), params, batch);
            }
            sums = clipped.sums();
            lossSum += (double) clipped.meanLoss() * size;
            seen += size;
          }
          if (descent != null) {
            descent.step(sums, draws);
          } else {
            optimizer.step(
                batch,
                noisedGradients(sums, draws, granularity, expectedBatch, anchors, config, batch));
          }
        }
      }
    } finally {
      setRequireGradients(true);
    }
    double meanLoss = seen == 0 ? Double.NaN : lossSum / seen;
    return new TrainResult(Models.weightsOf(block), n, meanLoss, dp.steps());
  }

  /**
   * The optimiser's gradients for Adam or FedProx: each clipped sum noised and divided by the
   * expected batch, plus the proximal pull μ(w − w_global), which depends on no record and is added
   * after the noise.
   */
  private List<NDArray> noisedGradients(
      List<NDArray> sums,
      StepDraws draws,
      double granularity,
      double expectedBatch,
      List<NDArray> anchors,
      TrainConfig config,
      NDManager batch) {
    List<NDArray> gradients = new ArrayList<>();
    int offset = 0;
    for (int i = 0; i < params.size(); i++) {
      NDArray g = noised(sums.get(i), draws, offset, granularity, expectedBatch, batch);
      offset += Math.toIntExact(g.size());
      if (config.proxMu() > 0) {
        NDArray pull = LocalOptimizer.in(batch, params.get(i).sub(anchors.get(i)));
        g = g.add(pull.mul(config.proxMu()));
      }
      gradients.add(g);
    }
    return gradients;
  }

  /**
   * (sum + noise) / expected batch, computed in the sum's own native memory: the engine's buffer is
   * read and written in place through a direct view (no copy out to a Java array and back), and the
   * result is a second array over the same memory, which the batch manager frees with the sum.
   */
  private static NDArray noised(
      NDArray sum,
      StepDraws draws,
      int offset,
      double granularity,
      double expectedBatch,
      NDManager batch) {
    // A view of the sum's memory, or of a contiguous copy of it (in the same manager) if the sum's
    // layout is strided.
    ByteBuffer memory = sum.toByteBuffer(true);
    SecureNoise.addDrawnNoise(
        memory.asFloatBuffer(), draws.granules(), offset, granularity, expectedBatch);
    return batch.create(memory, sum.getShape(), DataType.FLOAT32);
  }

  private void setRequireGradients(boolean required) {
    for (NDArray p : params) {
      p.setRequiresGradient(required);
    }
  }

  private List<NDArray> anchors(NDManager round, Weights global) {
    List<NDArray> anchors = new ArrayList<>();
    for (NamedTensor t : global.tensors()) {
      NDArray anchor = round.zeros(new Shape(t.shape()));
      featureStaging.copyInto(anchor, t.values());
      anchors.add(anchor);
    }
    return anchors;
  }

  /**
   * Accuracy, mean loss and the task's metrics of the weights on the data; for regression the
   * accuracy is NaN (there are no classes) and the metrics are RMSE, MAE and R².
   */
  public Evaluation evaluate(Weights weights, LabeledData test) {
    return Evaluation.of(test, predict(weights, test));
  }

  /**
   * The model's raw outputs (logits, or predicted values) on the data and its summed loss: what
   * {@link #evaluate} scores. Predictions of consecutive parts of a data set can be joined ({@link
   * Predictions#concat}) and scored once, so that evaluating in chunks gives the same metrics.
   */
  public Predictions predict(Weights weights, LabeledData test) {
    checkOpen();
    checkData(test);
    if (test.size() == 0) {
      throw new IllegalArgumentException("no samples to evaluate on");
    }
    Engines.configureThisThread();
    ThreadGradients.offOnThisThread();
    Models.load(block, weights, featureStaging);
    int n = test.size();
    int[] order = identity(n);
    float[] buffer = new float[Math.min(EVAL_BATCH, n) * test.featureLength()];
    double lossSum = 0;
    float[] outputs = new float[Math.multiplyExact(n, spec.outputs())];
    try (NDManager manager = model.getNDManager().newSubManager()) {
      ParameterStore store = new ParameterStore(manager, false);
      for (int start = 0; start < n; start += EVAL_BATCH) {
        int end = Math.min(n, start + EVAL_BATCH);
        try (NDManager batch = manager.newSubManager()) {
          NDList x = new NDList(features(batch, test, order, start, end, buffer));
          NDList y = new NDList(labels(batch, test, order, start, end));
          NDList predictions = block.forward(store, x, false);
          lossSum += loss.evaluate(y, predictions).getFloat() * (end - start);
          float[] batchOutputs = predictions.singletonOrThrow().toFloatArray();
          System.arraycopy(batchOutputs, 0, outputs, start * spec.outputs(), batchOutputs.length);
        }
      }
    }
    return new Predictions(outputs, spec.outputs(), lossSum);
  }

  // anchor - w rather than w - anchor: an operation's result joins its first operand's manager,
  // and the anchors live in the round's manager, not the model's. Each difference then moves to
  // the batch's manager, where the rest of the term follows it.
  private NDArray proximal(NDManager batch, List<NDArray> anchors, float mu) {
    NDArray sum = null;
    for (int i = 0; i < params.size(); i++) {
      NDArray diff = LocalOptimizer.in(batch, anchors.get(i).sub(params.get(i)));
      NDArray term = diff.square().sum();
      sum = sum == null ? term : sum.add(term);
    }
    return sum.mul(mu / 2);
  }

  private NDArray features(
      NDManager manager, LabeledData data, int[] order, int start, int end, float[] buffer) {
    int len = data.featureLength();
    for (int i = start; i < end; i++) {
      data.copyFeatures(order[i], buffer, (i - start) * len);
    }
    return featureStaging.floats(manager, buffer, 0, Models.batchShape(spec, end - start));
  }

  // The batch's answers: class indices for the cross-entropy, or a (batch, outputs) float matrix of
  // targets for the squared error.
  private NDArray labels(NDManager manager, LabeledData data, int[] order, int start, int end) {
    if (data.isRegression()) {
      int width = data.outputCount();
      float[] targets = new float[(end - start) * width];
      for (int i = start; i < end; i++) {
        data.copyTargets(order[i], targets, (i - start) * width);
      }
      return labelStaging.floats(manager, targets, 0, new Shape(end - start, width));
    }
    long[] labels = new long[end - start];
    for (int i = start; i < end; i++) {
      labels[i - start] = data.label(order[i]);
    }
    return labelStaging.longs(manager, labels, new Shape(labels.length));
  }

  private void checkData(LabeledData data) {
    if (data.featureLength() != spec.inputSize()) {
      throw new IllegalArgumentException(
          "samples have "
              + data.featureLength()
              + " features but model "
              + spec
              + " expects "
              + spec.inputSize());
    }
    if (data.isRegression() != spec.isRegression()) {
      throw new IllegalArgumentException(
          "the data holds "
              + (data.isRegression() ? "regression targets" : "class labels")
              + " but model "
              + spec
              + " is a "
              + spec.task().name().toLowerCase(Locale.ROOT)
              + " model; use a model of the data's task");
    }
    if (data.isRegression() && data.outputCount() != spec.outputs()) {
      throw new IllegalArgumentException(
          "the data has "
              + data.outputCount()
              + " targets per sample but model "
              + spec
              + " predicts "
              + spec.outputs());
    }
    if (!data.isRegression() && data.classCount() > spec.classes()) {
      throw new IllegalArgumentException(
          "data has " + data.classCount() + " classes but the model only " + spec.classes());
    }
  }

  private static int[] identity(int n) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = i;
    }
    return a;
  }

  // Fisher-Yates with an explicit generator, so the batch order depends only on the seed.
  private static void shuffle(int[] a, SplittableRandom random) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("this LocalTrainer is closed");
    }
  }

  /** Frees the model's native memory. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      model.close();
    }
  }
}
