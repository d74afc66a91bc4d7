package io.glimpse.model.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.glimpse.model.artifact.LoadedModel;
import io.glimpse.model.image.DecodedImage;
import io.glimpse.model.image.ImagePreprocessor;
import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Native memory must level off: batches of 8 through {@link ImagePreprocessor} and {@link
 * BatchClassifier} may grow the resident set by less than 64 MiB after warm-up. Every build runs a
 * short form (2,000 batches, about 15 s on 2 cores: a leak of the ~10 MB per batch once seen with
 * arrays from a long-lived manager shows at once); the full run is opt-in (about a minute):
 *
 * <pre>
 * mvn -B -o -pl model -am test -Dtest=InferenceSoakTest -Dsoak.batches=10000 \
 *   -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
class InferenceSoakTest {

  private static final Logger logger = LoggerFactory.getLogger(InferenceSoakTest.class);
  private static final Path STATUS = Path.of("/proc/self/status");
  private static final int BATCH = 8;
  private static final int WARM_UP_BATCHES = 200;
  private static final int BATCHES = Integer.getInteger("soak.batches", 2_000);
  private static final long MAX_GROWTH_KIB = 64 * 1024;

  @TempDir Path tmp;

  @Test
  void residentMemoryLevelsOffOverTenThousandBatches() throws Exception {
    assumeTrue(Files.isReadable(STATUS), "needs /proc/self/status (Linux)");
    List<DecodedImage> images = images();
    try (LoadedModel model = TinyModel.writeAndLoad(tmp);
        BatchClassifier classifier = new BatchClassifier(model)) {
      ImagePreprocessor preprocessor = ImagePreprocessor.of(model.getManifest());
      float[] batch = new float[BATCH * preprocessor.tensorSize()];
      run(preprocessor, classifier, images, batch, WARM_UP_BATCHES);
      long startKib = settledResidentKib();
      logger.info(
          "RSS after {} warm-up batches: {} MiB; {}",
          WARM_UP_BATCHES,
          startKib / 1024,
          javaMemory());

      long start = System.nanoTime();
      long preprocessingNanos = 0;
      for (int done = 0; done < BATCHES; done += BATCHES / 5) {
        preprocessingNanos += run(preprocessor, classifier, images, batch, BATCHES / 5);
        logger.info("RSS after {} batches: {} MiB", done + BATCHES / 5, residentKib() / 1024);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      long endKib = settledResidentKib();

      double imagesPerSecond = BATCHES * BATCH / seconds;
      double preprocessedPerSecond = BATCHES * BATCH / (preprocessingNanos / 1e9);
      logger.info(
          "RSS after {} more batches of {}: {} MiB (growth {} MiB); {} images/s end to end,"
              + " preprocessing alone {} images/s; {}",
          BATCHES,
          BATCH,
          endKib / 1024,
          (endKib - startKib) / 1024,
          Math.round(imagesPerSecond),
          Math.round(preprocessedPerSecond),
          javaMemory());
      assertThat(endKib - startKib).as("RSS growth in KiB").isLessThan(MAX_GROWTH_KIB);
    }
  }

  /** Runs batches; returns the nanoseconds spent preprocessing. */
  private static long run(
      ImagePreprocessor preprocessor,
      BatchClassifier classifier,
      List<DecodedImage> images,
      float[] batch,
      int batches)
      throws InferenceException {
    long preprocessing = 0;
    for (int b = 0; b < batches; b++) {
      long start = System.nanoTime();
      for (int i = 0; i < BATCH; i++) {
        DecodedImage image = images.get((b * BATCH + i) % images.size());
        preprocessor.writeTensor(image, batch, i * preprocessor.tensorSize());
      }
      preprocessing += System.nanoTime() - start;
      float[][] probabilities = classifier.classify(batch, BATCH);
      if (probabilities.length != BATCH) {
        throw new AssertionError("expected " + BATCH + " rows, got " + probabilities.length);
      }
    }
    return preprocessing;
  }

  /** Fashion-MNIST-sized gray images and larger RGB ones, so both resize and convert. */
  private static List<DecodedImage> images() {
    Random random = new Random(7);
    List<DecodedImage> images = new ArrayList<>();
    for (int i = 0; i < 13; i++) {
      boolean gray = i % 2 == 0;
      int width = gray ? 28 : 48;
      int height = gray ? 28 : 40;
      byte[] pixels = new byte[width * height * (gray ? 1 : 3)];
      random.nextBytes(pixels);
      images.add(new DecodedImage(width, height, gray ? 1 : 3, pixels));
    }
    return images;
  }

  /**
   * Collects garbage and lets G1 give unused heap back, so that RSS counts about the same Java heap
   * at both marks. Without this, young-generation pages touched for the first time during the run
   * show up as a few hundred MiB of growth with no native leak at all.
   */
  private static long settledResidentKib() throws IOException, InterruptedException {
    System.gc();
    long committed = -1;
    for (int i = 0; i < 50 && committed != heapCommitted(); i++) {
      committed = heapCommitted();
      Thread.sleep(100); // G1 uncommits in a background thread
    }
    return residentKib();
  }

  private static long heapCommitted() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted();
  }

  /** Java heap and direct buffers: RSS also grows when they do, without any native leak. */
  private static String javaMemory() {
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    StringBuilder text = new StringBuilder("heap used/committed ");
    text.append(heap.getUsed() >> 20).append('/').append(heap.getCommitted() >> 20).append(" MiB");
    for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
      if (pool.getName().equals("direct")) {
        text.append(", direct buffers ").append(pool.getCount());
        text.append(" using ").append(pool.getMemoryUsed() >> 20).append(" MiB");
      }
    }
    return text.toString();
  }

  private static long residentKib() throws IOException {
    for (String line : Files.readAllLines(STATUS)) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IOException("no VmRSS line in " + STATUS);
  }
}
