package io.glimpse.ops.bench;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Locale;

/**
 * What {@code bench engine} measured, as a table or one JSON object.
 *
 * @param device the device Glimpse's forward passes ran on
 * @param threads libtorch's intra-op threads (both sides use the same number)
 * @param malloc the allocator this JVM runs on
 * @param torch the PyTorch version of the other side, null when it did not run
 * @param results one per model and batch size
 */
public record EngineReport(
    String device, int threads, String malloc, String torch, List<Result> results) {

  /**
   * One model at one batch size; images per second, medians of the rounds.
   *
   * @param model the network, as {@code bench pipeline} names it
   * @param batch the batch size
   * @param parameters trainable parameters, the same on both sides
   * @param servedAs how Glimpse ran it (folded TorchScript normally)
   * @param glimpse Glimpse's forward pass as the pipeline runs it
   * @param bf16ServedAs how Glimpse ran the bf16 side ({@code folded TorchScript bf16} normally)
   * @param glimpseBf16 the same with {@code glimpse.model.precision=bf16}
   * @param glimpseUnfolded the same with the trained DJL block run op by op ({@code
   *     optFold(false)})
   * @param pytorchEager PyTorch eager under no_grad, null without PyTorch
   * @param pytorchTorchScript PyTorch's traced and frozen TorchScript, null without PyTorch
   */
  public record Result(
      String model,
      int batch,
      long parameters,
      @JsonProperty("glimpse_served_as") String servedAs,
      @JsonProperty("glimpse_images_per_s") double glimpse,
      @JsonProperty("glimpse_bf16_served_as") String bf16ServedAs,
      @JsonProperty("glimpse_bf16_images_per_s") double glimpseBf16,
      @JsonProperty("glimpse_unfolded_images_per_s") double glimpseUnfolded,
      @JsonProperty("pytorch_eager_images_per_s") Double pytorchEager,
      @JsonProperty("pytorch_torchscript_images_per_s") Double pytorchTorchScript) {

    /** Glimpse over PyTorch eager, null without PyTorch. */
    @JsonProperty("glimpse_over_pytorch_eager")
    public Double glimpseOverPytorchEager() {
      return pytorchEager == null ? null : glimpse / pytorchEager;
    }

    /** Glimpse in bf16 over PyTorch eager (fp32), null without PyTorch. */
    @JsonProperty("glimpse_bf16_over_pytorch_eager")
    public Double glimpseBf16OverPytorchEager() {
      return pytorchEager == null ? null : glimpseBf16 / pytorchEager;
    }
  }

  /** One line of JSON. */
  public String toJson() {
    try {
      return new ObjectMapper().writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the engine report as JSON", e);
    }
  }

  /** A table, one row per model and batch size. */
  public String toTable() {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "device %s, %d intra-op thread(s), %s, PyTorch %s%n",
            device,
            threads,
            malloc,
            torch == null ? "absent" : torch));
    out.append(
        String.format(
            Locale.ROOT,
            "%-34s %5s %10s %10s %10s %10s %10s %8s %9s%n",
            "model",
            "batch",
            "glimpse",
            "bf16",
            "unfolded",
            "pt eager",
            "pt script",
            "g/eager",
            "bf16/eagr"));
    for (Result r : results) {
      out.append(
          String.format(
              Locale.ROOT,
              "%-34s %5d %10.1f %10.1f %10.1f %10s %10s %8s %9s%n",
              r.model(),
              r.batch(),
              r.glimpse(),
              r.glimpseBf16(),
              r.glimpseUnfolded(),
              format(r.pytorchEager(), "%.1f"),
              format(r.pytorchTorchScript(), "%.1f"),
              format(r.glimpseOverPytorchEager(), "%.2f"),
              format(r.glimpseBf16OverPytorchEager(), "%.2f")));
    }
    return out.append("images/s, median of alternating rounds\n").toString();
  }

  private static String format(Double value, String pattern) {
    return value == null ? "-" : String.format(Locale.ROOT, pattern, value);
  }
}
