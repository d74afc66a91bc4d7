package io.glimpse.ops.bench;

import io.glimpse.model.artifact.LoadedModel;
import io.glimpse.model.artifact.ModelArtifactException;
import io.glimpse.model.artifact.ModelArtifactLoader;
import io.glimpse.model.image.ImagePreprocessor;
import io.glimpse.model.inference.BatchClassifier;
import io.glimpse.model.inference.InferenceException;
import io.glimpse.pipeline.quality.Psi;
import io.glimpse.trainer.data.DatasetException;
import io.glimpse.trainer.data.ImageDataset;
import java.nio.file.Path;
import java.util.List;

/**
 * A labelled test set as the drift monitor sees it: each image's top-1 class and the confidence bin
 * of its top-1 probability (the keys of the monitor's two histograms), beside its true class.
 */
public final class DriftPredictions {

  private final String model;
  private final List<String> classes;
  private final int[] truth;
  private final String[] predicted;
  private final String[] confidenceBins;
  private final double top1Accuracy;

  /**
   * Predictions made elsewhere (a test's synthetic ones).
   *
   * @param model what made them, for the report
   * @param classes the data set's class names; {@code truth} indexes them
   * @param truth each image's true class
   * @param predicted each image's top-1 class as the model names it
   * @param probability each image's top-1 probability
   */
  public DriftPredictions(
      String model, List<String> classes, int[] truth, String[] predicted, float[] probability) {
    if (truth.length != predicted.length || truth.length != probability.length) {
      throw new IllegalArgumentException(
          "One true class, top-1 class and probability per image: got "
              + truth.length
              + ", "
              + predicted.length
              + " and "
              + probability.length);
    }
    this.model = model;
    this.classes = List.copyOf(classes);
    this.truth = truth.clone();
    this.predicted = predicted.clone();
    this.confidenceBins = new String[probability.length];
    int correct = 0;
    for (int i = 0; i < truth.length; i++) {
      confidenceBins[i] = Psi.confidenceBin(probability[i]);
      correct += this.classes.get(truth[i]).equals(predicted[i]) ? 1 : 0;
    }
    this.top1Accuracy = truth.length == 0 ? 0 : (double) correct / truth.length;
  }

  /**
   * Classifies the Fashion-MNIST test set with a trained artifact, through the pipeline's
   * preprocessor and classifier.
   *
   * @param artifact a trained Fashion-MNIST artifact (directory or zip)
   * @param dataDir the Fashion-MNIST files
   * @param limit at most this many test images (0: all)
   */
  public static DriftPredictions classify(Path artifact, Path dataDir, int limit)
      throws ModelArtifactException, InferenceException, DatasetException {
    ImageDataset test = TestSetBatches.fashionMnist(dataDir, limit);
    try (LoadedModel loaded = ModelArtifactLoader.builder().build().load(artifact);
        BatchClassifier classifier = new BatchClassifier(loaded)) {
      List<String> labels = loaded.getManifest().getLabels();
      int[] truth = new int[test.size()];
      String[] predicted = new String[test.size()];
      float[] probability = new float[test.size()];
      TestSetBatches.forEach(
          test,
          ImagePreprocessor.of(loaded.getManifest()),
          (start, n, batch) -> {
            float[][] scores = classifier.classify(batch, n);
            for (int i = 0; i < n; i++) {
              int top = PrecisionAccuracy.argMax(scores[i]);
              truth[start + i] = test.label(start + i);
              predicted[start + i] = labels.get(top);
              probability[start + i] = scores[i][top];
            }
          });
      String model = loaded.getManifest().getName() + " " + loaded.getManifest().getVersion();
      return new DriftPredictions(model, test.classes(), truth, predicted, probability);
    }
  }

  /** The model that made the predictions. */
  public String model() {
    return model;
  }

  /** The data set's class names. */
  public List<String> classes() {
    return classes;
  }

  /** The number of images. */
  public int size() {
    return truth.length;
  }

  /** The share of images whose top-1 class is their true class. */
  public double top1Accuracy() {
    return top1Accuracy;
  }

  int truth(int image) {
    return truth[image];
  }

  String predicted(int image) {
    return predicted[image];
  }

  String confidenceBin(int image) {
    return confidenceBins[image];
  }
}
