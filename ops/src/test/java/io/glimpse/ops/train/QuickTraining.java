package io.glimpse.ops.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code glimpse train} command lines for the tests that train through the CLI: runs that take
 * seconds on a CPU.
 */
public final class QuickTraining {

  private QuickTraining() {}

  /** One epoch of at most two batches of 16, MobileNet width 0.25, one thread. */
  public static List<String> tinyRunOptions() {
    return List.of(
        "--epochs",
        "1",
        "--max-batches",
        "2",
        "--batch-size",
        "16",
        "--width",
        "0.25",
        "--threads",
        "1");
  }

  /**
   * {@code glimpse train} on 200 synthetic images ({@link #tinyRunOptions()}), publishing version
   * after version of {@code name} to {@code store} with {@code --promote} on the given broker and
   * registry, then {@code extra} (e.g. the S3 endpoint).
   *
   * @param output the run directory ({@code --output})
   */
  public static String[] syntheticAndPromoted(
      String name,
      String store,
      Path output,
      String bootstrapServers,
      String schemaRegistryUrl,
      String... extra) {
    List<String> line =
        new ArrayList<>(List.of("train", "--dataset", "synthetic", "--limit", "200"));
    line.addAll(tinyRunOptions());
    line.addAll(
        List.of(
            "--name",
            name,
            "--store",
            store,
            "--output",
            output.toString(),
            "--promote",
            "--bootstrap-servers",
            bootstrapServers,
            "--schema-registry-url",
            schemaRegistryUrl));
    line.addAll(List.of(extra));
    return line.toArray(String[]::new);
  }
}
