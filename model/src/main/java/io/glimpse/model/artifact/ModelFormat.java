package io.glimpse.model.artifact;

import java.util.Locale;

/** How an artifact stores its parameters. */
public enum ModelFormat {
  /** DJL's own parameter file ({@code Model.save}); the network is rebuilt from the manifest. */
  DJL,
  /** A TorchScript module ({@code .pt}) that carries its own network. */
  TORCHSCRIPT;

  /**
   * Returns the name used in {@code manifest.json}: {@code djl} or {@code torchscript}.
   *
   * @return the lower-case JSON name
   */
  public String jsonName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses a {@link #jsonName()}.
   *
   * @param name {@code djl} or {@code torchscript}
   * @return the format
   * @throws IllegalArgumentException for any other name
   */
  public static ModelFormat fromJsonName(String name) {
    for (ModelFormat format : values()) {
      if (format.jsonName().equals(name)) {
        return format;
      }
    }
    throw new IllegalArgumentException(
        "model format must be \"djl\" or \"torchscript\", got \"" + name + "\"");
  }
}
