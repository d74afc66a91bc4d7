package io.glimpse.ops.cli.models;

import io.glimpse.lifecycle.CompactedTopicReader;
import io.glimpse.lifecycle.KafkaConnection;
import io.glimpse.lifecycle.ModelCatalog;
import io.glimpse.lifecycle.OnlineAccuracy;
import io.glimpse.lifecycle.PublishException;
import io.glimpse.lifecycle.VersionPublisher;
import io.glimpse.ops.evaluation.EvaluationException;
import io.glimpse.ops.evaluation.PredictionComparison;
import io.glimpse.schemas.avro.ModelComparison;
import io.glimpse.schemas.avro.ModelDeployment;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code glimpse models compare <name> <candidate>}: see {@link PredictionComparison}. */
@Command(
    name = "compare",
    mixinStandardHelpOptions = true,
    description = {
      "Join a candidate's predictions (shadow, evaluation) with another version's by image id and"
          + " report agreement, accuracy where images carry labels, the classes that flip,"
          + " latency and dead letters; the report is recorded on model-comparisons, where"
          + " promote --if-better reads it.",
      "Reads predictions, predictions.shadow and predictions.eval to their current ends."
    })
final class CompareCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;
  @Mixin private ConnectionOptions connection;

  @Parameters(index = "0", paramLabel = "<name>", description = "The model name.")
  private String name;

  @Parameters(index = "1", paramLabel = "<candidate>", description = "The candidate version.")
  private String candidate;

  @Option(
      names = "--against",
      paramLabel = "<version>",
      description = "The version to compare with (default: the one deployed now).")
  private String against;

  @Option(names = "--json", description = "Print one JSON object instead of text.")
  private boolean json;

  @Override
  public Integer call() throws IOException, PublishException, EvaluationException {
    KafkaConnection kafka = connection.kafka();
    String baseline = against != null ? against : deployed(kafka);
    if (baseline.equals(candidate)) {
      throw new EvaluationException(
          "v" + candidate + " is the version to compare with; name another (--against)", null);
    }
    ModelComparison comparison =
        new PredictionComparison(new CompactedTopicReader(kafka))
            .compare(name, candidate, baseline);
    if (comparison.getImagesCompared() == 0) {
      throw new EvaluationException(
          String.format(
              "no image was classified by both %s v%s and v%s, nothing recorded; run v%s over"
                  + " images v%s classified (glimpse models shadow, or glimpse models evaluate"
                  + " over a range the serving pipeline saw)",
              name, candidate, baseline, candidate, baseline),
          null);
    }
    VersionPublisher.of(kafka).recordComparison(comparison);
    Map<String, OnlineAccuracy> online = new ModelCatalog(kafka).onlineAccuracy(name);
    List<OnlineAccuracy> pair =
        Stream.of(candidate, baseline).map(online::get).filter(Objects::nonNull).toList();
    Printer.print(
        spec,
        json,
        () -> {
          Map<String, Object> document = ComparisonView.json(comparison);
          document.put("onlineAccuracy", pair.stream().map(OnlineAccuracyView::json).toList());
          return document;
        },
        () -> ComparisonView.text(comparison) + onlineText(pair));
    return 0;
  }

  private static String onlineText(List<OnlineAccuracy> pair) {
    if (pair.isEmpty()) {
      return "";
    }
    return "Online accuracy (late labels): "
        + String.join("; ", pair.stream().map(OnlineAccuracyView::line).toList())
        + System.lineSeparator();
  }

  private String deployed(KafkaConnection kafka) throws PublishException, EvaluationException {
    return new ModelCatalog(kafka)
        .deployment(name)
        .map(ModelDeployment::getVersion)
        .orElseThrow(
            () ->
                new EvaluationException(
                    "nothing of "
                        + name
                        + " is deployed; name the version to compare with"
                        + " (--against)",
                    null));
  }
}
