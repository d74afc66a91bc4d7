package io.glimpse.ops.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * A one-line progress bar on stderr, redrawn in place at most four times a second: {@code
 * [#######.............] 350/1000 35% 118/s ETA 0:05 1 failed}. Off, it draws nothing; messages
 * still print. Behind this class so that a library can take its place without touching the
 * commands.
 */
final class ProgressBar {
  private static final int WIDTH = 24;
  private static final long REDRAW_NANOS = 250_000_000L;

  private final PrintWriter err;
  private final boolean enabled;
  private final long total;
  private final long start = System.nanoTime();
  private long lastDraw;
  private int drawnWidth;

  /**
   * Creates a bar.
   *
   * @param err where to draw
   * @param enabled whether to draw (a terminal, or forced); messages print either way
   * @param total how many steps make 100 %
   */
  ProgressBar(PrintWriter err, boolean enabled, long total) {
    this.err = err;
    this.enabled = enabled;
    this.total = total;
  }

  /**
   * Whether a bar belongs on stderr: {@code --progress} / {@code --no-progress} when given, else
   * whether stderr is a terminal. {@code bin/glimpse} tells (GLIMPSE_STDERR_TERMINAL), since Java
   * sees only whether the console as a whole is one.
   */
  static boolean wanted(Boolean flag) {
    if (flag != null) {
      return flag;
    }
    String launcher = System.getenv("GLIMPSE_STDERR_TERMINAL");
    return launcher != null ? launcher.equals("1") : System.console() != null;
  }

  /**
   * Shows {@code done} steps, {@code failed} of them failed; redraws at most four times a second.
   */
  void update(long done, long failed) {
    long now = System.nanoTime();
    if (!enabled || (now - lastDraw < REDRAW_NANOS && done < total)) {
      return;
    }
    lastDraw = now;
    draw(line(done, failed, (now - start) / 1e9));
  }

  /** Prints a message on a line of its own, under the bar (which is redrawn at the next update). */
  void message(String text) {
    clear();
    err.println(text);
    err.flush();
    lastDraw = 0;
  }

  /** Removes the bar, leaving the line for what comes next. */
  void finish() {
    clear();
  }

  String line(long done, long failed, double seconds) {
    int filled = total <= 0 ? 0 : (int) Math.min(WIDTH, WIDTH * done / total);
    double rate = seconds > 0 ? done / seconds : 0;
    StringBuilder line =
        new StringBuilder()
            .append('[')
            .append("#".repeat(filled))
            .append(".".repeat(WIDTH - filled))
            .append("] ")
            .append(done)
            .append('/')
            .append(total)
            .append(String.format(Locale.ROOT, " %3d%%", total <= 0 ? 100 : 100 * done / total))
            .append(String.format(Locale.ROOT, "  %.0f/s", rate));
    if (rate > 0 && done < total) {
      long eta = Math.round((total - done) / rate);
      line.append(String.format(Locale.ROOT, "  ETA %d:%02d", eta / 60, eta % 60));
    }
    if (failed > 0) {
      line.append("  ").append(failed).append(" failed");
    }
    return line.toString();
  }

  private void draw(String line) {
    err.print("\r" + line + " ".repeat(Math.max(0, drawnWidth - line.length())));
    err.flush();
    drawnWidth = line.length();
  }

  private void clear() {
    if (drawnWidth > 0) {
      err.print("\r" + " ".repeat(drawnWidth) + "\r");
      err.flush();
      drawnWidth = 0;
    }
  }
}
