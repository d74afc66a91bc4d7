package io.glimpse.model.image;

import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * libturbojpeg, loaded at most once per JVM and only when a decoder may use it: which file loaded
 * (or why none did) and the reduced scales it decodes at.
 */
final class TurboJpeg {

  /** The Debian runtime package's soname first; plain {@code turbojpeg} finds other layouts. */
  private static final List<String> NAMES = List.of("libturbojpeg.so.0", "turbojpeg");

  private final String description;
  private final List<JpegScale> reductions;

  private TurboJpeg(String description, List<JpegScale> reductions) {
    this.description = description;
    this.reductions = reductions;
  }

  /**
   * Returns the loaded library, loading it on the first call.
   *
   * @return the library, or empty when it does not load ({@link #failure()} says why)
   */
  static Optional<TurboJpeg> loaded() {
    return Optional.ofNullable(Probe.LIBRARY);
  }

  /** Why the library did not load; empty when it did. */
  static String failure() {
    return Probe.FAILURE;
  }

  /**
   * For the log: the API generation and the file, e.g. {@code libjpeg-turbo 2.x
   * (libturbojpeg.so.0)}.
   */
  String description() {
    return description;
  }

  /**
   * The reductions offered for reduced-scale decoding: only 1/2, 1/4 and 1/8, which libjpeg-turbo
   * decodes with its fast reduced IDCTs (SIMD for 1/2 and 1/4, the DC coefficient alone for 1/8);
   * its other factors (3/8, 5/8, ...) go through slower generic scaled IDCTs.
   */
  List<JpegScale> reductions() {
    return reductions;
  }

  private static TurboJpeg load(List<String> failures) {
    for (String name : NAMES) {
      try {
        NativeLibrary library = NativeLibrary.getInstance(name);
        TurboJpegNatives.bind(library);
        return new TurboJpeg(
            "libjpeg-turbo " + apiGeneration(library) + " (" + library.getFile() + ")",
            offeredReductions());
      } catch (LinkageError e) {
        // UnsatisfiedLinkError when absent, or JNA's own native part failing to load.
        failures.add(name + ": " + e.getMessage());
      }
    }
    return null;
  }

  /** libjpeg-turbo 3 keeps the tj* API this class binds and adds tj3*: tell them apart. */
  private static String apiGeneration(NativeLibrary library) {
    try {
      library.getFunction("tj3Init");
      return "3.x";
    } catch (UnsatisfiedLinkError e) {
      return "2.x";
    }
  }

  private static List<JpegScale> offeredReductions() {
    int[] count = new int[1];
    Pointer factors = TurboJpegNatives.tjGetScalingFactors(count);
    List<JpegScale> reductions = new ArrayList<>();
    if (factors != null) {
      int[] pairs = factors.getIntArray(0, 2 * count[0]);
      for (int i = 0; i < pairs.length; i += 2) {
        if (pairs[i] == 1 && pairs[i + 1] > 1 && pairs[i + 1] <= 8) {
          reductions.add(new JpegScale(pairs[i], pairs[i + 1]));
        }
      }
    }
    return List.copyOf(reductions);
  }

  /** Loads on first use of {@link #loaded()}: the holder idiom makes it once and thread-safe. */
  private static final class Probe {
    private static final String FAILURE;
    private static final TurboJpeg LIBRARY;

    static {
      List<String> failures = new ArrayList<>();
      LIBRARY = load(failures);
      FAILURE = LIBRARY == null ? String.join("; ", failures) : "";
    }

    private Probe() {}
  }
}
