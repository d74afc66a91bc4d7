package io.glimpse.model.inference;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.Locale;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a device setting into a DJL {@link Device}: {@code auto} (the first GPU when the PyTorch
 * engine sees one, otherwise the CPU), {@code cpu}, {@code gpu} (GPU 0) or {@code gpu:N}.
 *
 * <p>Asking for a GPU that DJL does not see is an error rather than a silent fall back to the CPU:
 * the bundled libtorch is CPU-only, and a GPU host must point DJL at a CUDA libtorch (design.md,
 * "DJL").
 */
public final class Devices {

  private static final String ENGINE = "PyTorch";
  private static final Pattern SPEC = Pattern.compile("(auto|cpu|gpu)(?::(\\d{1,4}))?");

  private Devices() {}

  /**
   * Parses a device setting, case-insensitively. Only {@code auto} and {@code gpu…} start the
   * engine to count GPUs.
   *
   * @param spec {@code auto}, {@code cpu}, {@code gpu} or {@code gpu:N}
   * @return the device
   * @throws IllegalArgumentException when the setting is malformed or names a GPU DJL does not see
   */
  public static Device parse(String spec) {
    return parse(spec, () -> Engine.getEngine(ENGINE).getGpuCount(), Devices::whatDjlSees);
  }

  static Device parse(String spec, IntSupplier gpuCount, Supplier<String> whatDjlSees) {
    Matcher m = SPEC.matcher(spec == null ? "" : spec.trim().toLowerCase(Locale.ROOT));
    if (!m.matches() || (m.group(2) != null && !m.group(1).equals("gpu"))) {
      throw new IllegalArgumentException(
          "device must be auto, cpu, gpu or gpu:N (N = 0, 1, ...), got \"" + spec + "\"");
    }
    return switch (m.group(1)) {
      case "cpu" -> Device.cpu();
      case "auto" -> gpuCount.getAsInt() > 0 ? Device.gpu(0) : Device.cpu();
      default ->
          gpu(spec, m.group(2) == null ? 0 : Integer.parseInt(m.group(2)), gpuCount, whatDjlSees);
    };
  }

  private static Device gpu(
      String spec, int index, IntSupplier gpuCount, Supplier<String> whatDjlSees) {
    int count = gpuCount.getAsInt();
    if (index >= count) {
      throw new IllegalArgumentException(noSuchGpu(spec, index, count, whatDjlSees.get()));
    }
    return Device.gpu(index);
  }

  private static String noSuchGpu(String spec, int index, int count, String whatDjlSees) {
    String fix =
        count > 0
            ? "use gpu:0 to gpu:" + (count - 1) + ", or auto"
            : "for a GPU, install a CUDA build of libtorch 2.7.1 and set PYTORCH_LIBRARY_PATH to its"
                + " lib directory, PYTORCH_VERSION=2.7.1 and PYTORCH_FLAVOR (e.g. cu124); or use"
                + " auto or cpu";
    return "device \""
        + spec
        + "\" needs GPU "
        + index
        + " but DJL sees "
        + count
        + " GPU(s) ("
        + whatDjlSees
        + "); "
        + fix;
  }

  private static String whatDjlSees() {
    Engine engine = Engine.getEngine(ENGINE);
    String libraryPath = System.getenv("PYTORCH_LIBRARY_PATH");
    return engine.getEngineName()
        + " engine, libtorch "
        + engine.getVersion()
        + ", "
        + (libraryPath == null
            ? "PYTORCH_LIBRARY_PATH unset, so the bundled CPU-only libtorch"
            : "PYTORCH_LIBRARY_PATH=" + libraryPath);
  }
}
