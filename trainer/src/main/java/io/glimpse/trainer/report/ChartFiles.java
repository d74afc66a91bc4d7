package io.glimpse.trainer.report;

import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.title.TextTitle;

/** The plots' shared look (white, light grid) and writing a chart as a PNG file. */
final class ChartFiles {
  static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 18);
  static final Font SUBTITLE = new Font(Font.SANS_SERIF, Font.PLAIN, 12);

  private ChartFiles() {}

  /** A white chart with the title font. */
  static void style(JFreeChart chart) {
    chart.setBackgroundPaint(Color.WHITE);
    chart.getTitle().setFont(TITLE);
  }

  /** White background and light grey grid lines: print and read better than the default grey. */
  static void grid(XYPlot plot) {
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(new Color(225, 225, 225));
    plot.setRangeGridlinePaint(new Color(225, 225, 225));
    plot.setOutlinePaint(Color.GRAY);
  }

  /** Adds a line of smaller text under the title. */
  static void subtitle(JFreeChart chart, String text) {
    chart.addSubtitle(new TextTitle(text, SUBTITLE));
  }

  /** Writes a PNG via a temporary sibling, so a reader never sees half a file. */
  static void writePng(JFreeChart chart, int width, int height, Path file) throws IOException {
    Path temp = Files.createTempFile(file.toAbsolutePath().getParent(), ".plot-", ".png");
    try {
      try (OutputStream out = Files.newOutputStream(temp)) {
        ChartUtils.writeChartAsPNG(out, chart, width, height);
      }
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
