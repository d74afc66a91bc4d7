package io.glimpse.ops.cli.models;

import io.glimpse.lifecycle.PublishException;
import io.glimpse.model.store.ModelStoreException;
import io.glimpse.ops.evaluation.EvaluationException;
import io.glimpse.ops.evaluation.EvaluationReport;
import io.glimpse.ops.evaluation.ReplayEvaluation;
import io.glimpse.ops.evaluation.ReplayRange;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code glimpse models evaluate <name> <version> --from ...}: see {@link ReplayEvaluation}. */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    description = {
      "Replay a retained range of images through a registered version and stop at its end:"
          + " predictions to predictions.eval, dead letters to images.dlq.eval, a report here.",
      "The same range gives the same predictions and the same report. Then: glimpse models"
          + " compare <name> <version>."
    })
final class EvaluateCommand extends RegisteredVersionCommand {

  @Option(
      names = "--from",
      required = true,
      paramLabel = "<offset|time>",
      description =
          "Where the range starts: an offset (in every partition), an ISO-8601 time"
              + " (2026-11-30T08:00:00Z) or earliest.")
  private String from;

  @Option(
      names = "--to",
      paramLabel = "<offset|time>",
      description =
          "Where it ends, exclusive: an offset, a time, or latest (default: each partition's end"
              + " when the replay starts).")
  private String to;

  @Option(
      names = "--batch-size",
      paramLabel = "<n>",
      defaultValue = "32",
      description = "Images per forward pass (default: ${DEFAULT-VALUE}).")
  private int batchSize;

  @Option(
      names = "--device",
      paramLabel = "<device>",
      defaultValue = "auto",
      description = "auto, cpu, gpu or gpu:N (default: ${DEFAULT-VALUE}).")
  private String device;

  @Option(names = "--json", description = "Print one JSON object instead of text.")
  private boolean json;

  @Override
  public Integer call()
      throws IOException, ModelStoreException, PublishException, EvaluationException {
    ReplayRange range;
    try {
      range = ReplayRange.parse(from, to);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    var kafka = connection.kafka();
    RegisteredArtifact artifact = artifact();
    EvaluationReport report =
        ReplayEvaluation.builder()
            .setKafka(kafka)
            .setModel(name, version)
            .setArtifact(artifact.path())
            .optSha256(artifact.record().getSha256())
            .setRange(range)
            .optBatchSize(batchSize)
            .optDevice(device)
            .build()
            .run();
    Printer.print(spec, json, () -> document(report), () -> text(report));
    return 0;
  }

  private static Map<String, Object> document(EvaluationReport report) {
    EvaluationReport.Outcome o = report.outcome();
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("model", o.model());
    document.put("version", o.version());
    document.put("imagesTopic", o.imagesTopic());
    document.put("outputTopic", o.outputTopic());
    document.put(
        "ranges",
        o.ranges().stream()
            .map(r -> Map.of("partition", r.partition(), "start", r.start(), "end", r.end()))
            .toList());
    document.put("records", o.records());
    document.put("predicted", o.predicted());
    document.put("labelled", o.labelled());
    document.put("correct", o.correct());
    document.put("accuracy", o.accuracy());
    document.put("deadLetters", o.deadLetters());
    document.put("elapsedMillis", report.elapsedMillis());
    document.put("imagesPerSecond", report.imagesPerSecond());
    return document;
  }

  private static String text(EvaluationReport report) {
    EvaluationReport.Outcome o = report.outcome();
    String n = System.lineSeparator();
    String ranges =
        o.ranges().stream()
            .map(r -> "partition " + r.partition() + " [" + r.start() + ", " + r.end() + ")")
            .collect(Collectors.joining(", "));
    String accuracy =
        o.accuracy() == null
            ? "no image carried a label: no accuracy"
            : String.format(
                Locale.ROOT,
                "accuracy %.2f %% (%d of %d labelled images)",
                100 * o.accuracy(),
                o.correct(),
                o.labelled());
    return String.format(
            Locale.ROOT,
            "%s v%s over %s of %s: %d records, %d classified, %d dead-lettered%s",
            o.model(),
            o.version(),
            ranges,
            o.imagesTopic(),
            o.records(),
            o.predicted(),
            o.deadLettered(),
            o.deadLetters().isEmpty() ? "" : " " + o.deadLetters())
        + n
        + accuracy
        + n
        + String.format(
            Locale.ROOT,
            "predictions on %s; %.1f s, %.0f images/s%n",
            o.outputTopic(),
            report.elapsedMillis() / 1000.0,
            report.imagesPerSecond());
  }
}
