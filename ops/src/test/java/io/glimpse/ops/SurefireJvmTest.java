package io.glimpse.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The JVM the tests run in ({@code tools/surefire-jvm/bin/java}, the parent pom's {@code <jvm>})
 * drops libtorch's NNPACK warning from native stderr and nothing else. Run here with {@code sh}
 * standing in for java, so the test sees exactly what the wrapper passes through.
 */
class SurefireJvmTest {
  private static final Path WRAPPER = Path.of("..", "tools", "surefire-jvm", "bin", "java");

  @Test
  void dropsOnlyTheNnpackWarningAndKeepsTheExitCode() throws Exception {
    assertThat(Files.isExecutable(WRAPPER)).as(WRAPPER.toAbsolutePath().toString()).isTrue();
    ProcessBuilder builder =
        new ProcessBuilder(
            WRAPPER.toString(),
            "-c",
            "for i in 1 2 3; do echo '[W NNPACK.cpp:62] Could not initialize NNPACK! Reason:"
                + " Unsupported hardware.' >&2; done; echo 'a real error' >&2; echo out; exit 3");
    builder.environment().put("GLIMPSE_TEST_JAVA", "/bin/sh");
    builder.environment().remove("GLIMPSE_RAW_STDERR");
    Process process = builder.start();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(process.exitValue()).isEqualTo(3);
    assertThat(out).isEqualTo("out\n");
    assertThat(err).isEqualTo("a real error\n");
  }
}
