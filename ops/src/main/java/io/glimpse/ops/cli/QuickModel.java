package io.glimpse.ops.cli;

import io.glimpse.ops.demo.DemoData;
import io.glimpse.ops.demo.DemoModel;
import io.glimpse.trainer.TrainingException;
import io.glimpse.trainer.TrainingResult;
import io.glimpse.trainer.console.ProgressBar;
import io.glimpse.trainer.data.DatasetException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;

/** The demo's quick model, as {@code demo} and {@code up} get it: trained earlier, or now. */
final class QuickModel {
  private QuickModel() {}

  /**
   * The quick model's artifact for {@code data}: the one an earlier run trained, or one trained now
   * (about a minute on two cores), saying which.
   */
  static Path ensure(Path dataDir, DemoData data, PrintWriter out)
      throws DatasetException, TrainingException {
    if (DemoModel.exists(dataDir, data)) {
      Path artifact = DemoModel.quickArtifact(dataDir, data);
      out.println("Serving the demo model trained earlier: " + artifact);
      return artifact;
    }
    out.println("No demo model for this data yet: training a quick one (150 batches)...");
    out.flush();
    TrainingResult result =
        DemoModel.trainQuick(dataDir, data, new ProgressBar(out, System.console() != null));
    out.printf(
        Locale.ROOT,
        "Trained in %d s, %s; kept for later runs in %s%n",
        result.wallTime().toSeconds(),
        result
            .testReport()
            .map(t -> String.format(Locale.ROOT, "%.1f%% test accuracy", 100 * t.accuracy()))
            .orElse("no test set"),
        result.artifactDirectory());
    return result.artifactDirectory();
  }
}
