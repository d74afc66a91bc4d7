package io.glimpse.model.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.glimpse.model.artifact.LoadedModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tiny real MobileNetV1 (α=0.25, 10 classes, 1×32×32), loaded once for all tests. */
class BatchClassifierTest {

  private static final int IMAGE = 32 * 32;

  @TempDir static Path tmp;
  private static LoadedModel model;

  @BeforeAll
  static void loadTinyModel() throws Exception {
    model = TinyModel.writeAndLoad(tmp);
  }

  @AfterAll
  static void closeModel() {
    if (model != null) {
      model.close();
    }
  }

  @Test
  void batchRowsAreDistributionsEqualToSingleImageResults() throws Exception {
    float[] batch = TinyModel.batch(4);
    try (BatchClassifier classifier = new BatchClassifier(model)) {
      float[][] probabilities = classifier.classify(batch, 4);

      assertThat(probabilities).hasNumberOfRows(4);
      for (int i = 0; i < 4; i++) {
        assertThat(probabilities[i]).hasSize(TinyModel.CLASSES);
        float sum = 0;
        for (float p : probabilities[i]) {
          assertThat(p).isBetween(0f, 1f);
          sum += p;
        }
        assertThat(sum).as("row %d sums to 1", i).isCloseTo(1f, within(1e-5f));
        float[] single = Arrays.copyOfRange(batch, i * IMAGE, (i + 1) * IMAGE);
        assertThat(classifier.classify(single, 1)[0])
            .as("image %d alone", i)
            .containsExactly(probabilities[i], within(1e-5f));
      }
      assertThat(probabilities[0]).isNotEqualTo(probabilities[1]);
      assertThat(classifier.numClasses()).isEqualTo(TinyModel.CLASSES);
      assertThat(classifier.inputShape()).isEqualTo(TinyModel.INPUT);
    }
  }

  @Test
  void twoThreadsGetTheSameAnswersAsOneEachWithItsOwnPredictor() throws Exception {
    float[] batch = TinyModel.batch(4);
    try (BatchClassifier classifier = new BatchClassifier(model)) {
      float[][] expected = classifier.classify(batch, 4);
      ConcurrentLinkedQueue<Object> results = new ConcurrentLinkedQueue<>();
      CountDownLatch start = new CountDownLatch(1);
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < 2; t++) {
        threads.add(new Thread(() -> classifyRepeatedly(classifier, batch, start, results)));
      }
      threads.forEach(Thread::start);
      start.countDown();
      for (Thread thread : threads) {
        thread.join(60_000);
      }

      assertThat(results).hasSize(2 * 10);
      for (Object result : results) {
        assertThat(result).isInstanceOf(float[][].class);
        float[][] rows = (float[][]) result;
        for (int i = 0; i < 4; i++) {
          assertThat(rows[i]).containsExactly(expected[i], within(1e-6f));
        }
      }
      assertThat(classifier.openPredictors()).isEqualTo(3);
      Thread late = new Thread(() -> classifyRepeatedly(classifier, batch, start, results));
      late.start();
      late.join(60_000);
      assertThat(classifier.openPredictors()).as("dead threads' predictors closed").isEqualTo(2);
    }
  }

  @Test
  void refusesWrongBatchSizeOrLength() {
    try (BatchClassifier classifier = new BatchClassifier(model)) {
      assertThatThrownBy(() -> classifier.classify(new float[IMAGE], 0))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("batch size must be at least 1, got 0");
      assertThatThrownBy(() -> classifier.classify(new float[100], 2))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("a batch of 2 needs 2048 floats (2 x 1x32x32), got 100");
      assertThatThrownBy(() -> classifier.classify(null, 1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("got null");
    }
  }

  @Test
  void refusesToClassifyOnceClosedButLeavesTheModelOpen() throws Exception {
    BatchClassifier classifier = new BatchClassifier(model);
    classifier.classify(TinyModel.batch(1), 1);
    classifier.close();

    assertThat(classifier.openPredictors()).isZero();
    assertThatThrownBy(() -> classifier.classify(TinyModel.batch(1), 1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
    try (BatchClassifier another = new BatchClassifier(model)) {
      assertThat(another.classify(TinyModel.batch(1), 1)[0]).hasSize(TinyModel.CLASSES);
    }
  }

  @Test
  void closeWaitsForForwardPassesInProgressAndLaterOnesFailCleanly() throws Exception {
    BatchClassifier classifier = new BatchClassifier(model);
    float[] batch = TinyModel.batch(8);
    CountDownLatch running = new CountDownLatch(1);
    ConcurrentLinkedQueue<Object> outcomes = new ConcurrentLinkedQueue<>();
    Thread worker =
        new Thread(
            () -> {
              try {
                while (true) {
                  outcomes.add(classifier.classify(batch, 8));
                  running.countDown();
                }
              } catch (IllegalStateException | InferenceException e) {
                outcomes.add(e);
              }
            });
    worker.start();
    assertThat(running.await(60, TimeUnit.SECONDS)).isTrue();

    classifier.close(); // while the worker keeps classifying
    worker.join(60_000);

    assertThat(worker.isAlive()).isFalse();
    List<Object> all = new ArrayList<>(outcomes);
    Object last = all.get(all.size() - 1);
    assertThat(last).isInstanceOf(IllegalStateException.class);
    assertThat(((Exception) last).getMessage()).contains("is closed");
    assertThat(all.subList(0, all.size() - 1))
        .as("every pass before the close completed on live native memory")
        .allSatisfy(o -> assertThat(o).isInstanceOf(float[][].class));
  }

  private static void classifyRepeatedly(
      BatchClassifier classifier,
      float[] batch,
      CountDownLatch start,
      ConcurrentLinkedQueue<Object> results) {
    try {
      start.await();
      for (int i = 0; i < 10; i++) {
        results.add(classifier.classify(batch, 4));
      }
    } catch (Exception | AssertionError e) {
      results.add(e);
    }
  }
}
