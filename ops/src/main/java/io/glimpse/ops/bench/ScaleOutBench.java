package io.glimpse.ops.bench;

import io.glimpse.model.artifact.ModelArtifactException;
import io.glimpse.model.store.FileModelStore;
import io.glimpse.model.store.ModelStoreException;
import io.glimpse.ops.embedded.EmbeddedStack;
import io.glimpse.schemas.avro.ImageEvent;
import io.glimpse.schemas.avro.ModelDeployment;
import io.glimpse.schemas.topic.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code glimpse bench scaleout}: what a second pipeline process buys and costs, on one embedded
 * broker. Pipeline processes ({@link PipelineProcess}, separate JVMs as deployed) share one
 * application id and follow one model's deployments; images, with poison mixed in throughout, are
 * published by this process, either keeping a backlog waiting (saturated) or at a fixed rate.
 *
 * <p>In order: process A alone, saturated, at a low rate and at 80 % of its saturated rate; process
 * B joins while saturated; both, saturated, at the same low rate and at 80 % of their saturated
 * rate; v2 is promoted while saturated (a reload mid-run); B is stopped with SIGTERM while
 * saturated; then everything published is drained and checked. The report gives per phase the
 * throughput, the CPU each process used and the end-to-end latency; for the join, the reload and
 * the leave, the longest time no prediction became visible; the reload's convergence from the
 * serving status topic; and errors.
 */
public final class ScaleOutBench {
  private static final Logger LOG = LoggerFactory.getLogger(ScaleOutBench.class);
  private static final String MODEL = "bench-scaleout";
  private static final String STATUS_TOPIC = Topics.MODEL_SERVING_STATUS.name();
  private static final double LOW_LOAD = 0.1;
  private static final double NEAR_SATURATION = 0.8;
  private static final long EVENT_LEAD_MILLIS = 3_000;
  private static final long JOIN_WINDOW_MILLIS = 20_000;
  private static final long LEAVE_WINDOW_MILLIS = 60_000;

  private final ScaleOutSettings settings;
  private final Path logDir;
  private final List<Map<String, Object>> phases = new ArrayList<>();
  private ReloadObserver observer;
  private ImageStream stream;
  private ImagePublisher publisher;
  private String images;

  private ScaleOutBench(ScaleOutSettings settings, Path logDir) {
    this.settings = settings;
    this.logDir = logDir;
  }

  /**
   * Runs the benchmark.
   *
   * @param logDir where the pipeline processes' logs go (kept), or null for the run's temporary
   *     directory
   * @throws ModelArtifactException when a version cannot be written
   * @throws ModelStoreException when the store refuses a version
   * @throws InterruptedException when interrupted
   */
  public static ScaleOutReport run(ScaleOutSettings settings, Path logDir)
      throws ModelArtifactException, ModelStoreException, InterruptedException {
    return new ScaleOutBench(settings, logDir).run();
  }

  private ScaleOutReport run()
      throws ModelArtifactException, ModelStoreException, InterruptedException {
    long started = System.nanoTime();
    try (Workspace workspace = Workspace.create();
        EmbeddedStack stack =
            EmbeddedStack.builder().optDataDir(workspace.resolve("stack")).build().start()) {
      Path logs =
          ReloadBench.createDirectories(logDir != null ? logDir : workspace.resolve("logs"));
      FileModelStore store =
          new FileModelStore(ReloadBench.createDirectories(workspace.resolve("store")));
      ModelDeployment v1 = version(store, workspace, "1", 7);
      ModelDeployment v2 = version(store, workspace, "2", 8);
      BenchTopics topics =
          BenchTopics.create(
              stack.bootstrapServers(), "bench-scaleout", settings.shape().partitions());
      images = topics.images();
      ReloadBench.deploy(stack, v1);
      Map<String, Object> report = new LinkedHashMap<>();
      report.put("setup", setup());
      try (Serializer<ImageEvent> serializer =
              Topics.IMAGES.valueSerde(stack.clientConfig()).serializer();
          ImagePublisher publisher = new ImagePublisher(stack.bootstrapServers());
          ReloadObserver observer =
              new ReloadObserver(stack.bootstrapServers(), stack.clientConfig(), topics);
          ServingStatusWatcher status =
              new ServingStatusWatcher(
                  stack.bootstrapServers(), stack.clientConfig(), STATUS_TOPIC)) {
        this.publisher = publisher;
        this.observer = observer;
        this.stream =
            new ImageStream(
                BenchImages.syntheticPictures(
                    128,
                    settings.shape().inputSize(),
                    settings.shape().inputSize(),
                    3,
                    ImageFormat.JPEG),
                ImageFormat.JPEG,
                settings.badFraction(),
                serializer);
        List<PipelineProcess> processes = new ArrayList<>();
        try {
          PipelineProcess a = start(stack, topics, store, workspace, logs, "scaleout-a");
          processes.add(a);
          awaitServing(status, a, "1");
          saturate(processes, 10_000); // warm-up: the JIT, the first batches; not reported
          double one = phase("1 process, saturated", processes, -1).throughput();
          phase("1 process, low rate", processes, LOW_LOAD * one);
          phase("1 process, 80 % of saturated", processes, NEAR_SATURATION * one);

          long joinStarted = System.currentTimeMillis();
          saturate(processes, EVENT_LEAD_MILLIS);
          long processStarted = System.currentTimeMillis();
          PipelineProcess b = start(stack, topics, store, workspace, logs, "scaleout-b");
          processes.add(b);
          CompletableFuture<Void> bServing = awaitServingAsync(status, b, "1");
          saturateUntil(processes, bServing);
          long bServes = System.currentTimeMillis();
          saturate(processes, JOIN_WINDOW_MILLIS);
          report.put(
              "join",
              event(
                  joinStarted,
                  processStarted,
                  bServes,
                  bServes + JOIN_WINDOW_MILLIS,
                  "process_start_to_serving_ms",
                  bServes - processStarted));

          double two = phase("2 processes, saturated", processes, -1).throughput();
          phase("2 processes, low rate", processes, LOW_LOAD * one);
          phase("2 processes, 80 % of saturated", processes, NEAR_SATURATION * two);

          report.put("reload", reload(stack, status, processes, v2));

          long leaveStarted = System.currentTimeMillis();
          saturate(processes, EVENT_LEAD_MILLIS);
          long stopped = System.currentTimeMillis();
          CompletableFuture<Long> stopping =
              CompletableFuture.supplyAsync(
                  () -> {
                    b.close();
                    return System.currentTimeMillis();
                  });
          processes.remove(b);
          saturate(processes, LEAVE_WINDOW_MILLIS);
          report.put(
              "leave",
              event(
                  leaveStarted,
                  stopped,
                  stopped,
                  stopped + LEAVE_WINDOW_MILLIS,
                  "sigterm_to_exit_ms",
                  stopping.join() - stopped));
          phase("1 process again, saturated", processes, -1);

          int published = stream.sent();
          ReloadBench.await(
              "every record predicted or dead-lettered", () -> observer.records() >= published);
        } finally {
          processes.forEach(PipelineProcess::close);
        }
        report.put("phases", phases);
        report.put(
            "errors",
            ScaleOutReport.errors(
                observer.seen(), stream.sent(), stream.poisonSent(), observer.deadLetters()));
        report.put("images", stream.sent());
        report.put("poison_records", stream.poisonSent());
        report.put("dead_letters", observer.deadLetters());
        report.put("cores", Runtime.getRuntime().availableProcessors());
        report.put("malloc", Malloc.inUse());
        report.put("logs", logs.toString());
        report.put("elapsed_s", (System.nanoTime() - started) / 1e9);
        return new ScaleOutReport(report);
      }
    }
  }

  private Map<String, Object> setup() {
    Map<String, Object> setup = new LinkedHashMap<>();
    setup.put("model", settings.shape().modelDescription());
    setup.put("partitions", settings.shape().partitions());
    setup.put("batch_size", settings.shape().batchSize());
    setup.put("phase_seconds", settings.phaseSeconds());
    setup.put("bad_fraction", settings.badFraction());
    setup.put("backlog", settings.backlog());
    return setup;
  }

  private ModelDeployment version(
      FileModelStore store, Workspace workspace, String version, int seed)
      throws ModelArtifactException, ModelStoreException {
    return ReloadBench.storeVersion(
        store,
        workspace,
        MODEL,
        version,
        settings.shape().widthMultiplier(),
        settings.shape().inputShape(),
        seed);
  }

  private PipelineProcess start(
      EmbeddedStack stack,
      BenchTopics topics,
      FileModelStore store,
      Workspace workspace,
      Path logs,
      String instance) {
    LOG.info("Starting pipeline process {}", instance);
    return PipelineProcess.start(
        instance,
        ReloadBench.pipelineSettings(
            stack, topics, store, workspace, MODEL, instance, settings.shape().batchSize()),
        logs.resolve(instance + ".log"));
  }

  private static void awaitServing(
      ServingStatusWatcher status, PipelineProcess process, String version)
      throws InterruptedException {
    ReloadBench.await(
        process.instance() + " serving v" + version,
        () -> {
          process.checkAlive();
          return status.servingSince(process.instance(), version).isPresent();
        });
  }

  private static CompletableFuture<Void> awaitServingAsync(
      ServingStatusWatcher status, PipelineProcess process, String version) {
    return CompletableFuture.runAsync(
        () -> {
          try {
            awaitServing(status, process, version);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
          }
        });
  }

  /** A phase's outcome, as reported. */
  private record Phase(Map<String, Object> fields) {
    double throughput() {
      return (Double) fields.get("images_per_s");
    }
  }

  /**
   * Runs one measured phase: saturated when {@code rate} is negative, else publishing at {@code
   * rate}; then waits until its images are through, so the next phase starts clean.
   */
  private Phase phase(String name, List<PipelineProcess> processes, double rate)
      throws InterruptedException {
    double[] cpuBefore = processes.stream().mapToDouble(PipelineProcess::cpuSeconds).toArray();
    long from = System.currentTimeMillis();
    long millis = settings.phaseSeconds() * 1000L;
    if (rate < 0) {
      saturate(processes, millis);
    } else {
      paced(processes, rate, millis);
    }
    long to = System.currentTimeMillis();
    double[] cpuAfter = processes.stream().mapToDouble(PipelineProcess::cpuSeconds).toArray();
    int published = stream.sent();
    ReloadBench.await(
        "the phase's records predicted or dead-lettered", () -> observer.records() >= published);
    List<ReloadObserver.Seen> seen = observer.seen();
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("phase", name);
    f.put("processes", processes.size());
    f.put("offered_images_per_s", rate < 0 ? null : rate);
    // Saturated: what was processed after the first second (the backlog building up); paced:
    // what was processed in the phase, the offered rate when the processes kept up.
    f.put("images_per_s", ScaleOutReport.throughput(seen, rate < 0 ? from + 1000 : from, to));
    List<Double> cores = new ArrayList<>();
    for (int i = 0; i < cpuAfter.length; i++) {
      cores.add((cpuAfter[i] - cpuBefore[i]) * 1000.0 / (to - from));
    }
    f.put("cores_per_process", cores);
    f.put("latency_publish_to_visible", ScaleOutReport.latency(seen, from, to));
    f.put(
        "longest_gap_ms",
        ScaleOutReport.longestGap(seen, from + 1000, to, ReloadObserver.Seen::readMillis));
    LOG.info("Phase {}", f);
    phases.add(f);
    return new Phase(f);
  }

  /** The longest time without a visible prediction from {@code from} on, and what led to it. */
  private Map<String, Object> event(
      long leadFrom, long eventAt, long windowFrom, long windowTo, String key, long value) {
    List<ReloadObserver.Seen> seen = observer.seen();
    Map<String, Object> f = new LinkedHashMap<>();
    f.put(key, value);
    f.put(
        "longest_gap_visible_ms",
        ScaleOutReport.longestGap(seen, windowFrom, windowTo, ReloadObserver.Seen::readMillis));
    f.put(
        "longest_gap_processed_ms",
        ScaleOutReport.longestGap(
            seen, windowFrom, windowTo, ReloadObserver.Seen::processedMillis));
    f.put(
        "longest_gap_before_ms",
        ScaleOutReport.longestGap(seen, leadFrom, eventAt, ReloadObserver.Seen::readMillis));
    f.put("window_ms", windowTo - windowFrom);
    f.put("images_per_s_window", ScaleOutReport.throughput(seen, windowFrom, windowTo));
    f.put("timeline_500ms_from_event", ScaleOutReport.timeline(seen, eventAt, windowTo));
    LOG.info("Event {}", f);
    return f;
  }

  private Map<String, Object> reload(
      EmbeddedStack stack,
      ServingStatusWatcher status,
      List<PipelineProcess> processes,
      ModelDeployment v2)
      throws InterruptedException {
    long leadFrom = System.currentTimeMillis();
    saturate(processes, EVENT_LEAD_MILLIS);
    long promoted = System.currentTimeMillis();
    ReloadBench.deploy(stack, v2);
    List<CompletableFuture<Void>> serving = new ArrayList<>();
    for (PipelineProcess p : processes) {
      serving.add(awaitServingAsync(status, p, "2"));
    }
    saturateUntil(processes, CompletableFuture.allOf(serving.toArray(CompletableFuture[]::new)));
    long converged = System.currentTimeMillis();
    saturate(processes, settings.phaseSeconds() * 1000L);
    List<Long> swaps = new ArrayList<>();
    for (PipelineProcess p : processes) {
      swaps.add(
          status.servingSince(p.instance(), "2").map(Instant::toEpochMilli).orElse(-1L) - promoted);
    }
    Map<String, Object> f =
        event(
            leadFrom,
            promoted,
            promoted,
            promoted + settings.phaseSeconds() * 1000L,
            "promote_to_all_serving_ms",
            swaps.stream().mapToLong(Long::longValue).max().orElse(-1));
    f.put("promote_to_instance_serving_ms", swaps);
    f.put("promote_to_status_read_ms", converged - promoted);
    f.put(
        "promote_to_first_v2_prediction_ms",
        observer.seen().stream()
                .filter(s -> "2".equals(s.version()))
                .mapToLong(ReloadObserver.Seen::processedMillis)
                .min()
                .orElse(promoted - 1)
            - promoted);
    return f;
  }

  private void saturate(List<PipelineProcess> processes, long millis) throws InterruptedException {
    long until = System.currentTimeMillis() + millis;
    saturateWhile(processes, () -> System.currentTimeMillis() < until);
  }

  private void saturateUntil(List<PipelineProcess> processes, CompletableFuture<?> done)
      throws InterruptedException {
    saturateWhile(processes, () -> !done.isDone());
    done.join();
  }

  /** Keeps {@code backlog} records waiting, topping up every 10 ms. */
  private void saturateWhile(
      List<PipelineProcess> processes, java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    while (condition.getAsBoolean()) {
      processes.forEach(PipelineProcess::checkAlive);
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("A saturated phase ran past 5 minutes");
      }
      int missing = settings.backlog() - (stream.sent() - observer.records());
      for (int i = 0; i < missing; i++) {
        send();
      }
      publisher.flush();
      Thread.sleep(10); // a benchmark's own pacing loop, not a test synchronisation
    }
  }

  /** Publishes at {@code rate} images per second, evenly spaced, for {@code millis}. */
  private void paced(List<PipelineProcess> processes, double rate, long millis) {
    long start = System.nanoTime();
    long end = start + millis * 1_000_000L;
    for (long i = 0; ; i++) {
      long due = start + (long) (i * 1e9 / rate);
      if (due >= end) {
        break;
      }
      long wait;
      while ((wait = due - System.nanoTime()) > 0) {
        LockSupport.parkNanos(wait);
      }
      send();
      if (i % 100 == 0) {
        processes.forEach(PipelineProcess::checkAlive);
      }
    }
    publisher.flush();
  }

  private void send() {
    ImageStream.Next next = stream.next();
    publisher.send(images, next.key(), next.value());
  }
}
