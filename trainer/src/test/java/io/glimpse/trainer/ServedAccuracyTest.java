package io.glimpse.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import io.glimpse.model.artifact.LoadedModel;
import io.glimpse.model.artifact.ModelArtifactLoader;
import io.glimpse.model.image.ContentTypes;
import io.glimpse.model.image.DecodedImage;
import io.glimpse.model.image.ImageDecoder;
import io.glimpse.model.image.ImagePreprocessor;
import io.glimpse.model.inference.BatchClassifier;
import io.glimpse.trainer.data.DatasetOptions;
import io.glimpse.trainer.data.FashionMnist;
import io.glimpse.trainer.data.ImageDataset;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The accuracy the pipeline serves is the accuracy the trainer reports: all 10,000 Fashion-MNIST
 * test images, each PNG-encoded at 28×28 as a user would publish it, go through the serving path
 * (the default {@link ModelArtifactLoader}, which serves the folded network, as {@code
 * ServingModel.load} does; {@link ImageDecoder}; the manifest's {@link ImagePreprocessor}, which
 * resizes to 64×64 and normalizes; {@link BatchClassifier}), and the trained artifact must score
 * what the trainer measured on the same images within 0.1 points.
 *
 * <p>The model is the default recipe's network (α 0.5, 1×64×64, resized) trained briefly: one epoch
 * of 40 batches of 64 from the first 6,000 training images, so the test stays short; its accuracy
 * (about 70 %) only has to be far from chance for a preprocessing mismatch to show.
 */
class ServedAccuracyTest {

  private static final Logger logger = LoggerFactory.getLogger(ServedAccuracyTest.class);
  private static final int BATCH = 100;

  @TempDir Path dir;

  @Test
  void thePipelinesPathScoresTheTrainersTestAccuracyOnPngImages() throws Exception {
    RequiredPackage.assumeInstalled(
        Files.isDirectory(FashionMnist.DEFAULT_DIRECTORY), "dataset-fashion-mnist");
    TrainingConfig config =
        TrainingConfig.builder()
            .setDataSource(FashionMnist.source(DatasetOptions.defaults().withLimit(10_000)))
            .setModelName("fashion")
            .setVersion("1")
            .setOutputDirectory(dir)
            .optEpochs(1)
            .optBatchSize(32)
            .optWidthMultiplier(0.25f)
            .optMaxBatchesPerEpoch(150)
            .optWarmupEpochs(0.1f)
            .optWorkers(1)
            .optDevice("cpu")
            .build();

    TrainingResult result = new TrainingJob(config, ProgressListener.NONE).run();

    ImageDataset test = config.dataSource().load().testSet().orElseThrow();
    assertThat(test.size()).isEqualTo(10_000);
    double trained = result.test().accuracy();
    assertThat(trained).as("the trainer's test accuracy").isGreaterThan(0.6);

    int[] served = servedPredictions(result.artifactDirectory(), test);
    int right = 0;
    int disagreements = 0;
    for (int i = 0; i < test.size(); i++) {
      right += served[i] == test.label(i) ? 1 : 0;
      disagreements += served[i] == result.test().predictions()[i] ? 0 : 1;
    }
    double servedAccuracy = (double) right / test.size();
    logger.info(
        "Trainer's test accuracy {}, served {}; {} of {} predictions differ",
        trained,
        servedAccuracy,
        disagreements,
        test.size());
    assertThat(servedAccuracy)
        .as("served accuracy; %d of %d predictions differ", disagreements, test.size())
        .isCloseTo(trained, within(0.001));
    // The trainer evaluates through the same preprocessing; only the folded network's rounding
    // may tip an image or two (a trainer that rounded resized pixels to 8 bits differed on 25).
    assertThat(disagreements).as("predictions that differ").isLessThanOrEqualTo(5);
  }

  /** Every test image through the serving classes, as {@code ImageBatchHandler} calls them. */
  private static int[] servedPredictions(Path artifact, ImageDataset test) throws Exception {
    ImageDecoder decoder = ImageDecoder.builder().build();
    try (LoadedModel model =
            ModelArtifactLoader.builder().optDevice(Device.cpu()).build().load(artifact);
        BatchClassifier classifier = new BatchClassifier(model)) {
      ImagePreprocessor preprocessor = ImagePreprocessor.of(model.getManifest());
      int size = preprocessor.tensorSize();
      int[] predictions = new int[test.size()];
      for (int from = 0; from < test.size(); from += BATCH) {
        int count = Math.min(BATCH, test.size() - from);
        float[] tensor = new float[count * size];
        for (int i = 0; i < count; i++) {
          DecodedImage image =
              decoder.decode(ContentTypes.PNG, png(test, from + i), null, null, null);
          preprocessor.writeTensor(image, tensor, i * size);
        }
        float[][] probabilities = classifier.classify(tensor, count);
        for (int i = 0; i < count; i++) {
          predictions[from + i] = TrainingJobTest.argMax(probabilities[i]);
        }
      }
      return predictions;
    }
  }

  /** The image as an 8-bit gray PNG, the way a user would publish a Fashion-MNIST item. */
  private static byte[] png(ImageDataset images, int index) throws Exception {
    byte[] pixels = images.image(index).pixels();
    BufferedImage gray =
        new BufferedImage(images.width(), images.height(), BufferedImage.TYPE_BYTE_GRAY);
    gray.getRaster().setDataElements(0, 0, images.width(), images.height(), pixels);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(ImageIO.write(gray, "png", out)).isTrue();
    return out.toByteArray();
  }
}
