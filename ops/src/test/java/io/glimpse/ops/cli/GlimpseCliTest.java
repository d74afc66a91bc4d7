package io.glimpse.ops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.glimpse.model.artifact.InputShape;
import io.glimpse.model.mobilenet.UntrainedModels;
import io.glimpse.trainer.data.FashionMnist;
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
    assertThat(out.toString()).contains("up", "publish", "tail", "stack", "demo");
  }

  @Test
  void upPublishAndTailExplainThemselvesWithExamplesAndSharedConnectionFlags() {
    for (String command : new String[] {"up", "publish", "tail"}) {
      CliRun run = CliRun.run(command, "--help");
      assertThat(run.code()).isZero();
      assertThat(run.out()).contains("Examples:", "glimpse " + command);
    }
    for (String command : new String[] {"publish", "tail", "models list"}) {
      CliRun run = CliRun.run((command + " --help").split(" "));
      assertThat(run.out())
          .as(command)
          .contains("--bootstrap-servers", "--schema-registry-url", "--config", "GLIMPSE_KAFKA_");
    }
    assertThat(CliRun.run().err()).contains("choose up, publish, tail, demo,");
  }

  @Test
  void usageErrorsExitWithTwo() {
    assertThat(run()).isEqualTo(2);
    assertThat(run("demo", "--no-such-option")).isEqualTo(2);
    assertThat(run("demo", "--duration", "-1")).isEqualTo(2);
    assertThat(run("demo", "--retrain-every", "10")).isEqualTo(2);
    assertThat(err.toString())
        .contains("--duration, --promote-after and --improve-batches must be 0");
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
  void demoRunsTheWholePipelineForTheGivenDuration(@TempDir Path tmp) throws Exception {
    Path model = tmp.resolve("model");
    UntrainedModels.write(
        model, "demo", "untrained", 0.25f, new InputShape(1, 32, 32), FashionMnist.CLASSES, 3);

    int code =
        run(
            "demo",
            "--duration",
            "6",
            "--rate",
            "50",
            "--model",
            model.toString(),
            "--port",
            "0",
            "--registry-port",
            "0",
            "--http-port",
            "0",
            "--data-dir",
            tmp.resolve("data").toString());

    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString())
        .contains("Stack is up: Kafka at 127.0.0.1:", "Pipeline running", " images/s | e2e p50")
        .containsPattern("live page on http://127\\.0\\.0\\.1:\\d+/ ")
        .containsOnlyOnce("Demo summary (")
        .contains("model served  demo untrained (")
        .containsOnlyOnce("Stack stopped.");
  }
}
