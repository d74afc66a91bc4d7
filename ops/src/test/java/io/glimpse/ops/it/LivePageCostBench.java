package io.glimpse.ops.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.glimpse.pipeline.GlimpsePipeline;
import io.glimpse.pipeline.config.PipelineConfig;
import io.glimpse.schemas.avro.Prediction;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an open live page costs the pipeline, measured like {@code glimpse bench pipeline} measures
 * throughput: images published once, then pipelines with fresh application ids classify all of them
 * from the beginning, alternately without a page and with a page client streaming {@code /events}
 * (reading and discarding every frame, as a browser would, so that the page's feed reads every
 * prediction and makes thumbnails); throughput is images over the span from the first to the last
 * prediction's processing time. Not a test (its name keeps it out of the default run):
 *
 * <pre>
 * mvn -o -pl ops test -Dtest=LivePageCostBench -Dsurefire.failIfNoSpecifiedTests=false \
 *     [-Dglimpse.web.bench.images=20000] [-Dglimpse.web.bench.rounds=3] \
 *     [-Dglimpse.web.bench.warmups=3] \
 *     [-Dglimpse.web.bench.out=$PWD/docs/results/issue-24/bench-web-page.txt]
 * </pre>
 */
@Timeout(value = 30, unit = TimeUnit.MINUTES)
class LivePageCostBench {
  private static final Duration DEADLINE = Duration.ofMinutes(5);

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path tmp;

  @Test
  void throughputWithAndWithoutAPageStreaming() throws Exception {
    int images = Integer.getInteger("glimpse.web.bench.images", 20_000);
    int rounds = Integer.getInteger("glimpse.web.bench.rounds", 3);
    try (PipelineFixture fixture = PipelineFixture.start(tmp, "web-bench");
        ImageTraffic traffic = fixture.traffic()) {
      for (int from = 0; from < images; from += 1000) {
        traffic.publish("bench", from, Math.min(1000, images - from));
      }
      List<Double> without = new ArrayList<>();
      List<Double> with = new ArrayList<>();
      StringBuilder log = new StringBuilder();
      int run = 0;
      long pageCpu = 0;
      long streamCpuWithPage = 0;
      int warmUps = Integer.getInteger("glimpse.web.bench.warmups", 3);
      for (int w = 0; w < warmUps; w++) { // unreported: JIT, page cache, registry cache
        measure(fixture, "warm-up-" + w, images, w % 2 == 0);
      }
      for (int round = 0; round < rounds; round++) {
        // ABBA within a round, so that drift over the run (JIT, page cache) hits both alike.
        for (boolean page : new boolean[] {false, true, true, false}) {
          Run result = measure(fixture, "run" + run++, images, page);
          double rate = result.imagesPerSecond();
          (page ? with : without).add(rate);
          if (page) {
            pageCpu += result.pageCpuNanos();
            streamCpuWithPage += result.streamCpuNanos();
          }
          log.append(
              String.format(
                  Locale.ROOT, "  run %2d  page %-5s  %8.1f images/s%n", run, page, rate));
        }
        int n = without.size();
        log.append(
            String.format(
                Locale.ROOT,
                "  round %d ratio %.3f%n",
                round + 1,
                (with.get(n - 1) + with.get(n - 2)) / (without.get(n - 1) + without.get(n - 2))));
      }
      double a = median(without);
      double b = median(with);
      String report =
          String.format(
              Locale.ROOT,
              "Live page cost: %d images per run, %d runs each, ABBA order, %d warm-up runs,"
                  + " median throughput%n"
                  + "  without a page  %8.1f images/s%n"
                  + "  page streaming  %8.1f images/s%n"
                  + "  ratio           %8.3f  (page / none; target >= 0.97)%n"
                  + "  page threads' CPU while streaming (steady part of the runs: a fifth of the"
                  + " images to the last): %.1f ms, %.2f %% of the stream threads' %.1f ms%n"
                  + "runs:%n%s"
                  + "machine: %d cores (%s), java %s%n",
              images,
              without.size(),
              warmUps,
              a,
              b,
              b / a,
              pageCpu / 1e6,
              100.0 * pageCpu / Math.max(1, streamCpuWithPage),
              streamCpuWithPage / 1e6,
              log,
              Runtime.getRuntime().availableProcessors(),
              System.getProperty("os.arch"),
              System.getProperty("java.version"));
      System.out.print(report);
      String out = System.getProperty("glimpse.web.bench.out");
      if (out != null) {
        Files.createDirectories(Path.of(out).toAbsolutePath().getParent());
        Files.writeString(Path.of(out), report);
      }
      assertThat(a).isPositive();
      assertThat(b).isPositive();
    }
  }

  /**
   * One run's result.
   *
   * @param imagesPerSecond images over the span of their predictions' processing times
   * @param streamCpuNanos CPU time of the run's stream threads
   * @param pageCpuNanos CPU time of the page's threads (its feed and its event streams)
   */
  private record Run(double imagesPerSecond, long streamCpuNanos, long pageCpuNanos) {}

  /** Classifies every image with a fresh pipeline. */
  private static Run measure(PipelineFixture fixture, String run, int images, boolean page)
      throws Exception {
    String predictions = fixture.predictionsTopic() + "-" + run;
    fixture
        .stack()
        .broker()
        .createTopics(
            List.of(new NewTopic(predictions, PipelineFixture.IMAGE_PARTITIONS, (short) 1)));
    Map<String, String> settings = fixture.pipelineSettings();
    settings.put("application.id", fixture.applicationId() + "-" + run);
    settings.put(PipelineConfig.PREDICTIONS_TOPIC, predictions);
    settings.put("commit.interval.ms", "200");
    Socket client = null;
    AtomicLong read = new AtomicLong();
    long[] cpu;
    try (GlimpsePipeline pipeline = GlimpsePipeline.start(PipelineConfig.of(settings))) {
      if (page) {
        client = streamEvents(pipeline.httpPort(), read);
      }
      // CPU is compared over the run's steady part, from a fifth of the images to the last:
      // opening the page's reader and the stream threads' start are fixed costs of a run.
      String applicationId = settings.get("application.id");
      Awaitility.await(run + " classifies a fifth of the images")
          .atMost(DEADLINE)
          .pollInterval(Duration.ofMillis(20))
          .until(() -> classified(pipeline) >= images / 5.0);
      long[] start = threadCpu(applicationId);
      Awaitility.await(run + " classifies every image")
          .atMost(DEADLINE)
          .pollInterval(Duration.ofMillis(20))
          .until(() -> classified(pipeline) >= images);
      long[] end = threadCpu(applicationId);
      if (page) {
        assertThat(read.get()).as("the page client got events").isPositive();
      }
      cpu = new long[] {end[0] - start[0], end[1] - start[1]};
    } finally {
      if (client != null) {
        client.close();
      }
    }
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    try (PredictionLog log =
        new PredictionLog(fixture.clientConfig(), predictions, IsolationLevel.READ_COMMITTED)) {
      assertThat(log.pollUntil(() -> log.total() >= images, DEADLINE)).isTrue();
      for (ConsumerRecord<String, Prediction> r : log.records()) {
        long t = r.value().getProcessedTime().toEpochMilli();
        first = Math.min(first, t);
        last = Math.max(last, t);
      }
    }
    return new Run(images * 1000.0 / Math.max(1, last - first), cpu[0], cpu[1]);
  }

  /**
   * CPU time so far of the live threads of this run's stream threads ({@code
   * <application.id>-...-StreamThread-n}) and of the page's ({@code glimpse-web-*}).
   */
  private static long[] threadCpu(String applicationId) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long stream = 0;
    long page = 0;
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info == null) {
        continue;
      }
      long nanos = Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
      if (info.getThreadName().startsWith(applicationId)
          && info.getThreadName().contains("-StreamThread-")) {
        stream += nanos;
      } else if (info.getThreadName().startsWith("glimpse-web")) {
        page += nanos;
      }
    }
    return new long[] {stream, page};
  }

  private static double classified(GlimpsePipeline pipeline) {
    return PipelineHttp.sumOf(pipeline.scrapeMetrics(), "glimpse_images_classified_total");
  }

  /** Opens /events and reads (and drops) everything on a thread, counting bytes. */
  private static Socket streamEvents(int port, AtomicLong read) throws Exception {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", port));
    socket
        .getOutputStream()
        .write(
            "GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    Thread reader =
        new Thread(
            () -> {
              byte[] buffer = new byte[64 * 1024];
              try (InputStream in = socket.getInputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                  read.addAndGet(n);
                }
              } catch (Exception e) {
                // closed at the end of the run
              }
            },
            "bench-page-client");
    reader.setDaemon(true);
    reader.start();
    return socket;
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
