package io.glimpse.ops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.glimpse.model.artifact.InputShape;
import io.glimpse.model.mobilenet.UntrainedModels;
import io.glimpse.ops.HeadlessChromium;
import io.glimpse.ops.demo.DemoData;
import io.glimpse.ops.demo.DemoModel;
import io.glimpse.trainer.data.SyntheticShapes;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The live page in a real browser (Debian's headless Chromium through chromedriver) against {@code
 * glimpse up} in this JVM: labelled images published with {@code glimpse publish} appear as
 * thumbnails with their label, confidence, true label (the top 5 on a click) and the version that
 * classified them, a record that is not an image as a dead letter with its reason; a version
 * registered and promoted with {@code glimpse models} shows on the images, on the charts' time axis
 * and on the models view. Screenshots go to {@code -Dglimpse.web.screenshots=<dir>} (the README's
 * come from here), else to {@code target/web-screenshots}.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class LivePageBrowserTest {
  private static final Duration DEADLINE = Duration.ofSeconds(120);

  @TempDir Path tmp;

  @Test
  void showsThumbnailsLabelsVersionsAndAPromotion() throws Exception {
    HeadlessChromium.assumeInstalled();
    Path dataDir = tmp.resolve("data");
    DemoData data = DemoData.find(tmp.resolve("no-fashion-mnist"));
    String model = DemoModel.modelName(data);
    writeModel(DemoModel.quickArtifact(dataDir, data), model, DemoModel.QUICK_VERSION, 1);
    StringWriter out = new StringWriter();
    AtomicInteger code = new AtomicInteger(-1);
    Thread up =
        UpCommandTest.startUp(
            dataDir, tmp.resolve("no-fashion-mnist"), out, new StringWriter(), code);
    WebDriver browser = null;
    try {
      UpCommandTest.awaitOutput(out, "Ctrl-C stops.", up);
      String bootstrap = UpCommandTest.group(UpCommandTest.BOOTSTRAP, out.toString());
      String registry = UpCommandTest.group(UpCommandTest.REGISTRY, out.toString());
      String page = UpCommandTest.group(UpCommandTest.PAGE, out.toString());
      CompletableFuture<CliRun> traffic =
          CompletableFuture.supplyAsync(
              () ->
                  CliRun.on(
                      bootstrap,
                      registry,
                      "publish",
                      "--dataset",
                      "synthetic",
                      "--rate",
                      "20",
                      "--limit",
                      "1800"));

      browser = HeadlessChromium.start();
      browser.get(page);
      WebDriverWait wait = new WebDriverWait(browser, DEADLINE);
      wait.until(b -> b.findElement(By.id("connection")).getText().equals("live"));
      wait.until(b -> thumbnails(b) >= 12);
      assertThat(items(browser))
          .allSatisfy(
              item -> {
                assertThat(item.get(0)).isIn(SyntheticShapes.CLASSES);
                assertThat(item.get(1)).isEqualTo(DemoModel.QUICK_VERSION);
                assertThat(item.get(2)).matches("✓ true label|✗ truly [a-z-]+");
              });
      assertThat(browser.findElement(By.id("serving")).getText())
          .isEqualTo(model + " " + DemoModel.QUICK_VERSION + " · ready");
      assertThat(
              ((JavascriptExecutor) browser)
                  .executeScript(
                      "const i = document.querySelector('#items .item'); i.click();"
                          + " return [i.classList.contains('open'),"
                          + " getComputedStyle(i.querySelector('.topk')).display,"
                          + " i.querySelectorAll('.topk > div').length]"))
          .as("a click shows the top 5")
          .isEqualTo(List.of(true, "block", 5L));

      try (KafkaProducer<byte[], byte[]> raw =
          new KafkaProducer<>(
              Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
              new ByteArraySerializer(),
              new ByteArraySerializer())) {
        raw.send(new ProducerRecord<>("images", bytes("broken-1"), bytes("{\"not\":\"avro\"}")))
            .get();
      }
      wait.until(b -> !b.findElements(By.cssSelector("#dead-letters .reason")).isEmpty());
      assertThat(browser.findElement(By.cssSelector("#dead-letters .src")).getText())
          .startsWith("broken-1 · images-");

      Path v2 = tmp.resolve("v2");
      writeModel(v2, model, "2", 2);
      String store = dataDir.resolve("models/store").toString();
      for (String[] command :
          List.of(
              new String[] {"models", "register", v2.toString(), "--store", store},
              new String[] {"models", "promote", model, "2", "--store", store})) {
        CliRun run = CliRun.on(bootstrap, registry, command);
        assertThat(run.code()).as(run.printed()).isZero();
      }
      wait.until(b -> !b.findElements(By.cssSelector("#items .item[data-version='2']")).isEmpty());
      wait.until(b -> !b.findElements(By.cssSelector("#chart-rate .swap")).isEmpty());
      assertThat(browser.findElement(By.cssSelector("#chart-rate .swap-label")).getText())
          .isEqualTo("v2");
      wait.until(b -> b.findElement(By.id("serving")).getText().startsWith(model + " v2 "));
      wait.until(b -> b.findElement(By.id("v-accuracy")).getText().endsWith("%"));
      wait.until(
          b -> b.findElements(By.cssSelector("#items .item[data-version='2'] img")).size() >= 8);
      assertThat(
              ((JavascriptExecutor) browser)
                  .executeScript(
                      "const ids = [...document.querySelectorAll('#items .item')]"
                          + ".map(i => i.dataset.id); return ids.length - new Set(ids).size"))
          .as("no image shown twice")
          .isEqualTo(0L);
      assertThat(browser.findElements(By.cssSelector("#dead-letters li"))).hasSize(1);
      screenshot(browser, "web-live.png");

      browser.findElement(By.id("tab-models")).click();
      wait.until(b -> !b.findElements(By.cssSelector(".model .deployed-version")).isEmpty());
      WebElement card = browser.findElement(By.cssSelector(".model[data-model='" + model + "']"));
      assertThat(card.findElement(By.className("deployed-version")).getText()).isEqualTo("v2");
      assertThat(card.getText())
          .contains("promote", DemoModel.QUICK_VERSION, "glimpse models rollback " + model)
          .contains("serving");
      screenshot(browser, "web-models.png");

      CliRun published = traffic.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
      assertThat(published.code()).as(published.printed()).isZero();
    } finally {
      if (browser != null) {
        browser.quit();
      }
      up.interrupt();
      up.join(Duration.ofSeconds(60).toMillis());
    }
    assertThat(up.isAlive()).isFalse();
    assertThat(code.get()).isZero();
  }

  /** Label, version and true-label mark of every item shown, read at one instant. */
  @SuppressWarnings("unchecked")
  private static List<List<String>> items(WebDriver browser) {
    return (List<List<String>>)
        ((JavascriptExecutor) browser)
            .executeScript(
                "return [...document.querySelectorAll('#items .item')].map(i =>"
                    + " ['.label', '.version', '.truth'].map(c => i.querySelector(c).textContent))");
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static long thumbnails(WebDriver browser) {
    Object loaded =
        ((JavascriptExecutor) browser)
            .executeScript(
                "return [...document.querySelectorAll('#items .item img')]"
                    + ".filter(i => i.complete && i.naturalWidth > 0).length");
    return ((Number) loaded).longValue();
  }

  private static void screenshot(WebDriver browser, String name) throws Exception {
    Path dir = Path.of(System.getProperty("glimpse.web.screenshots", "target/web-screenshots"));
    Files.createDirectories(dir);
    Files.write(dir.resolve(name), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
  }

  private static void writeModel(Path artifact, String model, String version, int seed)
      throws Exception {
    UntrainedModels.write(
        artifact, model, version, 0.25f, new InputShape(1, 32, 32), SyntheticShapes.CLASSES, seed);
  }
}
