package io.glimpse.ops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
  @Test
  void aLineShowsTheShareDoneTheRateTheTimeLeftAndFailures() {
    ProgressBar bar = new ProgressBar(new PrintWriter(new StringWriter()), true, 200);
    assertThat(bar.line(50, 2, 5.0))
        .isEqualTo("[######..................] 50/200  25%  10/s  ETA 0:15  2 failed");
    assertThat(bar.line(200, 0, 4.0)).isEqualTo("[########################] 200/200 100%  50/s");
  }

  @Test
  void onAMessageTheBarMakesWayAndOffItDrawsNothingButMessages() {
    StringWriter on = new StringWriter();
    ProgressBar bar = new ProgressBar(new PrintWriter(on), true, 2);
    bar.update(1, 0);
    bar.message("glimpse publish: x.png: the file is empty");
    bar.update(2, 1);
    bar.finish();
    String blank = "\\r *\\r";
    assertThat(on.toString())
        .matches(
            "\\r\\[#+\\.+\\] 1/2  50%.*"
                + blank
                + "glimpse publish: x.png: the file is empty\\R\\r\\[#+\\] 2/2 100%.*1 failed"
                + blank);

    StringWriter off = new StringWriter();
    ProgressBar quiet = new ProgressBar(new PrintWriter(off), false, 2);
    quiet.update(1, 0);
    quiet.message("a problem");
    quiet.finish();
    assertThat(off.toString()).isEqualTo("a problem" + System.lineSeparator());
  }
}
