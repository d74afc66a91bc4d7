package io.glimpse.trainer.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.glimpse.trainer.metrics.ClassificationReport;
import io.glimpse.trainer.metrics.EpochMetrics;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The two PNGs a run leaves: readable images with both curves, and the shaded matrix. */
class ReportPlotsTest {
  private static final List<String> CLASSES = List.of("cat", "dog", "bird");

  @TempDir Path dir;

  @Test
  void trainingCurvesDrawBothSeriesInTheirColours() throws IOException {
    Path file = dir.resolve(TrainingCurvesPlot.FILE);

    TrainingCurvesPlot.write(report(), file);

    BufferedImage image = ImageIO.read(file.toFile());
    assertThat(image.getWidth()).isGreaterThan(500);
    assertThat(image.getHeight()).isGreaterThan(500);
    assertThat(count(image, TrainingCurvesPlot.TRAIN)).as("training curve").isGreaterThan(500);
    assertThat(count(image, TrainingCurvesPlot.VALIDATION))
        .as("validation curve")
        .isGreaterThan(500);
    assertThat(dir).isDirectoryNotContaining("glob:**/.plot-*");
  }

  @Test
  void confusionMatrixShadesTheDiagonalBlueAndMistakesRed() throws IOException {
    Path file = dir.resolve(ConfusionMatrixPlot.FILE);

    ConfusionMatrixPlot.write(confusion(), "pets v1, test set", file);

    BufferedImage image = ImageIO.read(file.toFile());
    assertThat(image.getWidth()).isGreaterThan(300);
    // A full diagonal cell (share 1): pure blue-ish; the worst mistake cell (share 0.5): red.
    assertThat(count(image, new Color(0, 105, 255))).as("diagonal cells").isGreaterThan(1000);
    assertThat(count(image, new Color(255, 0, 0))).as("mistake cells").isGreaterThan(1000);
    assertThat(Files.size(file)).isPositive();
  }

  private static RunReport report() {
    List<EpochMetrics> history = new ArrayList<>();
    for (int e = 1; e <= 5; e++) {
      history.add(
          new EpochMetrics(e, 1.0 / e, 0.5 + 0.08 * e, 1.2 / e, 0.45 + 0.08 * e, 0.05, 10, 100, e));
    }
    ClassificationReport validation = confusion();
    return new RunReport("pets", "1", null, Map.of(), history, 4, validation, null, 60, 50);
  }

  private static ClassificationReport confusion() {
    long[][] counts = {{10, 0, 0}, {5, 5, 0}, {0, 1, 9}};
    return new ClassificationReport(CLASSES, counts, 0.5, new int[0]);
  }

  private static int count(BufferedImage image, Color color) {
    int n = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        n += image.getRGB(x, y) == color.getRGB() ? 1 : 0;
      }
    }
    return n;
  }
}
