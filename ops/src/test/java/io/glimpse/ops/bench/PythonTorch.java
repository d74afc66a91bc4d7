package io.glimpse.ops.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Whether the benchmarks' PyTorch side can run here: Debian's python3 imports torch. */
final class PythonTorch {
  private PythonTorch() {}

  static boolean available() throws Exception {
    if (!Files.isExecutable(Path.of(PyTorchBaseline.PYTHON))) {
      return false;
    }
    Process probe =
        new ProcessBuilder(PyTorchBaseline.PYTHON, "-c", "import torch")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    return probe.waitFor(60, TimeUnit.SECONDS) && probe.exitValue() == 0;
  }
}
