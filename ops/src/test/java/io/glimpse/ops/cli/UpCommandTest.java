package io.glimpse.ops.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.glimpse.model.artifact.InputShape;
import io.glimpse.model.mobilenet.UntrainedModels;
import io.glimpse.ops.demo.DemoData;
import io.glimpse.ops.demo.DemoModel;
import io.glimpse.trainer.data.SyntheticShapes;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code glimpse up} in this JVM on free ports: on a fresh stack it deploys the demo's quick model
 * (made here, untrained, so nothing is trained), prints where to connect and what it serves; images
 * published there come out as predictions of that version, and its live page shows a promotion;
 * asked to stop, it stops the pipeline, then the stack.
 */
class UpCommandTest {
  static final Pattern BOOTSTRAP = Pattern.compile("Kafka bootstrap servers  (\\S+)");
  static final Pattern REGISTRY = Pattern.compile("schema registry          (\\S+)");
  static final Pattern PAGE = Pattern.compile("live page                (\\S+)");

  @TempDir Path tmp;

  @Test
  void servesTheDemoModelOnAFreshStackAndStopsCleanly() throws Exception {
    Path dataDir = tmp.resolve("data");
    DemoData data = DemoData.find(tmp.resolve("no-fashion-mnist"));
    UntrainedModels.write(
        DemoModel.quickArtifact(dataDir, data),
        DemoModel.modelName(data),
        DemoModel.QUICK_VERSION,
        0.25f,
        new InputShape(1, 32, 32),
        SyntheticShapes.CLASSES,
        1);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    AtomicInteger code = new AtomicInteger(-1);
    Thread up =
        startUp(
            dataDir,
            tmp.resolve("no-fashion-mnist"),
            out,
            err,
            code,
            "--set",
            "glimpse.batch.max.linger.ms=20");
    try {
      awaitOutput(out, "Ctrl-C stops.", up);
      String printed = out.toString();
      assertThat(printed)
          .contains("Nothing is deployed yet: deploying the demo's quick model (synthetic).")
          .contains("Promoted demo-synthetic quick-1")
          .contains("  model                    demo-synthetic quick-1")
          .contains(
              "  trained on               (not recorded); labels "
                  + String.join(", ", SyntheticShapes.CLASSES))
          .containsPattern("pipeline health +http://127\\.0\\.0\\.1:\\d+/health");
      String bootstrap = group(BOOTSTRAP, printed);
      String registry = group(REGISTRY, printed);
      String page = group(PAGE, printed);
      assertThat(get(page)).contains("<title>Glimpse");

      Path images = Files.createDirectories(tmp.resolve("images/circle"));
      for (int i = 0; i < 3; i++) {
        BufferedImage image = new BufferedImage(32, 32, BufferedImage.TYPE_BYTE_GRAY);
        image.getRaster().setSample(i, i, 0, 255);
        ImageIO.write(image, "png", images.resolve(i + ".png").toFile());
      }
      CliRun publish =
          CliRun.on(bootstrap, registry, "publish", images.toString(), "--label-from-dir");
      assertThat(publish.code()).as(publish.printed()).isZero();

      CliRun tail =
          CliRun.on(
              bootstrap, registry, "tail", "--from-beginning", "--max", "3", "--timeout", "60");
      assertThat(tail.code()).as(tail.printed()).isZero();
      assertThat(tail.out().lines())
          .hasSize(3)
          .allSatisfy(
              line ->
                  assertThat(line)
                      .contains("(true: circle)", "model demo-synthetic quick-1")
                      .containsPattern(" [a-z-]+ [01]\\.\\d\\d "));

      Path v2 = tmp.resolve("v2");
      UntrainedModels.write(
          v2,
          DemoModel.modelName(data),
          "2",
          0.25f,
          new InputShape(1, 32, 32),
          SyntheticShapes.CLASSES,
          2);
      String store = dataDir.resolve("models/store").toString();
      for (String[] models :
          List.of(
              new String[] {"models", "register", v2.toString(), "--store", store},
              new String[] {
                "models", "promote", DemoModel.modelName(data), "2", "--store", store
              })) {
        CliRun run = CliRun.on(bootstrap, registry, models);
        assertThat(run.code()).as(run.printed()).isZero();
      }
      awaitOutput(out, "Now serving demo-synthetic 2.", up);
      await("the live page's models view shows the promotion")
          .atMost(Duration.ofSeconds(60))
          .until(() -> get(page + "api/models").contains("\"deployment\":{\"version\":\"2\""));
    } finally {
      up.interrupt();
      up.join(Duration.ofSeconds(60).toMillis());
    }
    assertThat(up.isAlive()).isFalse();
    assertThat(code.get()).as(err.toString()).isZero();
    String printed = out.toString();
    assertThat(printed.indexOf("Pipeline stopped."))
        .as("the pipeline stops before the stack")
        .isPositive()
        .isLessThan(printed.indexOf("Stack stopped."));
  }

  /**
   * Starts {@code glimpse up} on a thread on free ports, its data in {@code dataDir}, without
   * Fashion-MNIST (so with the demo's synthetic shapes); {@code code} gets its exit code.
   */
  static Thread startUp(
      Path dataDir,
      Path noFashionMnist,
      StringWriter out,
      StringWriter err,
      AtomicInteger code,
      String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "up",
                "--data-dir",
                dataDir.toString(),
                "--fashion-mnist",
                noFashionMnist.toString(),
                "--port",
                "0",
                "--registry-port",
                "0",
                "--http-port",
                "0"));
    args.addAll(List.of(extra));
    Thread up =
        new Thread(
            () -> {
              CommandLine cli = GlimpseCli.newCommandLine();
              cli.setOut(new PrintWriter(out, true));
              cli.setErr(new PrintWriter(err, true));
              code.set(cli.execute(args.toArray(String[]::new)));
            },
            "glimpse-up-test");
    up.start();
    return up;
  }

  static void awaitOutput(StringWriter out, String text, Thread command) {
    await("'" + text + "' from glimpse up")
        .atMost(Duration.ofSeconds(90))
        .failFast("glimpse up ended early", () -> !command.isAlive())
        .until(() -> out.toString().contains(text));
  }

  private static String get(String url) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("GET %s", url).isEqualTo(200);
    return response.body();
  }

  static String group(Pattern pattern, String text) {
    Matcher m = pattern.matcher(text);
    assertThat(m.find()).as("%s in:%n%s", pattern, text).isTrue();
    return m.group(1);
  }
}
