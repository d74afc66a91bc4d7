package io.glimpse.ops.bench;

import io.glimpse.model.artifact.LoadedModel;
import io.glimpse.model.artifact.ModelArtifactException;
import io.glimpse.model.artifact.ModelArtifactLoader;
import io.glimpse.model.image.ImagePreprocessor;
import io.glimpse.model.inference.BatchClassifier;
import io.glimpse.model.inference.InferenceException;
import io.glimpse.model.mobilenet.Precision;
import io.glimpse.trainer.data.DatasetException;
import io.glimpse.trainer.data.ImageDataset;
import java.nio.file.Path;
import java.util.Locale;

/**
 * {@code glimpse bench precision}: a trained artifact's top-1 accuracy on the Fashion-MNIST test
 * set served in fp32 and in bf16, through the pipeline's preprocessor and classifier, and how often
 * the two disagree.
 */
public final class PrecisionAccuracy {

  private PrecisionAccuracy() {}

  /**
   * What was measured.
   *
   * @param images test images classified
   * @param fp32ServedAs how the fp32 side ran
   * @param bf16ServedAs how the bf16 side ran
   * @param fp32Top1 fp32 top-1 accuracy, 0 to 1
   * @param bf16Top1 bf16 top-1 accuracy, 0 to 1
   * @param disagreements images whose top-1 class differs between the two
   */
  public record Report(
      int images,
      String fp32ServedAs,
      String bf16ServedAs,
      double fp32Top1,
      double bf16Top1,
      int disagreements) {

    /** Top-1 points lost by bf16 (negative: gained). */
    public double pointsLost() {
      return 100 * (fp32Top1 - bf16Top1);
    }

    /** A short table. */
    public String toText() {
      return String.format(
          Locale.ROOT,
          "%d Fashion-MNIST test images%n"
              + "fp32 (%s): top-1 %.2f %%%n"
              + "bf16 (%s): top-1 %.2f %%%n"
              + "bf16 loses %.2f points; top-1 differs on %d images%n",
          images,
          fp32ServedAs,
          100 * fp32Top1,
          bf16ServedAs,
          100 * bf16Top1,
          pointsLost(),
          disagreements);
    }
  }

  /**
   * Classifies the test set with both precisions.
   *
   * @param artifact a trained Fashion-MNIST artifact (directory or zip)
   * @param dataDir the Fashion-MNIST files
   * @param limit at most this many test images (0: all)
   */
  public static Report run(Path artifact, Path dataDir, int limit)
      throws ModelArtifactException, InferenceException, DatasetException {
    ImageDataset test = TestSetBatches.fashionMnist(dataDir, limit);
    try (LoadedModel fp32 = load(artifact, Precision.FP32);
        LoadedModel bf16 = load(artifact, Precision.BF16);
        BatchClassifier exact = new BatchClassifier(fp32);
        BatchClassifier rounded = new BatchClassifier(bf16)) {
      int[] counts = new int[3]; // correct in fp32, correct in bf16, disagreements
      TestSetBatches.forEach(
          test,
          ImagePreprocessor.of(fp32.getManifest()),
          (start, n, batch) -> {
            float[][] a = exact.classify(batch, n);
            float[][] b = rounded.classify(batch, n);
            for (int i = 0; i < n; i++) {
              int label = test.label(start + i);
              int ta = argMax(a[i]);
              int tb = argMax(b[i]);
              counts[0] += ta == label ? 1 : 0;
              counts[1] += tb == label ? 1 : 0;
              counts[2] += ta == tb ? 0 : 1;
            }
          });
      return new Report(
          test.size(),
          fp32.servedAs(),
          bf16.servedAs(),
          (double) counts[0] / test.size(),
          (double) counts[1] / test.size(),
          counts[2]);
    }
  }

  private static LoadedModel load(Path artifact, Precision precision)
      throws ModelArtifactException {
    return ModelArtifactLoader.builder().optPrecision(precision).build().load(artifact);
  }

  /** The index of the highest score (the first of equal ones). */
  static int argMax(float[] scores) {
    int best = 0;
    for (int i = 1; i < scores.length; i++) {
      if (scores[i] > scores[best]) {
        best = i;
      }
    }
    return best;
  }
}
