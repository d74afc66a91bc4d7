package io.glimpse.trainer.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.glimpse.trainer.metrics.ClassificationReport;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Writes {@code metrics.json}: the model and its settings, the per-epoch history, the best epoch,
 * and for validation and test the accuracy, loss, per-class accuracy and confusion matrix ({@code
 * confusionMatrix[actual][predicted]}).
 */
public final class MetricsJson {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private MetricsJson() {}

  /**
   * Writes the file.
   *
   * @param report the run's report
   * @param file where to write, replaced if present
   * @throws IOException when writing fails
   */
  public static void write(RunReport report, Path file) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("model", report.modelName());
    root.put("version", report.version());
    root.put("parentVersion", report.parentVersion());
    root.set("settings", JSON.valueToTree(report.settings()));
    root.set("epochs", JSON.valueToTree(report.history()));
    root.put("bestEpoch", report.bestEpoch());
    root.set("validation", evaluation(report.validation()));
    if (report.test() != null) {
      root.set("test", evaluation(report.test()));
    }
    root.put("wallTimeSeconds", report.wallTimeSeconds());
    root.put("trainingSeconds", report.trainingSeconds());
    JSON.writeValue(file.toFile(), root);
  }

  private static ObjectNode evaluation(ClassificationReport report) {
    ObjectNode node = JSON.createObjectNode();
    node.put("images", report.total());
    node.put("accuracy", report.accuracy());
    node.put("loss", report.loss());
    ObjectNode perClass = node.putObject("perClassAccuracy");
    double[] accuracy = report.perClassAccuracy();
    for (int i = 0; i < accuracy.length; i++) {
      if (Double.isNaN(accuracy[i])) {
        perClass.putNull(report.classes().get(i)); // a class with no images here
      } else {
        perClass.put(report.classes().get(i), accuracy[i]);
      }
    }
    node.set("classes", JSON.valueToTree(report.classes()));
    ArrayNode matrix = node.putArray("confusionMatrix");
    for (long[] row : report.confusion()) {
      matrix.add(JSON.valueToTree(row));
    }
    return node;
  }
}
