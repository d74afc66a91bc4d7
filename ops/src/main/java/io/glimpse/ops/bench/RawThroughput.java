package io.glimpse.ops.bench;

import io.glimpse.model.artifact.LoadedModel;
import io.glimpse.model.artifact.ModelArtifactException;
import io.glimpse.model.artifact.ModelArtifactLoader;
import io.glimpse.model.image.DecodedImage;
import io.glimpse.model.image.ImageDecoder;
import io.glimpse.model.image.ImagePreprocessor;
import io.glimpse.model.image.ImageRejectedException;
import io.glimpse.model.inference.BatchClassifier;
import io.glimpse.model.inference.Devices;
import io.glimpse.model.inference.InferenceException;
import io.glimpse.schemas.avro.ImageEvent;
import io.glimpse.schemas.topic.Topics;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model's throughput without Kafka: the pipeline's per-image work (ImageEvent deserialization,
 * {@link ImageDecoder}, {@link ImagePreprocessor}) and one {@link BatchClassifier} forward pass per
 * batch, on serialized events held in memory, on the calling thread.
 */
final class RawThroughput implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RawThroughput.class);
  private static final int WARM_UP_BATCHES = 3;
  private static final long FIRST_WARM_UP_NANOS = 2_000_000_000L;

  private final LoadedModel model;
  private final BatchClassifier classifier;
  private final ImagePreprocessor preprocessor;
  private final ImageDecoder decoder = ImageDecoder.builder().build();
  private final Deserializer<ImageEvent> deserializer;
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

  private RawThroughput(LoadedModel model, Deserializer<ImageEvent> deserializer, int batchSize) {
    this.model = model;
    this.classifier = new BatchClassifier(model);
    this.preprocessor = ImagePreprocessor.of(model.getManifest());
    this.deserializer = deserializer;
    this.batchSize = batchSize;
  }

  /**
   * Loads the artifact the way the pipeline does (verified, warmed up, device {@code auto}).
   *
   * @param serdeConfig the registry settings for the ImageEvent deserializer
   */
  static RawThroughput load(Path artifact, Map<String, ?> serdeConfig, int batchSize)
      throws ModelArtifactException {
    LoadedModel model =
        ModelArtifactLoader.builder().optDevice(Devices.parse("auto")).build().load(artifact);
    return new RawThroughput(
        model, Topics.IMAGES.valueSerde(serdeConfig).deserializer(), batchSize);
  }

  /**
   * Classifies every image once after a short warm-up and returns the rate. It runs on this
   * object's own thread, as the pipeline runs on a stream thread: libtorch's OpenMP team on the
   * JVM's main thread was measured 10-40x slower here (its workers spin-wait and lose the CPU).
   *
   * @throws InferenceException when the model fails on a batch
   * @throws ImageRejectedException when an image does not decode
   */
  Pass measure(List<byte[]> values)
      throws InferenceException, ImageRejectedException, InterruptedException {
    try {
      return thread.submit(() -> measureHere(values)).get();
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

  private Pass measureHere(List<byte[]> values) throws InferenceException, ImageRejectedException {
    warmUp(values);
    long inferenceNanos = 0;
    double cpuStart = ThreadCpu.processSeconds();
    long start = System.nanoTime();
    for (int from = 0; from < values.size(); from += batchSize) {
      inferenceNanos += classifyBatch(values, from);
    }
    long elapsed = System.nanoTime() - start;
    double cpuSeconds = ThreadCpu.processSeconds() - cpuStart;
    Pass pass =
        new Pass(
            values.size() * 1e9 / elapsed,
            inferenceNanos / 1e6 / values.size(),
            cpuSeconds * 1e3 / values.size());
    LOG.info(
        "Raw: {} images at batch size {} in {} ms: {} images/s",
        values.size(),
        batchSize,
        elapsed / 1_000_000,
        Math.round(pass.imagesPerSecond()));
    return pass;
  }

  /**
   * A few batches before every pass; before the first, at least two seconds' worth, so the JIT has
   * compiled the decoding and preprocessing loops as it has by the time the pipeline runs.
   */
  private void warmUp(List<byte[]> values) throws InferenceException, ImageRejectedException {
    long until = System.nanoTime() + (warm ? 0 : FIRST_WARM_UP_NANOS);
    int batches = 0;
    for (int from = 0; batches < WARM_UP_BATCHES || System.nanoTime() < until; batches++) {
      classifyBatch(values, from);
      from = from + batchSize < values.size() ? from + batchSize : 0;
    }
    warm = true;
  }

  /** One batch from {@code from}, as ImageBatchHandler does it; returns the forward pass's ns. */
  private long classifyBatch(List<byte[]> values, int from)
      throws InferenceException, ImageRejectedException {
    int count = Math.min(batchSize, values.size() - from);
    int size = preprocessor.tensorSize();
    float[] tensor = new float[count * size];
    for (int i = 0; i < count; i++) {
      ImageEvent event =
          deserializer.deserialize(Topics.IMAGES.name(), new RecordHeaders(), values.get(from + i));
      DecodedImage image =
          decoder.decode(
              event.getContentType(),
              bytes(event.getData()),
              event.getWidth(),
              event.getHeight(),
              event.getChannels());
      preprocessor.writeTensor(image, tensor, i * size);
    }
    long started = System.nanoTime();
    classifier.classify(tensor, count);
    return System.nanoTime() - started;
  }

  private static byte[] bytes(ByteBuffer buffer) {
    ByteBuffer copy = buffer.duplicate();
    byte[] bytes = new byte[copy.remaining()];
    copy.get(bytes);
    return bytes;
  }

  @Override
  public void close() {
    thread.shutdown();
    classifier.close();
    model.close();
    deserializer.close();
  }
}
