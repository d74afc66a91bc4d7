package io.glimpse.ops.bench;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The outcome of {@code glimpse bench pipeline}: the headline numbers, their ratios against the
 * issue's targets, the settings that shaped them, and the pipeline's profile, as one ordered map.
 * The CLI prints it as JSON ({@link #toJson()}) or as a small table ({@link #toTable()}).
 *
 * @param fields every reported value, in report order
 */
public record BenchReport(Map<String, Object> fields) {
  /** The targets: pipeline ≥ 0.90 × raw; batched ≥ 3 × unbatched at α=0.25 64×64. */
  public static final double MIN_PIPELINE_OVER_RAW = 0.90;

  public static final double MIN_BATCHED_OVER_UNBATCHED = 3.0;

  /** Keeps an unmodifiable copy. */
  public BenchReport {
    fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
  }

  /** Assembles the report of one run. */
  static BenchReport of(
      BenchSettings settings,
      BenchImages images,
      List<RawThroughput.Pass> raw,
      PipelineThroughput.Result batched,
      PipelineThroughput.Result unbatched,
      BadInputPhase badInput,
      PythonPeer peer,
      List<LatencyProbe.Result> latencies,
      double elapsedSeconds) {
    // The headline latency is the first fraction of saturation (after the low rate, if any).
    LatencyProbe.Result latency =
        latencies.get(settings.lowRate() > 0 && latencies.size() > 1 ? 1 : 0);
    double rawRate =
        raw.stream().mapToDouble(RawThroughput.Pass::imagesPerSecond).average().orElse(0);
    double pipelineOverRaw = batched.imagesPerSecond() / rawRate;
    double batchedOverUnbatched = batched.imagesPerSecond() / unbatched.imagesPerSecond();
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("model", settings.modelDescription());
    f.put(
        "weights",
        "untrained (random init, written with UntrainedModels); throughput does not depend on"
            + " weights");
    f.put("batch_size", settings.batchSize());
    f.put("raw_images_per_s", rawRate);
    f.put("pipeline_images_per_s", batched.imagesPerSecond());
    f.put("unbatched_images_per_s", unbatched.imagesPerSecond());
    f.put("pipeline_over_raw", pipelineOverRaw);
    f.put("batched_over_unbatched", batchedOverUnbatched);
    f.put("bad_fraction", settings.badFraction());
    f.putAll(badInput.fields(batched));
    f.putAll(peer.fields(batched));
    f.put("p50_ms", latency.p50Millis());
    f.put("p99_ms", latency.p99Millis());
    f.put("latency_measured", "record timestamp (publish) to read_committed consumer receive time");
    f.put("processed_p50_ms", latency.processedP50Millis());
    f.put("processed_p99_ms", latency.processedP99Millis());
    f.put("latency_offered_images_per_s", latency.offeredPerSecond());
    f.put("latency_images", latency.measured());
    f.put("latency_mean_batch_size", latency.meanBatchSize());
    f.put("latency_breakdown", latency.breakdown());
    f.put("latency_loads", latencies.stream().map(BenchReport::latencyFields).toList());
    f.put("idle_flush", settings.idleFlush());
    f.put("guarantee", settings.guarantee());
    f.put("images", settings.images());
    f.put(
        "images_predicted",
        Map.of("batched", batched.predictions(), "unbatched", unbatched.predictions()));
    f.put("dead_letters", batched.deadLetters() + unbatched.deadLetters());
    f.put("image_size", settings.imageSizeDescription());
    f.put("content", settings.content().label());
    f.put("format", settings.format().label());
    if (settings.content() == ImageContent.PHOTO) {
      f.put("jpeg_quality", Math.round(100 * PhotoPictures.JPEG_QUALITY));
    }
    f.put("mean_event_bytes", images.meanValueBytes());
    f.put("threads", settings.threads());
    f.put("partitions", settings.partitions());
    f.put("warm_up_runs", settings.warmUpRuns());
    f.put("malloc", Malloc.inUse());
    f.put("cores", Runtime.getRuntime().availableProcessors());
    f.put("omp_wait_policy", String.valueOf(System.getenv("OMP_WAIT_POLICY")));
    f.put("omp_num_threads", String.valueOf(System.getenv("OMP_NUM_THREADS")));
    f.put("targets", targets(settings, pipelineOverRaw, batchedOverUnbatched));
    f.put(
        "raw_passes_images_per_s", raw.stream().map(RawThroughput.Pass::imagesPerSecond).toList());
    f.put(
        "raw_inference_ms_per_image",
        raw.stream().mapToDouble(RawThroughput.Pass::inferenceMillisPerImage).average().orElse(0));
    double rawCpu =
        raw.stream().mapToDouble(RawThroughput.Pass::cpuMillisPerImage).average().orElse(0);
    f.put("raw_cpu_ms_per_image", rawCpu);
    f.put("pipeline_cpu_ms_per_image", batched.cpuMillisPerImage());
    f.put("unbatched_cpu_ms_per_image", unbatched.cpuMillisPerImage());
    f.put("raw_over_pipeline_cpu_per_image", rawCpu / batched.cpuMillisPerImage());
    f.put(
        "cpu_note",
        "process CPU (all threads: broker, JIT, clients) per image; on a shared machine these"
            + " depend less on other tenants than images/s do");
    f.put("pipeline_settings", batched.settings());
    f.put(
        "bench_client_settings",
        Map.of("producer", ImagePublisher.SETTINGS, "consumer", PredictionCollector.SETTINGS));
    f.put("profile_batched", batched.profile());
    f.put("profile_unbatched", unbatched.profile());
    f.put("cpu_batched", batched.cpu());
    f.put("cpu_unbatched", unbatched.cpu());
    f.put("elapsed_s", elapsedSeconds);
    return new BenchReport(f);
  }

  private static Map<String, Object> targets(
      BenchSettings settings, double pipelineOverRaw, double batchedOverUnbatched) {
    Map<String, Object> targets = new LinkedHashMap<>();
    targets.put("pipeline_over_raw_min", MIN_PIPELINE_OVER_RAW);
    targets.put("pipeline_over_raw_met", pipelineOverRaw >= MIN_PIPELINE_OVER_RAW);
    targets.put("batched_over_unbatched_min", MIN_BATCHED_OVER_UNBATCHED);
    targets.put("batched_over_unbatched_met", batchedOverUnbatched >= MIN_BATCHED_OVER_UNBATCHED);
    targets.put(
        "batched_over_unbatched_applies",
        settings.widthMultiplier() == 0.25f && settings.inputSize() == 64);
    return targets;
  }

  /** A headline number. */
  public double number(String field) {
    return ((Number) fields.get(field)).doubleValue();
  }

  /** One JSON object on one line. */
  public String toJson() {
    return Json.write(fields);
  }

  /** A small human-readable table of the headline numbers. */
  public String toTable() {
    StringBuilder t = new StringBuilder();
    line(t, "Glimpse pipeline benchmark: %s, %s", fields.get("model"), fields.get("weights"));
    line(
        t,
        "B=%s, %s %s %s images of %spx (%.0f-byte events), %s, %s stream thread(s), %s"
            + " partition(s), malloc %s, %s cores",
        fields.get("batch_size"),
        fields.get("images"),
        fields.get("content"),
        fields.get("format"),
        fields.get("image_size"),
        number("mean_event_bytes"),
        fields.get("guarantee"),
        streamThreads(),
        fields.get("partitions"),
        fields.get("malloc"),
        fields.get("cores"));
    @SuppressWarnings("unchecked")
    Map<String, Object> targets = (Map<String, Object>) fields.get("targets");
    line(t, "  %-34s %10s", "", "images/s");
    line(t, "  %-34s %10.1f", "raw (in memory, no Kafka)", number("raw_images_per_s"));
    line(
        t,
        "  %-34s %10.1f   pipeline/raw %.2f (target >= %.2f: %s)",
        "pipeline, batch " + fields.get("batch_size"),
        number("pipeline_images_per_s"),
        number("pipeline_over_raw"),
        MIN_PIPELINE_OVER_RAW,
        met(targets.get("pipeline_over_raw_met")));
    line(
        t,
        "  %-34s %10.1f   batched/unbatched %.2f (target >= %.0f: %s)",
        "pipeline, batch 1",
        number("unbatched_images_per_s"),
        number("batched_over_unbatched"),
        MIN_BATCHED_OVER_UNBATCHED,
        met(targets.get("batched_over_unbatched_met")));
    if (fields.containsKey("pipeline_bad_input_images_per_s")) {
      line(
          t,
          "  %-34s %10.1f   bad input/clean %.2f (target >= %.2f: %s); %s dead letters",
          String.format(Locale.ROOT, "pipeline, %.0f %% bad records", 100 * number("bad_fraction")),
          number("pipeline_bad_input_images_per_s"),
          number("bad_input_over_clean"),
          BadInputPhase.MIN_OVER_CLEAN,
          met(fields.get("bad_input_over_clean_met")),
          fields.get("bad_input_dead_letters"));
    }
    peerLine(t);
    latencyTable(t);
    line(
        t,
        "Headline latency at %.0f images/s: to processedTime p50 %.0f ms, p99 %.0f ms",
        number("latency_offered_images_per_s"),
        number("processed_p50_ms"),
        number("processed_p99_ms"));
    line(
        t,
        "Process CPU per image: raw %.3f ms, pipeline %.3f ms, batch 1 %.3f ms (raw/pipeline %.2f)",
        number("raw_cpu_ms_per_image"),
        number("pipeline_cpu_ms_per_image"),
        number("unbatched_cpu_ms_per_image"),
        number("raw_over_pipeline_cpu_per_image"));
    line(t, "Pipeline settings: %s", fields.get("pipeline_settings"));
    line(t, "Batched profile: %s", Json.write(fields.get("profile_batched")));
    line(t, "Batched CPU by thread: %s", Json.write(fields.get("cpu_batched")));
    return t.toString();
  }

  @SuppressWarnings("unchecked")
  private void peerLine(StringBuilder t) {
    if (!fields.containsKey("peer_images_per_s")) {
      line(t, "  %-34s %10s   %s", "python peer", "-", fields.get("peer"));
      return;
    }
    Map<String, Object> details = (Map<String, Object>) fields.get("peer_details");
    line(
        t,
        "  %-34s %10.1f   pipeline/peer %.2f (torch %s thread(s), %s)",
        "python peer, batch " + details.get("batch_size"),
        number("peer_images_per_s"),
        number("pipeline_over_peer"),
        details.get("threads"),
        details.get("malloc"));
    String stages =
        ((Map<String, Object>) details.get("ms_per_image"))
            .entrySet().stream()
                .map(
                    e ->
                        String.format(
                            Locale.ROOT,
                            "%s %.2f",
                            e.getKey(),
                            ((Number) e.getValue()).doubleValue()))
                .collect(Collectors.joining(", "));
    line(t, "  %-34s %10s   peer ms/image: %s", "", "", stages);
  }

  private static Map<String, Object> latencyFields(LatencyProbe.Result latency) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("offered_images_per_s", latency.offeredPerSecond());
    f.put("images", latency.measured());
    f.put("p50_ms", latency.p50Millis());
    f.put("p99_ms", latency.p99Millis());
    f.put("p999_ms", latency.p999Millis());
    f.put("mean_batch_size", latency.meanBatchSize());
    f.put("breakdown", latency.breakdown());
    return f;
  }

  @SuppressWarnings("unchecked")
  private void latencyTable(StringBuilder t) {
    line(
        t,
        "Latency, publish to read_committed receipt (%s, idle flush %s):",
        fields.get("guarantee"),
        fields.get("idle_flush"));
    line(
        t,
        "  %10s %7s %8s %8s %8s %6s   %s",
        "offered/s",
        "images",
        "p50 ms",
        "p99 ms",
        "p99.9 ms",
        "batch",
        "p50 breakdown ms: arrival, queued, inference, commit");
    for (Map<String, Object> load : (List<Map<String, Object>>) fields.get("latency_loads")) {
      Map<String, Object> b = (Map<String, Object>) load.get("breakdown");
      line(
          t,
          "  %10.0f %7s %8.0f %8.0f %8.0f %6.1f   %.0f, %.0f, %.0f, %.0f",
          load.get("offered_images_per_s"),
          load.get("images"),
          load.get("p50_ms"),
          load.get("p99_ms"),
          load.get("p999_ms"),
          load.get("mean_batch_size"),
          b.get("publish_to_arrival_p50_ms"),
          b.get("queued_p50_ms"),
          b.get("inference_p50_ms"),
          b.get("processed_to_consumer_p50_ms"));
    }
  }

  /** The stream threads asked for, or the pipeline's own choice as the batched phase ran it. */
  @SuppressWarnings("unchecked")
  private String streamThreads() {
    if (!Integer.valueOf(0).equals(fields.get("threads"))) {
      return String.valueOf(fields.get("threads"));
    }
    Object profile = fields.get("profile_batched");
    Object running =
        profile instanceof Map ? ((Map<String, Object>) profile).get("stream_threads") : null;
    return running + " (the pipeline's choice)";
  }

  private static String met(Object met) {
    return Boolean.TRUE.equals(met) ? "met" : "NOT met";
  }

  private static void line(StringBuilder t, String format, Object... args) {
    t.append(String.format(Locale.ROOT, format, args)).append(System.lineSeparator());
  }
}
