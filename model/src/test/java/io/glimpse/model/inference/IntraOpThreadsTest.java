package io.glimpse.model.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.glimpse.model.artifact.LoadedModel;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Choosing libtorch's intra-op threads for a model, on a tiny real MobileNetV1. */
class IntraOpThreadsTest {
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
  void choosesOneOrEveryCoreByMeasurementAndSetsItOnTheClassifier() throws Exception {
    try (BatchClassifier classifier = new BatchClassifier(model)) {
      IntraOpThreads.Choice choice = IntraOpThreads.choose(classifier, 8, 2);

      assertThat(choice.threads()).isIn(1, 2);
      assertThat(choice.oneThreadMillis()).isPositive();
      assertThat(choice.allThreadsMillis()).isPositive();
      assertThat(choice.threads())
          .as("the faster of the two")
          .isEqualTo(choice.oneThreadMillis() <= choice.allThreadsMillis() ? 1 : 2);
      assertThat(classifier.intraOpThreads()).isEqualTo(choice.threads());
    }
  }

  @Test
  void theThreadCountChangesSpeedNotResults() throws Exception {
    float[] batch = TinyModel.batch(4);
    try (BatchClassifier classifier = new BatchClassifier(model)) {
      classifier.useIntraOpThreads(1);
      float[][] one = classifier.classify(batch, 4);
      classifier.useIntraOpThreads(2);
      float[][] two = classifier.classify(batch, 4);
      for (int i = 0; i < 4; i++) {
        assertThat(two[i]).containsExactly(one[i], within(1e-5f));
      }
      assertThatThrownBy(() -> classifier.useIntraOpThreads(-1))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void oneCoreNeedsNoMeasurement() throws Exception {
    try (BatchClassifier classifier = new BatchClassifier(model)) {
      assertThat(IntraOpThreads.choose(classifier, 8, 1).threads()).isEqualTo(1);
      assertThat(classifier.intraOpThreads()).isEqualTo(1);
    }
  }
}
