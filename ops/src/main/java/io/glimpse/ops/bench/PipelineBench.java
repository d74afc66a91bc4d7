package io.glimpse.ops.bench;

import io.glimpse.model.artifact.ModelArtifactException;
import io.glimpse.model.artifact.ModelManifest;
import io.glimpse.model.image.ImageRejectedException;
import io.glimpse.model.inference.InferenceException;
import io.glimpse.model.mobilenet.UntrainedModels;
import io.glimpse.ops.embedded.EmbeddedStack;
import io.glimpse.schemas.avro.ImageEvent;
import io.glimpse.schemas.topic.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code glimpse bench pipeline}: in one run, on one machine, with one model and one set of encoded
 * images, after unreported warm-up passes (raw, then whole batched pipeline runs), measures raw
 * throughput twice, right before and right after the batched pipeline (averaged), the pipeline's
 * throughput at batch size B and at batch size 1, the same job done by a Python peer ({@link
 * PythonPeer}), and the pipeline's latency at a fraction of the measured throughput. Everything but
 * the peer's Python process runs in this JVM on an embedded stack in a temporary directory, removed
 * at the end.
 */
public final class PipelineBench {
  private static final Logger LOG = LoggerFactory.getLogger(PipelineBench.class);

  private PipelineBench() {}

  /**
   * Runs the benchmark.
   *
   * @throws ModelArtifactException when the untrained model cannot be written or served
   * @throws InferenceException when the model fails on a batch of the raw phase
   * @throws ImageRejectedException when a generated image does not decode
   * @throws IllegalStateException when {@code --peer} asks for the Python peer and Python cannot
   *     run it
   * @throws InterruptedException when interrupted
   */
  public static BenchReport run(BenchSettings settings)
      throws ModelArtifactException,
          InferenceException,
          ImageRejectedException,
          InterruptedException {
    long started = System.nanoTime();
    Optional<String> skipPeer = PythonPeer.skipReason(settings); // fails fast on --peer
    try (Workspace workspace = Workspace.create();
        EmbeddedStack stack =
            EmbeddedStack.builder().optDataDir(workspace.resolve("stack")).build().start()) {
      BenchContext context = prepare(settings, workspace, stack);
      List<RawThroughput.Pass> raw = new ArrayList<>();
      PipelineThroughput.Result batched;
      Duration timeout;
      try (RawThroughput rawModel =
          RawThroughput.load(context.model(), context.clientConfig(), settings.batchSize())) {
        // Unreported first passes, so every measured phase runs in a warmed-up JVM: one raw pass
        // (it also sizes the timeouts), then whole pipeline runs for the JIT to compile the Kafka,
        // Streams and Avro paths (a third of the CPU went to it in a cold batched phase).
        timeout = timeout(settings, rawModel.measure(context.images().values()).imagesPerSecond());
        for (int run = 1; run <= settings.warmUpRuns(); run++) {
          PipelineThroughput.measure(
              context, "bench-warm-up-" + run, settings.batchSize(), timeout);
        }
        raw.add(rawModel.measure(context.images().values()));
        batched =
            PipelineThroughput.measure(context, "bench-batched", settings.batchSize(), timeout);
        raw.add(rawModel.measure(context.images().values()));
      }
      BadInputPhase badInput = BadInputPhase.run(context, timeout);
      PipelineThroughput.Result unbatched =
          PipelineThroughput.measure(context, "bench-unbatched", 1, timeout);
      PythonPeer peer =
          skipPeer.isPresent()
              ? PythonPeer.skipped(skipPeer.get())
              : PythonPeer.run(context, timeout);
      List<LatencyProbe.Result> latencies =
          LatencyProbe.measureAll(context, batched.imagesPerSecond());
      return BenchReport.of(
          settings,
          context.images(),
          raw,
          batched,
          unbatched,
          badInput,
          peer,
          latencies,
          (System.nanoTime() - started) / 1e9);
    }
  }

  private static BenchContext prepare(
      BenchSettings settings, Workspace workspace, EmbeddedStack stack)
      throws ModelArtifactException {
    Path model = workspace.resolve("model");
    ModelManifest manifest =
        UntrainedModels.write(
            model,
            "bench",
            "1",
            settings.widthMultiplier(),
            settings.inputShape(),
            UntrainedModels.numberedLabels(settings.classes()),
            7);
    long generating = System.nanoTime();
    BenchImages images;
    try (Serializer<ImageEvent> serializer =
        Topics.IMAGES.valueSerde(stack.clientConfig()).serializer()) {
      images =
          BenchImages.generate(
              settings.images(),
              settings.imageWidth(),
              settings.imageHeight(),
              settings.channels(),
              settings.format(),
              settings.content(),
              serializer);
    }
    LOG.info(
        "Benchmarking {} (untrained) at batch size {} on {} {} {} images of {}px, {} bytes each on"
            + " average (made in {} ms)",
        settings.modelDescription(),
        settings.batchSize(),
        images.count(),
        settings.content().label(),
        settings.format().label(),
        settings.imageSizeDescription(),
        Math.round(images.meanValueBytes()),
        (System.nanoTime() - generating) / 1_000_000);
    return new BenchContext(settings, stack, workspace, model, manifest, images);
  }

  /** A phase may take 60 s plus 30 times what the raw rate needs for M images (batch size 1). */
  private static Duration timeout(BenchSettings settings, double rawPerSecond) {
    return Duration.ofSeconds(60 + (long) Math.ceil(30.0 * settings.images() / rawPerSecond));
  }
}
