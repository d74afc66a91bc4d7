package io.glimpse.ops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class GlimpseCliTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = GlimpseCli.newCommandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @Test
  void helpListsTheCommands() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString()).contains("stack", "demo");
  }

  @Test
  void usageErrorsExitWithTwo() {
    assertThat(run()).isEqualTo(2);
    assertThat(run("demo", "--no-such-option")).isEqualTo(2);
    assertThat(run("demo", "--duration", "-1")).isEqualTo(2);
    assertThat(err.toString()).contains("--duration must be 0 or more seconds");
  }

  @Test
  void aFailureExitsWithOneAndOneLine(@TempDir Path tmp) throws Exception {
    Path file = Files.writeString(tmp.resolve("file"), "x");

    assertThat(run("stack", "--data-dir", file.toString())).isEqualTo(1);
    assertThat(err.toString().strip())
        .startsWith("glimpse: Kafka data directory " + file)
        .doesNotContain("\n", "\tat ");

    assertThat(run("stack", "--verbose", "--data-dir", file.toString())).isEqualTo(1);
    assertThat(err.toString()).contains("EmbeddedStackException", "\tat ");
  }

  @Test
  void demoRunsTheStackForTheGivenDuration(@TempDir Path tmp) {
    String dataDir = tmp.resolve("kafka").toString();

    assertThat(
            run(
                "demo",
                "--duration",
                "1",
                "--port",
                "0",
                "--registry-port",
                "0",
                "--data-dir",
                dataDir))
        .isZero();
    assertThat(out.toString())
        .contains(
            "pipeline is not built yet", "Stack is up: Kafka at 127.0.0.1:", "Stack stopped.");
  }
}
