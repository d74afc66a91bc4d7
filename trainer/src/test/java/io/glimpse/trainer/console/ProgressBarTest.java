package io.glimpse.trainer.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.glimpse.trainer.metrics.EpochMetrics;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

  @Test
  void showsProgressImagesPerSecondAndTheEpochsEta() {
    ProgressBar bar = new ProgressBar(new PrintWriter(new StringWriter()), false);
    bar.onEpochStart(3, 12, 400, 128);
    bar.onBatch(1, 0.5f);

    assertThat(bar.line(100, 20.0))
        .isEqualTo(
            "epoch 3/12 [#######.......................] 100/400  640 img/s  ETA 1:00"
                + "  loss 0.500");
  }

  @Test
  void withoutATerminalPrintsATenthOfTheEpochPerLineAndTheEpochsResult() {
    StringWriter text = new StringWriter();
    ProgressBar bar = new ProgressBar(new PrintWriter(text), false);
    bar.onEpochStart(1, 2, 20, 8);
    for (int batch = 1; batch <= 20; batch++) {
      bar.onBatch(batch, 1f);
    }
    bar.onEpochEnd(new EpochMetrics(1, 1.2, 0.5, 1.1, 0.55, 0.05, 65, 800, 70), true);

    String[] lines = text.toString().split("\n");
    assertThat(lines).hasSize(11);
    assertThat(lines[10])
        .isEqualTo(
            "epoch 1/2 done in 1:05: train loss 1.2000 acc 50.00 %, validation loss 1.1000 acc"
                + " 55.00 %  (best so far)");
  }

  @Test
  void clocksReadAsMinutesAndHours() {
    assertThat(ProgressBar.clock(59.6)).isEqualTo("1:00");
    assertThat(ProgressBar.clock(3725)).isEqualTo("1:02:05");
  }
}
