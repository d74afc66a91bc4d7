package io.glimpse.ops.bench;

import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.glimpse.model.artifact.InputShape;
import io.glimpse.model.artifact.LoadedModel;
import io.glimpse.model.artifact.ModelArtifactException;
import io.glimpse.model.artifact.ModelArtifactLoader;
import io.glimpse.model.inference.BatchClassifier;
import io.glimpse.model.inference.Devices;
import io.glimpse.model.inference.InferenceException;
import io.glimpse.model.mobilenet.Precision;
import io.glimpse.model.mobilenet.UntrainedModels;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Glimpse's side of {@code bench engine}: an untrained MobileNetV1 artifact loaded as the pipeline
 * loads it (verified, warmed up, folded unless asked not to) and classified through the pipeline's
 * {@link BatchClassifier}, on a thread of its own as a stream thread runs it.
 */
final class GlimpseEngine implements AutoCloseable {
  private final LoadedModel model;
  private final BatchClassifier classifier;
  private final ExecutorService thread =
      Executors.newSingleThreadExecutor(r -> new Thread(r, "glimpse-bench-engine"));

  private GlimpseEngine(LoadedModel model) {
    this.model = model;
    this.classifier = new BatchClassifier(model);
  }

  /**
   * Writes the artifact into {@code dir} (which must not exist) and loads it, folded in {@code
   * precision} or, when {@code fold} is false, as the trained DJL block.
   */
  static GlimpseEngine load(
      EngineModel spec, Path dir, String device, boolean fold, Precision precision)
      throws ModelArtifactException {
    InputShape shape = new InputShape(spec.channels(), spec.size(), spec.size());
    UntrainedModels.write(
        dir,
        "engine-bench",
        "1",
        spec.width(),
        shape,
        UntrainedModels.numberedLabels(spec.classes()),
        7);
    ModelArtifactLoader loader =
        ModelArtifactLoader.builder()
            .optDevice(Devices.parse(device))
            .optFold(fold)
            .optPrecision(precision)
            .build();
    return new GlimpseEngine(loader.load(dir));
  }

  /** Trainable parameters and batch-norm running statistics of the trained network. */
  long[] parameterCounts() {
    long trainable = 0;
    long other = 0;
    for (Pair<String, Parameter> p : model.getModel().getBlock().getParameters()) {
      long size = p.getValue().getArray().size();
      if (p.getValue().requiresGradient()) {
        trainable += size;
      } else {
        other += size;
      }
    }
    return new long[] {trainable, other};
  }

  String servedAs() {
    return model.servedAs();
  }

  String device() {
    return model.device();
  }

  /** Classifies batches of {@code batch} random images for at least {@code seconds}; images/s. */
  double measure(int batch, double seconds) throws InferenceException, InterruptedException {
    float[] images = new float[batch * classifier.inputShape().channels() * imageArea()];
    Random random = new Random(batch);
    for (int i = 0; i < images.length; i++) {
      images[i] = (float) random.nextGaussian();
    }
    try {
      return thread.submit(() -> measureHere(images, batch, seconds)).get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof InferenceException inference) {
        throw inference;
      }
      throw new IllegalStateException("The engine benchmark failed: " + e.getCause(), e.getCause());
    }
  }

  private int imageArea() {
    return classifier.inputShape().height() * classifier.inputShape().width();
  }

  private double measureHere(float[] images, int batch, double seconds) throws InferenceException {
    for (int i = 0; i < 2; i++) {
      classifier.classify(images, batch);
    }
    long start = System.nanoTime();
    long count = 0;
    long elapsed;
    do {
      classifier.classify(images, batch);
      count++;
      elapsed = System.nanoTime() - start;
    } while (elapsed < seconds * 1e9 || count < 2);
    return count * batch * 1e9 / elapsed;
  }

  @Override
  public void close() {
    thread.shutdown();
    classifier.close();
    model.close();
  }
}
