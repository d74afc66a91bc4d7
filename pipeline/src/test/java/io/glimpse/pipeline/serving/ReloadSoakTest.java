package io.glimpse.pipeline.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.glimpse.model.artifact.InputShape;
import io.glimpse.model.artifact.ModelArtifact;
import io.glimpse.model.mobilenet.Precision;
import io.glimpse.model.mobilenet.UntrainedModels;
import io.glimpse.model.store.FileModelStore;
import io.glimpse.pipeline.metrics.PipelineMetrics;
import io.glimpse.schemas.avro.ModelDeployment;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Twenty hot reloads in a row through the real reloader, store and models (MobileNetV1 α 1.0, 17 MB
 * of parameters each, so a version that is never freed shows): while batches run between the swaps,
 * the resident set after the last reload stays within 10 % of its level after the first.
 */
class ReloadSoakTest {
  private static final Logger LOG = LoggerFactory.getLogger(ReloadSoakTest.class);
  private static final Path STATUS = Path.of("/proc/self/status");
  private static final int RELOADS = Integer.getInteger("soak.reloads", 20);

  @TempDir Path tmp;

  @Test
  void residentMemoryStaysLevelOverTwentyReloads() throws Exception {
    assumeTrue(Files.isReadable(STATUS), "needs /proc/self/status (Linux)");
    assumeTrue(RELOADS >= 6, "-Dsoak.reloads must be at least 6");
    FileModelStore store = new FileModelStore(Files.createDirectories(tmp.resolve("store")));
    List<ModelDeployment> versions =
        List.of(storeVersion(store, "1", 1), storeVersion(store, "2", 2));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ModelSlot slot = new ModelSlot();
    ModelReloader reloader =
        new ModelReloader(
            store,
            slot,
            "cpu",
            Precision.FP32,
            new int[] {1, 8},
            new PipelineMetrics(registry),
            "soak",
            s -> {});

    assertThat(reloader.apply(versions.get(0))).as("the first load").isTrue();
    classify(slot);
    long[] rssKib = new long[RELOADS + 1];
    for (int i = 1; i <= RELOADS; i++) {
      assertThat(reloader.apply(versions.get(i % 2))).as("reload %d", i).isTrue();
      classify(slot);
      // Between reloads, as between deployments in production, the JVM collects its garbage;
      // without that the Java heap's growth would hide (or fake) a native leak.
      rssKib[i] = settledResidentKib();
      LOG.info(
          "RSS after reload {}: {} MiB (Java heap committed {} MiB)",
          i,
          rssKib[i] / 1024,
          heapCommitted() >> 20);
    }
    // A level is the median of three readings: one reading moves by ±5 % from reload to reload
    // (allocator caches, libtorch's thread pools) with no trend; a leaked version would add 17 MB
    // per reload, over 300 MB in all.
    long firstKib = median(rssKib[1], rssKib[2], rssKib[3]);
    long lastKib = median(rssKib[RELOADS - 2], rssKib[RELOADS - 1], rssKib[RELOADS]);
    LOG.info(
        "RSS level after the first reloads {} MiB, after reload {} {} MiB",
        firstKib / 1024,
        RELOADS,
        lastKib / 1024);

    assertThat(registry.get("glimpse.model.reload").tag("outcome", "loaded").counter().count())
        .isEqualTo(RELOADS + 1.0);
    assertThat(slot.peek().orElseThrow().version()).isEqualTo(RELOADS % 2 == 0 ? "1" : "2");
    assertThat((double) lastKib).as("RSS in KiB").isLessThan(firstKib * 1.10);
    slot.close();
  }

  private ModelDeployment storeVersion(FileModelStore store, String version, int seed)
      throws Exception {
    Path artifact = tmp.resolve("artifact-" + version);
    UntrainedModels.write(
        artifact,
        "soak",
        version,
        1.0f,
        new InputShape(3, 32, 32),
        UntrainedModels.numberedLabels(10),
        seed);
    URI uri = store.put(artifact, "soak", version);
    return ModelDeployment.newBuilder()
        .setModelName("soak")
        .setVersion(version)
        .setArtifactUri(uri.toString())
        .setSha256(ModelArtifact.manifestSha256(Path.of(uri)))
        .setReason("soak")
        .setDeployedTime(Instant.now())
        .build();
  }

  private static void classify(ModelSlot slot) throws Exception {
    for (int i = 0; i < 5; i++) {
      try (ModelLease lease = slot.acquire()) {
        ServingModel model = lease.model();
        model.classifier().classify(new float[8 * model.preprocessor().tensorSize()], 8);
      }
    }
  }

  /** After a GC, once G1 stopped giving heap back, so both marks count about the same heap. */
  private static long settledResidentKib() throws IOException, InterruptedException {
    System.gc();
    long committed = -1;
    for (int i = 0; i < 50 && committed != heapCommitted(); i++) {
      committed = heapCommitted();
      Thread.sleep(100); // G1 uncommits in a background thread; nothing else to wait on
    }
    for (String line : Files.readAllLines(STATUS)) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IOException("no VmRSS line in " + STATUS);
  }

  private static long median(long a, long b, long c) {
    return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
  }

  private static long heapCommitted() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted();
  }
}
