package io.glimpse.ops.cli;

import io.glimpse.lifecycle.PromotionGate;
import io.glimpse.model.store.ModelStoreException;
import io.glimpse.ops.cli.models.ConnectionOptions;
import io.glimpse.ops.retrain.RetrainLoop;
import io.glimpse.ops.retrain.RetrainRound;
import io.glimpse.ops.retrain.RetrainSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code glimpse retrain <model>}: continuous retraining ({@link RetrainLoop}), one line per round.
 */
@Command(
    name = "retrain",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Retrain a model continuously: every --every new labelled images on the images topic (or"
          + " sooner on a drift alert), fine-tune the serving version on them, evaluate the"
          + " candidate on the newest --holdout share it never trained on, compare it with the"
          + " serving version there, and promote it only if the gate (promote --if-better) lets"
          + " it through. A pinned deployment is never replaced. Every decision, with its reason,"
          + " goes to model-comparisons.",
      "",
      "Examples:",
      "  glimpse retrain fashion --every 5000",
      "  glimpse retrain fashion --every 2000 --from earliest --rounds 1 --store file:///var/glimpse/models"
    })
public final class RetrainCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;
  @Mixin private ConnectionOptions connection;

  @Parameters(index = "0", paramLabel = "<model>", description = "The model to retrain.")
  private String model;

  @Option(
      names = "--every",
      paramLabel = "<n>",
      defaultValue = "5000",
      description = "New labelled images per round (default: ${DEFAULT-VALUE}).")
  private long every;

  @Option(
      names = "--on-drift",
      paramLabel = "<n>",
      description =
          "After a drift alert of the model, start a round once this many new labelled images"
              + " are in (default: every / 5).")
  private Long onDrift;

  @Option(
      names = "--holdout",
      paramLabel = "<share>",
      defaultValue = "0.2",
      description =
          "The newest share of each round's images, per partition, held out to judge the"
              + " candidate (default: ${DEFAULT-VALUE}).")
  private double holdout;

  @Option(
      names = "--epochs",
      paramLabel = "<n>",
      defaultValue = "2",
      description = "Fine-tuning epochs (default: ${DEFAULT-VALUE}).")
  private int epochs;

  @Option(
      names = "--batch-size",
      paramLabel = "<n>",
      defaultValue = "64",
      description = "Training batch size (default: ${DEFAULT-VALUE}).")
  private int batchSize;

  @Option(
      names = "--lr",
      paramLabel = "<rate>",
      defaultValue = "0.01",
      description = "Fine-tuning learning rate (default: ${DEFAULT-VALUE}).")
  private float learningRate;

  @Option(
      names = "--threads",
      paramLabel = "<n>",
      defaultValue = "1",
      description =
          "libtorch threads for training, so that a pipeline on the same machine keeps its cores"
              + " (default: ${DEFAULT-VALUE}).")
  private int threads;

  @Option(
      names = "--min-images",
      paramLabel = "<n>",
      defaultValue = "500",
      description =
          "Held-out images the gate needs both versions to have classified (default:"
              + " ${DEFAULT-VALUE}).")
  private int minImages;

  @Option(
      names = "--from",
      paramLabel = "<offset|earliest|latest>",
      defaultValue = "latest",
      description =
          "Where to start counting in each partition of the images topic (default:"
              + " ${DEFAULT-VALUE}: only images published from now on).")
  private String from;

  @Option(
      names = "--rounds",
      paramLabel = "<n>",
      defaultValue = "0",
      description =
          "Stop after this many rounds; 0 runs until stopped (default: ${DEFAULT-VALUE}).")
  private int rounds;

  @Option(
      names = "--images-topic",
      paramLabel = "<topic>",
      defaultValue = "images",
      description = "The images topic (default: ${DEFAULT-VALUE}).")
  private String imagesTopic;

  @Option(
      names = "--labels-topic",
      paramLabel = "<topic>",
      defaultValue = "labels",
      description =
          "True labels published later (glimpse label): each counts as a labelled image, and"
              + " they label the training images, the first per image winning over the event's own"
              + " (default: ${DEFAULT-VALUE}; empty: the events' own labels only).")
  private String labelsTopic;

  @Option(
      names = "--work-dir",
      paramLabel = "<dir>",
      defaultValue = "runs/retrain",
      description = "Where training runs write (default: ${DEFAULT-VALUE}).")
  private Path workDir;

  @Override
  public Integer call() throws IOException, ModelStoreException {
    // Before anything starts libtorch: training shares the machine with the pipeline.
    if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
      System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(Math.max(1, threads)));
    }
    RetrainSettings settings;
    try {
      RetrainSettings.Builder builder =
          RetrainSettings.builder()
              .setModel(model)
              .setKafka(connection.kafka())
              .setStore(connection.modelStore())
              .setWorkDirectory(workDir)
              .optImagesTopic(imagesTopic)
              .optLabelsTopic(labelsTopic.isBlank() ? null : labelsTopic)
              .optEvery(every)
              .optHoldoutFraction(holdout)
              .optEpochs(epochs)
              .optBatchSize(batchSize)
              .optLearningRate(learningRate)
              .optGate(new PromotionGate(minImages, PromotionGate.DEFAULT_MIN_AGREEMENT))
              .optMaxRounds(rounds);
      if (onDrift != null) {
        builder.optMinOnDrift(onDrift);
      }
      settings = builder.build();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    long start = startOffset();
    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        "Retraining %s every %d labelled images on %s (holding out %.0f %%); Ctrl-C stops.%n",
        model, every, imagesTopic, 100 * holdout);
    out.flush();
    try (RetrainLoop loop =
        new RetrainLoop(
            settings,
            start,
            new RetrainLoop.Listener() {
              @Override
              public void onRound(RetrainRound round) {
                out.println(round.summary());
                out.flush();
              }

              @Override
              public void onSkipped(String why) {
                out.println("round skipped: " + why);
                out.flush();
              }
            })) {
      Runtime.getRuntime().addShutdownHook(new Thread(loop::stop, "glimpse-retrain-stop"));
      loop.run();
    }
    return 0;
  }

  /** --from as an offset for every partition; -1 for each partition's end. */
  private long startOffset() {
    if (from.equals("latest")) {
      return -1;
    }
    if (from.equals("earliest")) {
      return 0;
    }
    try {
      return Long.parseLong(from);
    } catch (NumberFormatException e) {
      throw new ParameterException(
          spec.commandLine(), "--from takes an offset, earliest or latest, not " + from);
    }
  }
}
