package io.glimpse.model.inference;

import ai.djl.engine.EngineException;
import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import io.glimpse.model.artifact.InputShape;
import io.glimpse.model.artifact.LoadedModel;
import io.glimpse.model.artifact.ModelManifest;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Classifies batches of preprocessed images with a {@link LoadedModel} and returns softmax
 * probabilities, one row per image, one column per label of the manifest.
 *
 * <p>Thread-safe: DJL predictors are not, so each calling thread gets its own, created on its first
 * call. Predictors of threads that have died are closed when another thread arrives; the rest are
 * closed by {@link #close()}. Threads are expected to be few and long-lived (stream threads).
 *
 * <p>Ownership: this classifier does <em>not</em> own the {@link LoadedModel}. Close the classifier
 * first, after every {@link #classify} call has returned, then the model. A hot reload builds a new
 * classifier for the new model and closes the old classifier before the old model.
 *
 * <pre>{@code
 * try (LoadedModel model = loader.load(dir); BatchClassifier classifier = new BatchClassifier(model)) {
 *   ImagePreprocessor preprocessor = ImagePreprocessor.of(model.getManifest());
 *   float[] batch = new float[images.size() * preprocessor.tensorSize()];
 *   for (int i = 0; i < images.size(); i++) {
 *     preprocessor.writeTensor(images.get(i), batch, i * preprocessor.tensorSize());
 *   }
 *   float[][] probabilities = classifier.classify(batch, images.size());
 * }
 * }</pre>
 */
public final class BatchClassifier implements AutoCloseable {

  private static final Logger logger = LoggerFactory.getLogger(BatchClassifier.class);

  private final LoadedModel model;
  private final InputShape inputShape;
  private final int imageSize;
  private final int numClasses;
  private final Map<Thread, Predictor<BatchInput, float[][]>> predictors =
      new ConcurrentHashMap<>();
  private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private volatile boolean closed;
  private volatile int intraOpThreads;

  /**
   * Creates a classifier for a loaded model; input shape and classes come from its manifest.
   *
   * @param model the model, still owned (and later closed) by the caller
   */
  public BatchClassifier(LoadedModel model) {
    this.model = model;
    ModelManifest manifest = model.getManifest();
    inputShape = manifest.getInputShape();
    imageSize = inputShape.channels() * inputShape.height() * inputShape.width();
    numClasses = manifest.getLabels().size();
  }

  /**
   * Sets how many threads libtorch uses inside each forward pass of this classifier, applied on
   * every calling thread before its next forward pass ({@link IntraOpThreads}); 0 (the default)
   * leaves libtorch's setting as it is.
   *
   * @param threads 0, or the intra-op thread count
   */
  public void useIntraOpThreads(int threads) {
    if (threads < 0) {
      throw new IllegalArgumentException("intra-op threads must be 0 or more, got " + threads);
    }
    this.intraOpThreads = threads;
  }

  /**
   * Returns the intra-op thread count set with {@link #useIntraOpThreads}.
   *
   * @return 0 when libtorch's own setting applies
   */
  public int intraOpThreads() {
    return intraOpThreads;
  }

  /**
   * Returns the shape of one image in a batch.
   *
   * @return channels, height and width
   */
  public InputShape inputShape() {
    return inputShape;
  }

  /** Floats per image in a batch: channels × height × width. */
  int imageSize() {
    return imageSize;
  }

  /**
   * Returns the number of classes: the length of every probability row.
   *
   * @return the number of labels in the manifest
   */
  public int numClasses() {
    return numClasses;
  }

  /**
   * Classifies a batch.
   *
   * @param batch {@code batchSize} images, each channels × height × width floats, NCHW, normalized
   *     as {@link io.glimpse.model.image.ImagePreprocessor} writes them; not modified
   * @param batchSize the number of images, at least 1
   * @return {@code [batchSize][numClasses()]} probabilities, each row summing to 1
   * @throws InferenceException when the engine fails on the batch
   * @throws IllegalArgumentException when the batch size or the array length is wrong
   * @throws IllegalStateException after {@link #close()}
   */
  public float[][] classify(float[] batch, int batchSize) throws InferenceException {
    checkBatch(batch, batchSize);
    float[][] probabilities;
    // Held for the whole forward pass: close() waits for it, so no predictor is freed while
    // libtorch
    // runs it (a use-after-free in native memory), and a call after close() fails cleanly.
    lifecycle.readLock().lock();
    try {
      if (closed) {
        throw new IllegalStateException(
            "this BatchClassifier of "
                + model.getManifest().getName()
                + " v"
                + model.getManifest().getVersion()
                + " is closed; classify with the model version served now");
      }
      IntraOpThreads.applyOnThisThread(intraOpThreads);
      probabilities =
          predictor().predict(new BatchInput(batch, inputShape.toBatchShape(batchSize)));
    } catch (TranslateException | EngineException e) {
      throw new InferenceException(
          failure(batchSize) + " (" + e.getMessage() + "); check the model and the input", e);
    } finally {
      lifecycle.readLock().unlock();
    }
    int columns = probabilities.length == 0 ? 0 : probabilities[0].length;
    if (probabilities.length != batchSize || columns != numClasses) {
      throw new InferenceException(
          failure(batchSize)
              + ": the model returned "
              + probabilities.length
              + " rows of "
              + columns
              + " classes, expected "
              + numClasses
              + " classes per image; re-publish the model",
          null);
    }
    return probabilities;
  }

  private void checkBatch(float[] batch, int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
    }
    long expected = (long) batchSize * imageSize;
    if (batch == null || batch.length != expected) {
      throw new IllegalArgumentException(
          "a batch of "
              + batchSize
              + " needs "
              + expected
              + " floats ("
              + batchSize
              + " x "
              + inputShape.channels()
              + "x"
              + inputShape.height()
              + "x"
              + inputShape.width()
              + "), got "
              + (batch == null ? "null" : batch.length)
              + "; write each image with ImagePreprocessor.writeTensor at i * tensorSize()");
    }
  }

  private String failure(int batchSize) {
    ModelManifest manifest = model.getManifest();
    return "classifying a batch of "
        + batchSize
        + " with "
        + manifest.getName()
        + " v"
        + manifest.getVersion()
        + " failed";
  }

  private Predictor<BatchInput, float[][]> predictor() {
    Predictor<BatchInput, float[][]> predictor = predictors.get(Thread.currentThread());
    return predictor != null ? predictor : newPredictor();
  }

  private synchronized Predictor<BatchInput, float[][]> newPredictor() {
    if (closed) {
      throw new IllegalStateException("this BatchClassifier is closed; create a new one");
    }
    predictors.entrySet().removeIf(BatchClassifier::closeIfOwnerDied);
    Predictor<BatchInput, float[][]> predictor = model.newPredictor(new SoftmaxTranslator());
    predictors.put(Thread.currentThread(), predictor);
    logger.debug("New predictor for thread {} on {}", Thread.currentThread().getName(), model);
    return predictor;
  }

  private static boolean closeIfOwnerDied(Map.Entry<Thread, Predictor<BatchInput, float[][]>> e) {
    if (e.getKey().isAlive()) {
      return false;
    }
    e.getValue().close();
    return true;
  }

  /** Returns how many predictors are open: one per live thread that called {@link #classify}. */
  int openPredictors() {
    return predictors.size();
  }

  /**
   * Closes every thread's predictor, after waiting for forward passes in progress to finish; later
   * calls to {@link #classify} throw {@link IllegalStateException}. The {@link LoadedModel} stays
   * open.
   */
  @Override
  public void close() {
    lifecycle.writeLock().lock();
    try {
      synchronized (this) {
        closed = true;
        predictors.values().forEach(Predictor::close);
        predictors.clear();
      }
    } finally {
      lifecycle.writeLock().unlock();
    }
  }
}
