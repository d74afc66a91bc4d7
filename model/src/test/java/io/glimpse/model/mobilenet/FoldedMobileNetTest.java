package io.glimpse.model.mobilenet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.glimpse.model.RequiredPackage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The folded serving form computes what the trained block computes, from the same parameters. */
class FoldedMobileNetTest {
  @TempDir Path tmp;

  /**
   * Batch norms with non-trivial statistics (a fresh block's fold to the identity), grayscale and
   * RGB, a stride-2 stem and every layer of the table: logits within 1e-5 of the block's.
   */
  @Test
  void foldedLogitsMatchTheTrainedBlock() throws IOException {
    for (int channels : new int[] {1, 3}) {
      Block block =
          MobileNetV1.builder()
              .setNumClasses(7)
              .optWidthMultiplier(0.25f)
              .optInputChannels(channels)
              .build();
      try (Model trained = Model.newInstance("trained", Device.cpu(), "PyTorch")) {
        trained.setBlock(block);
        block.initialize(trained.getNDManager(), DataType.FLOAT32, new Shape(1, channels, 40, 40));
        randomizeBatchNorms(block, trained.getNDManager());
        try (Model folded = FoldedMobileNet.fold(trained);
            NDManager manager = NDManager.newBaseManager(Device.cpu())) {
          NDArray x = manager.randomNormal(new Shape(3, channels, 40, 40));
          float[] expected = forward(block, x);
          float[] actual = forward(folded.getBlock(), x);
          assertThat(actual).hasSize(3 * 7);
          float scale = 1f;
          float difference = 0f;
          for (int i = 0; i < expected.length; i++) {
            scale = Math.max(scale, Math.abs(expected[i]));
            difference = Math.max(difference, Math.abs(actual[i] - expected[i]));
          }
          assertThat(difference)
              .as("largest logit difference, %d channels, largest logit %s", channels, scale)
              .isLessThanOrEqualTo(1e-5f * scale);
        }
      }
    }
  }

  @Test
  void rejectsABlockThatIsNotMobileNet() {
    try (Model model = Model.newInstance("other", Device.cpu(), "PyTorch")) {
      Block other = new SequentialBlock().add(Linear.builder().setUnits(3).build());
      model.setBlock(other);
      other.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 4));
      assertThatThrownBy(() -> FoldedMobileNet.fold(model))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("expected a MobileNetV1 block (27 convolutions");
    }
  }

  /** The committed program is what its script writes (same TorchScript code). */
  @Test
  void committedProgramIsWhatTheScriptWrites() throws Exception {
    Path script = Path.of("src/main/torchscript/folded_mobilenet_v1.py");
    Path written = tmp.resolve("folded_mobilenet_v1.pt");
    Process python =
        new ProcessBuilder("/usr/bin/python3", script.toString(), written.toString())
            .redirectErrorStream(true)
            .start();
    boolean done = python.waitFor(120, TimeUnit.SECONDS);
    String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    RequiredPackage.assumeInstalled(
        done && !output.contains("No module named 'torch'"), "python3-torch");
    assertThat(python.exitValue()).as(output).isZero();
    Path committed = tmp.resolve("committed.pt");
    try (InputStream in = FoldedMobileNet.class.getResourceAsStream(FoldedMobileNet.PROGRAM)) {
      Files.copy(in, committed);
    }
    assertThat(code(committed)).isEqualTo(code(written)).contains("def setup(");
  }

  private static String code(Path archive) throws IOException {
    try (ZipFile zip = new ZipFile(archive.toFile())) {
      for (ZipEntry e : Collections.list(zip.entries())) {
        if (e.getName().endsWith("/code/__torch__.py")) {
          try (InputStream in = zip.getInputStream(e)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
          }
        }
      }
    }
    throw new AssertionError("no code/__torch__.py in " + archive);
  }

  private static float[] forward(Block block, NDArray x) {
    NDList out = block.forward(new ParameterStore(x.getManager(), false), new NDList(x), false);
    return out.singletonOrThrow().toFloatArray();
  }

  /** gamma in [0.5, 1.5], beta and running mean normal, running variance in [0.1, 2.1]. */
  private static void randomizeBatchNorms(Block block, NDManager manager) {
    for (Pair<String, Parameter> p : block.getParameters()) {
      NDArray array = p.getValue().getArray();
      Shape shape = array.getShape();
      NDArray value =
          switch (p.getValue().getName()) {
            case "gamma" -> manager.randomUniform(0.5f, 1.5f, shape);
            case "beta", "runningMean" -> manager.randomNormal(shape);
            case "runningVar" -> manager.randomUniform(0.1f, 2.1f, shape);
            default -> null;
          };
      if (value != null) {
        array.set(value.toByteBuffer());
      }
    }
  }
}
