package io.glimpse.ops.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whether the Python peer can run, and what the report says when it cannot. */
class BenchPythonPeerTest {

  @Test
  void aMissingPythonIsNamed() {
    assertThat(PythonPeer.whyUnavailable(Path.of("/nonexistent/python3")))
        .contains("no /nonexistent/python3");
  }

  @Test
  void aMissingModuleIsNamedWithItsDebianPackage(@TempDir Path dir) throws IOException {
    Path python = dir.resolve("python3");
    Files.writeString(
        python,
        "#!/bin/sh\n"
            + "echo 'Traceback (most recent call last):' >&2\n"
            + "echo \"ModuleNotFoundError: No module named 'PIL'\" >&2\n"
            + "exit 1\n");
    Files.setPosixFilePermissions(python, PosixFilePermissions.fromString("rwx------"));

    assertThat(PythonPeer.whyUnavailable(python))
        .hasValueSatisfying(
            why -> assertThat(why).contains("cannot import PIL", "apt-get install python3-pil"));
  }

  @Test
  void aSkippedPeerLeavesOnlyItsReasonInTheReport() {
    assertThat(PythonPeer.skipped("--no-peer").fields(null))
        .containsExactly(Map.entry("peer", "skipped (--no-peer)"));
  }

  @Test
  void peerThreadsFollowTheInputSizeUnlessSet() {
    BenchSettings small = BenchSettings.builder().optInputSize(64).build();
    BenchSettings large = BenchSettings.builder().optWidthMultiplier(1).optInputSize(224).build();
    BenchSettings set = BenchSettings.builder().optInputSize(224).optPeerThreads(3).build();

    assertThat(small.peerThreadsOrDefault()).isEqualTo(1);
    assertThat(large.peerThreadsOrDefault())
        .isEqualTo(Math.min(2, Runtime.getRuntime().availableProcessors()));
    assertThat(set.peerThreadsOrDefault()).isEqualTo(3);
  }
}
