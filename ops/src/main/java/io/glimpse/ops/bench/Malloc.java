package io.glimpse.ops.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Which malloc this JVM runs on, from the libraries mapped into it: libtorch's CPU inference is
 * 8-25x slower on glibc's malloc than on tcmalloc here, so a benchmark must say.
 */
final class Malloc {
  private Malloc() {}

  /** {@code tcmalloc}, {@code jemalloc}, or {@code glibc} when neither is mapped. */
  static String inUse() {
    try (Stream<String> maps = Files.lines(Path.of("/proc/self/maps"))) {
      return maps.map(Malloc::allocatorOf).filter(a -> a != null).findFirst().orElse("glibc");
    } catch (IOException | RuntimeException e) {
      return "unknown (no /proc/self/maps)";
    }
  }

  private static String allocatorOf(String mapping) {
    if (mapping.contains("libtcmalloc")) {
      return "tcmalloc";
    }
    if (mapping.contains("libjemalloc")) {
      return "jemalloc";
    }
    return null;
  }
}
