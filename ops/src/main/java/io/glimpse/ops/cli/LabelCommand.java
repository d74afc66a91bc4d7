package io.glimpse.ops.cli;

import io.glimpse.ops.cli.connection.ConnectionSettings;
import io.glimpse.ops.cli.connection.KafkaOptions;
import io.glimpse.ops.publish.LabelPublisher;
import io.glimpse.schemas.avro.ImageLabel;
import io.glimpse.schemas.topic.Topics;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code glimpse label}: publishes true labels learnt after the images were classified, which the
 * pipeline joins with every version's predictions into online accuracy.
 */
@Command(
    name = "label",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Publish the true labels of images already published (a reviewer's verdict, a return),"
          + " keyed by image id to the labels topic. The pipeline joins each with the predictions"
          + " of every version within its join window and reports accuracy per version"
          + " (glimpse models status, /metrics).",
      "",
      "Examples:",
      "  glimpse label 1f0c9a=Sneaker 77b2e4=Bag --source reviewer:alice",
      "  glimpse label --file verdicts.csv          # lines: <image id>,<label>[,<ISO-8601 time>]"
    })
public final class LabelCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;
  @Mixin private KafkaOptions connection;

  @Parameters(
      arity = "0..*",
      paramLabel = "<id>=<label>",
      description = "An image id and its true label.")
  private List<String> pairs = new ArrayList<>();

  @Option(
      names = "--file",
      paramLabel = "<csv>",
      description = "Labels to publish, one per line: <image id>,<label>[,<ISO-8601 time>].")
  private Path file;

  @Option(
      names = "--source",
      paramLabel = "<who>",
      defaultValue = "glimpse-label",
      description = "Who gave the labels (default: ${DEFAULT-VALUE}).")
  private String source;

  @Option(
      names = "--time",
      paramLabel = "<ISO-8601>",
      description =
          "When the labels were given, e.g. 2026-12-06T10:15:00Z (default: now); a file's third"
              + " column wins.")
  private String time;

  @Option(
      names = "--topic",
      paramLabel = "<topic>",
      description = "The labels topic (default: ${DEFAULT-VALUE}).")
  private String topic = Topics.LABELS.name();

  @Override
  public Integer call() throws IOException {
    Instant defaultTime = time == null ? Instant.now() : instant(time, "--time");
    List<ImageLabel> labels = new ArrayList<>();
    for (String pair : pairs) {
      int eq = pair.indexOf('=');
      if (eq <= 0 || eq == pair.length() - 1) {
        throw new ParameterException(
            spec.commandLine(), "Expected <image id>=<label>, got '" + pair + "'");
      }
      labels.add(label(pair.substring(0, eq), pair.substring(eq + 1), defaultTime));
    }
    if (file != null) {
      labels.addAll(readFile(defaultTime));
    }
    if (labels.isEmpty()) {
      throw new ParameterException(
          spec.commandLine(), "Nothing to publish: give <id>=<label> pairs or --file");
    }
    ConnectionSettings settings = connection.settings();
    try (LabelPublisher publisher =
        new LabelPublisher(
            settings.clientConfig(), settings.serdeConfig(), topic, Duration.ofSeconds(30))) {
      labels.forEach(publisher::send);
      publisher.flush();
    }
    PrintWriter out = spec.commandLine().getOut();
    out.printf("Published %d label(s) to %s.%n", labels.size(), topic);
    out.flush();
    return 0;
  }

  private List<ImageLabel> readFile(Instant defaultTime) throws IOException {
    List<ImageLabel> labels = new ArrayList<>();
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    for (int n = 0; n < lines.size(); n++) {
      String line = lines.get(n).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] cells = line.split(",", -1);
      if (cells.length < 2 || cells.length > 3 || cells[0].isBlank() || cells[1].isBlank()) {
        throw new ParameterException(
            spec.commandLine(),
            file + " line " + (n + 1) + ": expected <image id>,<label>[,<ISO-8601 time>]");
      }
      Instant at =
          cells.length == 3 ? instant(cells[2].strip(), file + " line " + (n + 1)) : defaultTime;
      labels.add(label(cells[0].strip(), cells[1].strip(), at));
    }
    return labels;
  }

  private ImageLabel label(String id, String label, Instant at) {
    return ImageLabel.newBuilder()
        .setImageId(id)
        .setLabel(label)
        .setSource(source)
        .setLabelTime(at)
        .build();
  }

  private Instant instant(String text, String where) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new ParameterException(
          spec.commandLine(),
          where + ": '" + text + "' is not an ISO-8601 instant such as 2026-12-06T10:15:00Z");
    }
  }
}
