package io.glimpse.model.mobilenet;

import java.util.Locale;

/**
 * The number format a folded MobileNetV1 computes in. {@link #FP32} is what it was trained in;
 * {@link #BF16} casts the folded weights and each batch to bfloat16 (8 bits of mantissa, fp32's
 * range), which oneDNN runs with AVX-512 BF16 or AMX instructions where the CPU has them. Inputs
 * and outputs stay fp32 either way.
 */
public enum Precision {
  /** 32-bit floats: the trained model's own results. */
  FP32,
  /** bfloat16 convolutions, fp32 pooling and classifier: faster on CPUs with AVX-512 BF16. */
  BF16;

  /**
   * Parses a setting's value.
   *
   * @param text {@code fp32} or {@code bf16}, either case
   * @return the precision
   * @throws IllegalArgumentException for anything else, naming the accepted values
   */
  public static Precision parse(String text) {
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "fp32" -> FP32;
      case "bf16" -> BF16;
      default ->
          throw new IllegalArgumentException("precision must be fp32 or bf16, got '" + text + "'");
    };
  }

  /** The name settings, logs and the TorchScript program use: {@code fp32} or {@code bf16}. */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }
}
