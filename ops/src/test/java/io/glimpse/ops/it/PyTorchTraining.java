package io.glimpse.ops.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.glimpse.trainer.data.FashionMnist;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A MobileNetV1 trained in real PyTorch ({@code /usr/bin/python3}, Debian's python3-torch) by
 * {@code torchscript/train_mobilenet.py}: the TorchScript file it exported, the 32×32 test images
 * it evaluated, and PyTorch's own softmax probabilities and accuracy on them.
 */
final class PyTorchTraining {
  static final String PYTHON = "/usr/bin/python3";
  private static final String SCRIPT = "torchscript/train_mobilenet.py";
  private static final String NETWORK = "bench/pytorch_engine.py";
  private static final List<String> DATA_FILES =
      List.of(
          "train-images-idx3-ubyte.gz",
          "train-labels-idx1-ubyte.gz",
          "t10k-images-idx3-ubyte.gz",
          "t10k-labels-idx1-ubyte.gz");

  private final Path torchScript;
  private final JsonNode expected;
  private final byte[] pixels;
  private final int side;

  private PyTorchTraining(Path dir) throws IOException {
    torchScript = dir.resolve("mobilenet.pt");
    expected = new ObjectMapper().readTree(dir.resolve("expected.json").toFile());
    pixels = Files.readAllBytes(dir.resolve("test-images.u8"));
    side = expected.get("side").asInt();
  }

  /** Whether python3 imports torch and numpy and Fashion-MNIST is installed. */
  static boolean available() throws IOException, InterruptedException {
    for (String file : DATA_FILES) {
      if (!Files.isRegularFile(FashionMnist.DEFAULT_DIRECTORY.resolve(file))) {
        return false;
      }
    }
    if (!Files.isExecutable(Path.of(PYTHON))) {
      return false;
    }
    Process probe =
        new ProcessBuilder(PYTHON, "-c", "import torch, numpy")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    if (!probe.waitFor(60, TimeUnit.SECONDS)) {
      probe.destroyForcibly();
      return false;
    }
    return probe.exitValue() == 0;
  }

  /**
   * Runs the training script with its defaults, writing into {@code dir}.
   *
   * @throws AssertionError with the script's output when it fails or overruns {@code timeout}
   */
  static PyTorchTraining run(Path dir, Duration timeout) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    Path script = dir.resolve("train_mobilenet.py");
    try (InputStream in = PyTorchTraining.class.getResourceAsStream("/" + SCRIPT)) {
      if (in == null) {
        throw new IOException(SCRIPT + " is not on the test classpath");
      }
      Files.copy(in, script);
    }
    try (InputStream in = PyTorchTraining.class.getResourceAsStream("/" + NETWORK)) {
      if (in == null) {
        throw new IOException(NETWORK + " is not on the classpath");
      }
      Files.copy(in, dir.resolve("pytorch_engine.py"));
    }
    Path log = dir.resolve("python.log");
    Process python =
        new ProcessBuilder(
                PYTHON,
                script.toString(),
                FashionMnist.DEFAULT_DIRECTORY.toString(),
                dir.resolve("out").toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    if (!python.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      python.destroyForcibly().waitFor();
      throw new AssertionError(SCRIPT + " did not finish in " + timeout + ":\n" + read(log));
    }
    if (python.exitValue() != 0) {
      throw new AssertionError(SCRIPT + " exited " + python.exitValue() + ":\n" + read(log));
    }
    return new PyTorchTraining(dir.resolve("out"));
  }

  private static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8);
  }

  /** The exported TorchScript module (logits out). */
  Path torchScript() {
    return torchScript;
  }

  /** Height and width of the test images, and of the module's input. */
  int side() {
    return side;
  }

  /** The MobileNet width multiplier α the module was built with, as the script wrote it. */
  String widthMultiplier() {
    return expected.get("alpha").asText();
  }

  /** The mean of pixel / 255 the module was trained with, as the script wrote it. */
  String mean() {
    return expected.get("mean").asText();
  }

  /** The standard deviation the module was trained with. */
  String std() {
    return expected.get("std").asText();
  }

  /** How many test images there are. */
  int size() {
    return expected.get("labels").size();
  }

  /** Test image {@code i}: side × side gray pixels, row-major. */
  byte[] image(int i) {
    int bytes = side * side;
    return Arrays.copyOfRange(pixels, i * bytes, (i + 1) * bytes);
  }

  /** The true class of test image {@code i}. */
  int label(int i) {
    return expected.get("labels").get(i).asInt();
  }

  /** PyTorch's softmax probabilities for test image {@code i}, one per class. */
  double[] probabilities(int i) {
    JsonNode row = expected.get("probabilities").get(i);
    double[] probabilities = new double[row.size()];
    for (int c = 0; c < probabilities.length; c++) {
      probabilities[c] = row.get(c).asDouble();
    }
    return probabilities;
  }

  /** How many test images PyTorch classified correctly. */
  int correct() {
    return expected.get("correct").asInt();
  }

  /** The PyTorch version that trained and exported the module. */
  String torchVersion() {
    return expected.get("torch").asText();
  }
}
