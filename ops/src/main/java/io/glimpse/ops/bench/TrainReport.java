package io.glimpse.ops.bench;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code bench train} measured, as a table or one JSON object. Step times are milliseconds of
 * one whole training step (forward, loss, backward, optimizer step) on one batch; warm-up steps are
 * left out. The ratio of a Glimpse side is PyTorch eager's median step time over its own, which is
 * its throughput over PyTorch's: at least 1.0 means Glimpse trains at least as fast.
 *
 * @param model the network
 * @param classes output classes
 * @param parameters trainable parameters, the same on both sides
 * @param batch images per step
 * @param steps measured steps per side
 * @param warmup warm-up steps per side, left out
 * @param cores the available processors
 * @param torch PyTorch's version, null when its side did not run
 * @param pytorchCpus the CPUs PyTorch's process inherited from the JVM (it then uses them all), or
 *     null
 * @param malloc the allocator this JVM runs on
 * @param batchCopyMillis median time to copy a batch from Java into libtorch (not in the steps)
 * @param sides Glimpse's layouts, then PyTorch eager
 * @param phases one Glimpse worker's step phase by phase beside PyTorch's; empty when not measured
 */
public record TrainReport(
    String model,
    int classes,
    long parameters,
    int batch,
    int steps,
    int warmup,
    int cores,
    String torch,
    @JsonProperty("pytorch_cpus_inherited") String pytorchCpus,
    String malloc,
    @JsonProperty("batch_copy_ms") double batchCopyMillis,
    List<Side> sides,
    List<Phase> phases) {

  /**
   * One side's step times.
   *
   * @param name what ran
   * @param workers threads sharing each batch
   * @param threads libtorch's intra-op threads per worker
   * @param threadsSeen the intra-op threads a newly started thread saw (Glimpse), or null
   * @param medianMillis median step
   * @param p90Millis 90th percentile step (nearest rank)
   * @param imagesPerSecond the batch over the median step
   * @param glimpseOverPytorch PyTorch's median step over this side's; null without PyTorch
   * @param firstLoss the batch loss of the first measured step (Glimpse), or null
   * @param lastLoss the batch loss of the last measured step (Glimpse), or null
   */
  public record Side(
      String name,
      int workers,
      int threads,
      @JsonProperty("threads_seen") Integer threadsSeen,
      @JsonProperty("median_ms") double medianMillis,
      @JsonProperty("p90_ms") double p90Millis,
      @JsonProperty("images_per_s") double imagesPerSecond,
      @JsonProperty("glimpse_over_pytorch") Double glimpseOverPytorch,
      @JsonProperty("first_loss") Float firstLoss,
      @JsonProperty("last_loss") Float lastLoss) {

    /** A side from its step times; {@code pytorchMedian} NaN when PyTorch did not run. */
    static Side of(
        String name,
        int workers,
        int threads,
        List<Double> millis,
        int batch,
        double pytorchMedian) {
      double[] sorted = millis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      double median = EngineBench.median(sorted);
      return new Side(
          name,
          workers,
          threads,
          null,
          median,
          LatencyProbe.percentile(sorted, 0.9),
          batch * 1000.0 / median,
          Double.isNaN(pytorchMedian) ? null : pytorchMedian / median,
          null,
          null);
    }

    /** This side with what only Glimpse's sides know: threads seen, first and last loss. */
    Side withGlimpseDetails(int seen, float first, float last) {
      return new Side(
          name,
          workers,
          threads,
          seen,
          medianMillis,
          p90Millis,
          imagesPerSecond,
          glimpseOverPytorch,
          first,
          last);
    }
  }

  /**
   * One phase of a step: median milliseconds on each side.
   *
   * @param name forward, loss, backward, read_back (loss and predictions to the host language),
   *     optimizer, or whole step
   * @param glimpseMillis one Glimpse worker on the calling thread
   * @param pytorchMillis PyTorch eager, null without PyTorch
   */
  public record Phase(
      String name,
      @JsonProperty("glimpse_ms") double glimpseMillis,
      @JsonProperty("pytorch_ms") Double pytorchMillis) {

    /** Glimpse's time over PyTorch's (above 1: Glimpse is slower in this phase), or null. */
    @JsonProperty("glimpse_time_over_pytorch")
    public Double glimpseTimeOverPytorch() {
      return pytorchMillis == null ? null : glimpseMillis / pytorchMillis;
    }
  }

  /** The report as one JSON object. */
  public String toJson() {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("model", model);
    fields.put("classes", classes);
    fields.put("parameters", parameters);
    fields.put("batch", batch);
    fields.put("steps", steps);
    fields.put("warmup", warmup);
    fields.put("cores", cores);
    fields.put("torch", torch);
    fields.put("pytorch_cpus_inherited", pytorchCpus);
    fields.put("malloc", malloc);
    fields.put("batch_copy_ms", batchCopyMillis);
    fields.put("sides", sides);
    fields.put("phases", phases);
    return Json.write(fields);
  }

  /** The report as aligned tables. */
  public String toTable() {
    StringBuilder t = new StringBuilder();
    line(
        t,
        "bench train: %s, %d classes, %d trainable parameters, batch %d, SGD momentum (the"
            + " default recipe's step)",
        model,
        classes,
        parameters,
        batch);
    line(
        t,
        "%d cores; %d measured steps per side after %d warm-up, sides alternating; torch %s"
            + " (started with CPUs %s); malloc %s",
        cores,
        steps,
        warmup,
        torch == null ? "not run" : torch,
        pytorchCpus,
        malloc);
    line(t, "");
    line(
        t,
        "%-22s %7s %7s %10s %8s %10s %10s",
        "side",
        "workers",
        "threads",
        "median ms",
        "p90 ms",
        "images/s",
        "vs PyTorch");
    for (Side s : sides) {
      line(
          t,
          "%-22s %7d %7s %10.1f %8.1f %10.1f %10s",
          s.name(),
          s.workers(),
          s.threads() + (s.threadsSeen() == null ? "" : " (" + s.threadsSeen() + ")"),
          s.medianMillis(),
          s.p90Millis(),
          s.imagesPerSecond(),
          s.glimpseOverPytorch() == null ? "-" : format("%.2fx", s.glimpseOverPytorch()));
    }
    line(
        t,
        "vs PyTorch = PyTorch eager's median step / this side's (throughput ratio; >= 1.00x is at"
            + " least as fast). threads (n): what a newly started thread saw.");
    if (!phases.isEmpty()) {
      line(t, "");
      line(t, "Where the time goes: one worker on every core, median ms per phase");
      line(t, "%-12s %10s %10s %16s", "phase", "Glimpse", "PyTorch", "Glimpse/PyTorch");
      for (Phase p : phases) {
        line(
            t,
            "%-12s %10.2f %10s %16s",
            p.name(),
            p.glimpseMillis(),
            p.pytorchMillis() == null ? "-" : format("%.2f", p.pytorchMillis()),
            p.glimpseTimeOverPytorch() == null ? "-" : format("%.2fx", p.glimpseTimeOverPytorch()));
      }
    }
    line(t, "Copying a batch from Java into libtorch (not in the steps): %.2f ms", batchCopyMillis);
    return t.toString();
  }

  private static String format(String pattern, Object... args) {
    return String.format(Locale.ROOT, pattern, args);
  }

  private static void line(StringBuilder t, String pattern, Object... args) {
    t.append(format(pattern, args)).append('\n');
  }
}
