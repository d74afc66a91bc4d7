package io.glimpse.ops.bench;

import io.glimpse.model.artifact.ModelArtifactException;
import io.glimpse.model.image.ImageDecoder;
import io.glimpse.model.image.ImageRejectedException;
import io.glimpse.model.inference.InferenceException;
import io.glimpse.pipeline.batch.BatchOutcome;
import io.glimpse.pipeline.batch.PendingRecord;
import io.glimpse.pipeline.dlq.DeadLetterReason;
import io.glimpse.pipeline.inference.ImageBatchHandler;
import io.glimpse.pipeline.inference.PredictionEncoder;
import io.glimpse.pipeline.metrics.PipelineMetrics;
import io.glimpse.pipeline.serving.ModelSlot;
import io.glimpse.pipeline.serving.ServingModel;
import io.glimpse.schemas.avro.ImageEvent;
import io.glimpse.schemas.topic.Topics;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model's throughput without Kafka: the pipeline's own {@link ImageBatchHandler} (ImageEvent
 * deserialization, decoding, preprocessing, one forward pass per batch, the predictions) on
 * serialized events held in memory, on one thread. Because it calls the pipeline's handler, "the
 * same work without Kafka" holds by construction; the forward passes' time is read from the
 * handler's own {@link PipelineMetrics}.
 */
final class RawThroughput implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RawThroughput.class);
  private static final int WARM_UP_BATCHES = 3;
  private static final long FIRST_WARM_UP_NANOS = 2_000_000_000L;

  private final ModelSlot model;
  private final Deserializer<ImageEvent> deserializer;
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final Timer inference;
  private final ImageBatchHandler handler;
  private final int batchSize;
  private final ExecutorService thread =
      Executors.newSingleThreadExecutor(r -> new Thread(r, "glimpse-bench-raw"));
  private boolean warm;

  /**
   * One pass over the images.
   *
   * @param imagesPerSecond throughput
   * @param inferenceMillisPerImage the forward passes' wall-clock time per image
   * @param cpuMillisPerImage the whole process's CPU time per image (all threads)
   */
  record Pass(double imagesPerSecond, double inferenceMillisPerImage, double cpuMillisPerImage) {}

  private RawThroughput(
      ServingModel model,
      Deserializer<ImageEvent> deserializer,
      PredictionEncoder encoder,
      int batchSize) {
    this.model = ModelSlot.serving(model);
    this.deserializer = deserializer;
    PipelineMetrics metrics = new PipelineMetrics(meters);
    this.inference = meters.get("glimpse.inference.latency").timer();
    this.handler =
        new ImageBatchHandler(
            this.model, deserializer, encoder, ImageDecoder.builder().build(), 1, metrics);
    this.batchSize = batchSize;
  }

  /**
   * Loads the artifact the way the pipeline does (verified, warmed up, device {@code auto}).
   *
   * @param serdeConfig the registry settings for the ImageEvent deserializer
   */
  static RawThroughput load(Path artifact, Map<String, ?> serdeConfig, int batchSize)
      throws ModelArtifactException {
    ServingModel model = ServingModel.load(artifact, Optional.empty(), "auto");
    return new RawThroughput(
        model,
        Topics.IMAGES.valueSerde(serdeConfig).deserializer(),
        new PredictionEncoder(
            Topics.PREDICTIONS.valueSerde(serdeConfig).serializer(), Topics.PREDICTIONS.name()),
        batchSize);
  }

  /**
   * Classifies every image once after a short warm-up and returns the rate. It runs on this
   * object's own thread, as the pipeline runs on a stream thread: libtorch's OpenMP team on the
   * JVM's main thread was measured 10-40x slower here (its workers spin-wait and lose the CPU).
   *
   * @throws InferenceException when the model fails on an image
   * @throws ImageRejectedException when an image does not decode
   */
  Pass measure(List<byte[]> values)
      throws InferenceException, ImageRejectedException, InterruptedException {
    List<List<PendingRecord>> batches = batches(values);
    try {
      return thread.submit(() -> measureHere(batches, values.size())).get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof InferenceException inference) {
        throw inference;
      }
      if (e.getCause() instanceof ImageRejectedException rejected) {
        throw rejected;
      }
      throw new IllegalStateException("The raw benchmark failed: " + e.getCause(), e.getCause());
    }
  }

  /** The values as the batch buffer would hand them over, built before the clock starts. */
  private List<List<PendingRecord>> batches(List<byte[]> values) {
    List<List<PendingRecord>> batches = new ArrayList<>();
    long now = System.currentTimeMillis();
    for (int from = 0; from < values.size(); from += batchSize) {
      List<PendingRecord> batch = new ArrayList<>(batchSize);
      for (int i = from; i < Math.min(from + batchSize, values.size()); i++) {
        batch.add(
            new PendingRecord(
                Topics.IMAGES.name(), 0, i, now, now, null, values.get(i), new RecordHeaders()));
      }
      batches.add(batch);
    }
    return batches;
  }

  private Pass measureHere(List<List<PendingRecord>> batches, int images)
      throws InferenceException, ImageRejectedException {
    warmUp(batches);
    double inferenceStart = inference.totalTime(TimeUnit.NANOSECONDS);
    double cpuStart = ThreadCpu.processSeconds();
    long start = System.nanoTime();
    for (List<PendingRecord> batch : batches) {
      classify(batch);
    }
    long elapsed = System.nanoTime() - start;
    double cpuSeconds = ThreadCpu.processSeconds() - cpuStart;
    double inferenceNanos = inference.totalTime(TimeUnit.NANOSECONDS) - inferenceStart;
    Pass pass =
        new Pass(images * 1e9 / elapsed, inferenceNanos / 1e6 / images, cpuSeconds * 1e3 / images);
    LOG.info(
        "Raw: {} images at batch size {} in {} ms: {} images/s",
        images,
        batchSize,
        elapsed / 1_000_000,
        Math.round(pass.imagesPerSecond()));
    return pass;
  }

  /**
   * A few batches before every pass; before the first, at least two seconds' worth, so the JIT has
   * compiled the decoding and preprocessing loops as it has by the time the pipeline runs.
   */
  private void warmUp(List<List<PendingRecord>> batches)
      throws InferenceException, ImageRejectedException {
    long until = System.nanoTime() + (warm ? 0 : FIRST_WARM_UP_NANOS);
    for (int i = 0; i < WARM_UP_BATCHES || System.nanoTime() < until; i++) {
      classify(batches.get(i % batches.size()));
    }
    warm = true;
  }

  /** One batch through the pipeline's handler; the bench's own images must all classify. */
  private void classify(List<PendingRecord> batch)
      throws InferenceException, ImageRejectedException {
    for (BatchOutcome outcome : handler.handle(batch, System.currentTimeMillis())) {
      if (outcome instanceof BatchOutcome.Rejected rejected) {
        String problem =
            "Benchmark image at offset "
                + rejected.source().offset()
                + " was rejected ("
                + rejected.deadLetter().reason()
                + "): "
                + rejected.deadLetter().message();
        if (rejected.deadLetter().reason() == DeadLetterReason.INFERENCE_FAILED) {
          throw new InferenceException(problem, null);
        }
        throw new ImageRejectedException(ImageRejectedException.Reason.UNDECODABLE, problem);
      }
    }
  }

  @Override
  public void close() {
    thread.shutdown();
    model.close();
    deserializer.close();
    meters.close();
  }
}
