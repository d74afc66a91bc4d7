package io.glimpse.ops.cli;

import io.glimpse.lifecycle.LabelCheck;
import io.glimpse.lifecycle.ModelCatalog;
import io.glimpse.lifecycle.PublishException;
import io.glimpse.ops.cli.connection.ConnectionSettings;
import io.glimpse.ops.cli.connection.KafkaOptions;
import io.glimpse.ops.publish.DatasetImageSource;
import io.glimpse.ops.publish.EventPublisher;
import io.glimpse.ops.publish.FileImageSource;
import io.glimpse.ops.publish.ImageFileReader;
import io.glimpse.ops.publish.ImageFiles;
import io.glimpse.ops.publish.ImageSource;
import io.glimpse.ops.publish.PublishDatasets;
import io.glimpse.ops.publish.RawLayout;
import io.glimpse.ops.publish.UnreadableImageException;
import io.glimpse.schemas.avro.ImageEvent;
import io.glimpse.trainer.data.DatasetException;
import io.glimpse.trainer.data.DatasetKind;
import io.glimpse.trainer.data.ImageDataset;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code glimpse publish}: sends image files, or a data set's test images, to the images topic as
 * {@code ImageEvent}s. Each file is checked as the pipeline will check it; one that cannot be
 * published is reported in one line and the rest go on. Exit code 0 when everything was published,
 * 1 when something was not, 2 for a usage error.
 */
@Command(
    name = "publish",
    mixinStandardHelpOptions = true,
    description = {
      "Publish JPEG, PNG or raw-pixel images to the images topic, from files, directories and"
          + " globs, or a data set's test images with --dataset.",
      "Each file that cannot be published is reported on stderr and the rest go on; the exit code"
          + " is 0 when all were published, 1 when some were not, 2 for a usage error."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  glimpse publish photos/cat.jpg photos/dog.png",
      "  glimpse publish photos/ --label-from-dir --rate 20     # photos/<label>/<image>",
      "  glimpse publish 'shots/**.jpg' --limit 100             # a quoted glob",
      "  glimpse publish --dataset fashion-mnist --limit 500 --rate 50",
      "  glimpse publish --dataset cifar10 --data-dir ~/cifar-10-batches-bin",
      "  glimpse publish frames/ --raw-layout 64x64x3           # .raw files of raw pixels",
      "  glimpse publish img/ --bootstrap-servers kafka:9092 --schema-registry-url http://registry:8081"
    })
public final class PublishCommand implements Callable<Integer> {
  private static final String SOURCE = "glimpse-publish";

  @Spec private CommandSpec spec;
  @Mixin private KafkaOptions connection;

  @Parameters(
      arity = "0..*",
      paramLabel = "<file|dir|glob>",
      description =
          "Image files; directories (searched recursively for .jpg, .jpeg, .png, and .raw with"
              + " --raw-layout); quoted globs such as 'photos/**.jpg'.")
  private List<String> paths = new ArrayList<>();

  @Option(
      names = "--dataset",
      paramLabel = "<name>",
      description =
          "Publish a data set's test images with their labels: fashion-mnist (Debian's"
              + " dataset-fashion-mnist, or --data-dir), cifar10 (--data-dir with the binary"
              + " version), folder (--data-dir with one subdirectory per label) or synthetic"
              + " (generated shapes, 1x32x32).")
  private String dataset;

  @Option(names = "--data-dir", paramLabel = "<dir>", description = "Where --dataset's files are.")
  private Path dataDir;

  @Option(
      names = "--rate",
      paramLabel = "<images/s>",
      defaultValue = "0",
      description = "Images a second; 0 = as fast as Kafka takes them (default: ${DEFAULT-VALUE}).")
  private double rate;

  @Option(
      names = "--limit",
      paramLabel = "<n>",
      defaultValue = "0",
      description = "Publish at most this many images; 0 = all (default: ${DEFAULT-VALUE}).")
  private int limit;

  @Option(
      names = "--label-from-dir",
      description =
          "Give each image its directory's name as the ground-truth label (photos/cat/1.jpg: cat),"
              + " so predictions can be checked against it.")
  private boolean labelFromDir;

  @Option(
      names = "--raw-layout",
      paramLabel = "<WxHxC>",
      description =
          "Files that are neither JPEG nor PNG hold raw 8-bit pixels of this layout, e.g. 28x28x1"
              + " (width x height x channels, interleaved).")
  private String rawLayout;

  @Option(
      names = "--max-bytes",
      paramLabel = "<bytes>",
      defaultValue = "" + ImageFileReader.DEFAULT_MAX_BYTES,
      description =
          "Refuse larger files: the pipeline dead-letters images over glimpse.image.max.bytes"
              + " (default: ${DEFAULT-VALUE}).")
  private long maxBytes;

  @Option(
      names = "--topic",
      paramLabel = "<topic>",
      defaultValue = "images",
      description = "The topic to publish to (default: ${DEFAULT-VALUE}).")
  private String topic;

  @Option(
      names = "--source",
      paramLabel = "<text>",
      defaultValue = SOURCE,
      description = "The events' source field (default: ${DEFAULT-VALUE}).")
  private String source;

  @Option(
      names = "--timeout",
      paramLabel = "<seconds>",
      defaultValue = "15",
      description =
          "Give up when Kafka or the registry does not answer for this long (default:"
              + " ${DEFAULT-VALUE}).")
  private int timeoutSeconds;

  @Option(
      names = "--progress",
      negatable = true,
      description = "Draw a progress bar on stderr (default: only when stderr is a terminal).")
  private Boolean progress;

  private PrintWriter err;
  private ProgressBar bar;
  private long failed;
  private long firstSend = -1;

  @Override
  public Integer call() throws IOException, DatasetException {
    checkUsage();
    PrintWriter out = spec.commandLine().getOut();
    err = spec.commandLine().getErr();
    ConnectionSettings settings = connection.settings();
    ImageSource images = images();
    if (images instanceof DatasetImageSource data) {
      warnIfMeantForAnotherModel(data, settings);
    }
    long published;
    try (EventPublisher publisher =
        new EventPublisher(
            settings.clientConfig(),
            settings.serdeConfig(),
            topic,
            rate,
            Duration.ofSeconds(timeoutSeconds))) {
      bar = new ProgressBar(err, ProgressBar.wanted(progress), images.count());
      images.problems().forEach(this::report);
      publishAll(images, publisher);
      publisher.flush();
      publisher.takeFailures().forEach(this::report);
      bar.finish();
      published = publisher.acknowledged();
    } catch (ConfigException e) {
      throw e;
    } catch (KafkaException e) {
      throw new IllegalStateException(
          "cannot publish to "
              + topic
              + " (Kafka at "
              + settings.bootstrapServers()
              + ", schema registry at "
              + settings.schemaRegistryUrl()
              + "): "
              + e.getMessage()
              + ". Is it running there? bin/glimpse up starts both on this machine.",
          e);
    }
    double seconds = firstSend < 0 ? 0 : (System.nanoTime() - firstSend) / 1e9;
    out.printf(
        Locale.ROOT,
        "Published %d image%s to %s%s%s%n",
        published,
        published == 1 ? "" : "s",
        topic,
        published == 0 ? "" : String.format(Locale.ROOT, " in %.1f s", seconds),
        (published > 1 && seconds > 0
                ? String.format(Locale.ROOT, " (%.1f images/s)", published / seconds)
                : "")
            + (failed == 0 ? "." : "; " + failed + " could not be published (see above)."));
    out.flush();
    return failed == 0 && published > 0 ? 0 : FailureReporter.FAILURE;
  }

  private void publishAll(ImageSource images, EventPublisher publisher) {
    for (int i = 0; i < images.count(); i++) {
      try {
        ImageEvent event = images.event(i);
        if (firstSend < 0) {
          firstSend = System.nanoTime();
        }
        publisher.send(event);
      } catch (UnreadableImageException e) {
        report(e.getMessage());
      }
      publisher.takeFailures().forEach(this::report);
      bar.update(i + 1, failed);
    }
  }

  /**
   * Warns, before anything is sent, when no deployed model knows the data set's labels. A check
   * that cannot read the deployments says nothing: the publish itself reports an unreachable Kafka.
   */
  private void warnIfMeantForAnotherModel(DatasetImageSource images, ConnectionSettings settings) {
    try {
      LabelCheck.unknownToDeployedModels(
              new ModelCatalog(settings.kafka(Duration.ofSeconds(timeoutSeconds))),
              images.name(),
              images.data().classes())
          .ifPresent(warning -> err.println("glimpse publish: warning: " + warning));
      err.flush();
    } catch (PublishException e) {
      // Said by the publish itself, with what to do, if Kafka or the registry is unreachable.
    }
  }

  private void report(String problem) {
    failed++;
    bar.message("glimpse publish: " + problem);
  }

  private void checkUsage() {
    boolean files = !paths.isEmpty();
    if (files == (dataset != null)) {
      throw usage(
          files
              ? "give files, directories or globs, or --dataset, not both"
              : "nothing to publish: give image files, directories or globs, or --dataset");
    }
    if (dataDir != null && dataset == null) {
      throw usage("--data-dir goes with --dataset; give the directory itself as an argument");
    }
    if (rate < 0 || limit < 0 || maxBytes < 1 || timeoutSeconds < 1) {
      throw usage("--rate and --limit must be 0 or more, --max-bytes and --timeout at least 1");
    }
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  private ImageSource images() throws DatasetException {
    RawLayout layout = null;
    if (rawLayout != null) {
      try {
        layout = RawLayout.parse(rawLayout);
      } catch (IllegalArgumentException e) {
        throw usage("--raw-layout: " + e.getMessage());
      }
    }
    if (dataset == null) {
      return fileImages(paths, labelFromDir, layout);
    }
    DatasetKind kind;
    try {
      kind = DatasetKind.fromCliName(dataset);
    } catch (IllegalArgumentException e) {
      throw usage("--dataset: " + e.getMessage());
    }
    if (kind == DatasetKind.FOLDER) {
      if (dataDir == null) {
        throw usage("--dataset folder needs --data-dir <root>, with root/<label>/<image>");
      }
      return fileImages(List.of(dataDir.toString()), true, layout);
    }
    ImageDataset data = PublishDatasets.load(kind, dataDir, limit);
    return new DatasetImageSource(data, kind.cliName(), limit, source);
  }

  private ImageSource fileImages(List<String> arguments, boolean labelled, RawLayout layout) {
    ImageFileReader reader = new ImageFileReader(maxBytes, layout);
    ImageFiles found = ImageFiles.expand(arguments, reader.acceptsRaw());
    List<Path> files = found.files();
    if (limit > 0 && files.size() > limit) {
      files = files.subList(0, limit);
    }
    return new FileImageSource(files, found.problems(), reader, labelled, source);
  }
}
