package io.glimpse.trainer;

import ai.djl.Model;
import io.glimpse.model.artifact.ModelArtifactException;
import io.glimpse.model.artifact.ModelArtifactWriter;
import io.glimpse.model.artifact.ModelFormat;
import io.glimpse.model.artifact.ModelManifest;
import io.glimpse.trainer.checkpoint.TrainingState;
import io.glimpse.trainer.metrics.ClassificationReport;
import io.glimpse.trainer.report.ConfusionMatrixPlot;
import io.glimpse.trainer.report.MetricsJson;
import io.glimpse.trainer.report.RunReport;
import io.glimpse.trainer.report.TrainingCurvesPlot;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a run's outputs into its output directory: {@code artifact/} (the model artifact, with the
 * evaluation in its manifest's metrics), {@code metrics.json}, {@code training-curves.png} and
 * {@code confusion-matrix.png}.
 */
final class RunOutputs {

  /** The artifact's directory name inside the output directory. */
  static final String ARTIFACT = "artifact";

  /** The metrics file's name. */
  static final String METRICS = "metrics.json";

  private final TrainingConfig config;
  private final PreparedRun run;

  RunOutputs(TrainingConfig config, PreparedRun run) {
    this.config = config;
    this.run = run;
  }

  ModelManifest writeArtifact(
      Model model, TrainingState state, ClassificationReport validation, ClassificationReport test)
      throws TrainingException {
    ModelManifest draft =
        ModelManifest.builder()
            .setName(config.modelName())
            .setVersion(config.version())
            .setFormat(ModelFormat.DJL)
            .optWidthMultiplier(run.widthMultiplier())
            .setInputShape(run.input())
            .setNormalization(run.normalization())
            .setLabels(run.classes())
            .optMetrics(metrics(state, validation, test))
            .optParentVersion(run.parent() == null ? null : run.parent().getVersion())
            .optTrainingData(config.dataSource().describe())
            .build();
    try {
      return ModelArtifactWriter.write(model, draft, config.outputDirectory().resolve(ARTIFACT));
    } catch (ModelArtifactException e) {
      throw new TrainingException("cannot write the model artifact: " + e.getMessage(), e);
    }
  }

  private static Map<String, Double> metrics(
      TrainingState state, ClassificationReport validation, ClassificationReport test) {
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("validation_accuracy", validation.accuracy());
    metrics.put("validation_loss", validation.loss());
    if (test != null) {
      metrics.put("test_accuracy", test.accuracy());
      metrics.put("test_loss", test.loss());
    }
    metrics.put("best_epoch", (double) state.bestEpoch());
    metrics.put("epochs", (double) state.epochsDone());
    metrics.put("training_seconds", state.elapsedSeconds());
    return metrics;
  }

  RunReport report(
      TrainingState state,
      ClassificationReport validation,
      ClassificationReport test,
      double wallSeconds) {
    return new RunReport(
        config.modelName(),
        config.version(),
        run.parent() == null ? null : run.parent().getVersion(),
        settings(),
        state.history(),
        state.bestEpoch(),
        validation,
        test,
        wallSeconds,
        state.elapsedSeconds());
  }

  private Map<String, Object> settings() {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("data", run.dataDescription());
    if (!config.dataSource().provenance().isEmpty()) {
      s.put("dataProvenance", config.dataSource().provenance());
    }
    s.put("trainImages", run.train().images().size());
    s.put("validationImages", run.validation().images().size());
    s.put("testImages", run.test() == null ? 0 : run.test().images().size());
    s.put("architecture", ModelManifest.MOBILENET_V1);
    s.put("widthMultiplier", run.widthMultiplier());
    s.put("inputShape", List.of(run.input().channels(), run.input().height(), run.input().width()));
    s.put("fit", config.fitMode().name().toLowerCase(java.util.Locale.ROOT));
    s.put("epochs", config.epochs());
    s.put("batchSize", config.batchSize());
    s.put("optimizer", config.optimizer().toString());
    s.put("learningRate", config.learningRate());
    s.put("momentum", config.momentum());
    s.put("warmupEpochs", config.warmupEpochs());
    s.put("weightDecay", config.weightDecay());
    s.put("labelSmoothing", config.labelSmoothing());
    s.put("cropPadding", config.augmentation().cropPadding());
    s.put("horizontalFlip", config.augmentation().horizontalFlip());
    s.put("erasing", config.augmentation().erasing());
    s.put("averageDecay", config.averageDecay());
    s.put("maxBatchesPerEpoch", config.maxBatchesPerEpoch());
    s.put("workers", config.workers());
    s.put("seed", config.seed());
    s.put("normalization", run.normalization());
    return s;
  }

  /** Writes metrics.json and the plots; returns the plots' paths. */
  List<Path> writeReports(RunReport report) throws TrainingException {
    Path dir = config.outputDirectory();
    Path curves = dir.resolve(TrainingCurvesPlot.FILE);
    Path confusion = dir.resolve(ConfusionMatrixPlot.FILE);
    String set = report.test() != null ? "test set" : "validation set";
    try {
      MetricsJson.write(report, dir.resolve(METRICS));
      TrainingCurvesPlot.write(report, curves);
      ConfusionMatrixPlot.write(
          report.headlineReport(),
          config.modelName() + " v" + config.version() + ", " + set,
          confusion);
    } catch (IOException e) {
      throw new TrainingException("cannot write the run's reports into " + dir + ": " + e, e);
    }
    return List.of(curves, confusion);
  }
}
