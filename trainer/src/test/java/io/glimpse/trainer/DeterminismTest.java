package io.glimpse.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.glimpse.trainer.data.Augmentation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the trainer README promises about determinism: two runs with the same settings (seed, worker
 * count) on the same machine export the same weights, bit for bit, with every random part of the
 * recipe switched on (flips, random erasing, the average of the weights). A run with another seed
 * must differ, so that the comparison could fail. Different worker counts, and machines whose CPUs
 * take other SIMD paths through libtorch, are not covered by the promise (see the README).
 */
class DeterminismTest {

  @TempDir Path dir;

  @ParameterizedTest(name = "{0} worker(s)")
  @ValueSource(ints = {1, 2})
  void twoIdenticalRunsExportIdenticalWeights(int workers) throws Exception {
    String first = paramsSha256(run("a", workers, 9));
    String second = paramsSha256(run("b", workers, 9));
    String otherSeed = paramsSha256(run("c", workers, 10));

    assertThat(second).isEqualTo(first);
    assertThat(otherSeed).isNotEqualTo(first);
  }

  private Path run(String name, int workers, long seed) throws Exception {
    TrainingConfig config =
        SmokeRuns.synthetic(dir.resolve(name), 2, 5)
            .optWorkers(workers)
            .optAugmentation(Augmentation.FLIP_ONLY)
            .optErasing(0.5f)
            .optAverageDecay(0.9f)
            .optSeed(seed)
            .build();
    return new TrainingJob(config, ProgressListener.NONE).run().artifactDirectory();
  }

  /** The SHA-256 of the artifact's parameter files (the manifest holds timings, so not it). */
  private static String paramsSha256(Path artifact) throws Exception {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    List<Path> params = paramFiles(artifact);
    assertThat(params).isNotEmpty();
    for (Path file : params) {
      digest.update(Files.readAllBytes(file));
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static List<Path> paramFiles(Path artifact) throws IOException {
    try (Stream<Path> files = Files.list(artifact)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".params")).sorted().toList();
    }
  }
}
