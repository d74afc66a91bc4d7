package io.glimpse.trainer.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.Stroke;
import java.util.ArrayList;
import java.util.List;

/**
 * One line chart: x from 1 to the number of points (epochs), y between the given bounds, ticks and
 * grid lines, named series with a legend, and an optional marked x (the best epoch).
 */
final class LinePanel {

  /** A named series of y values, one per x = 1, 2, … */
  record Series(String name, double[] values, Color color) {}

  private final String title;
  private final double step;
  private final double yMin;
  private final double yMax;
  private final String yFormat;
  private final List<Series> series = new ArrayList<>();

  /** A panel whose y axis spans at least {@code low..high}, widened to round tick values. */
  LinePanel(String title, double low, double high, String yFormat) {
    this.title = title;
    double span = high > low ? high - low : 1;
    this.step = niceStep(span / 5);
    this.yMin = Math.floor(low / step) * step;
    this.yMax = Math.ceil((high > low ? high : low + 1) / step) * step;
    this.yFormat = yFormat;
  }

  /** 1, 2, 2.5 or 5 times a power of ten, at least {@code raw}. */
  static double niceStep(double raw) {
    double power = Math.pow(10, Math.floor(Math.log10(raw)));
    for (double m : new double[] {1, 2, 2.5, 5, 10}) {
      if (m * power >= raw) {
        return m * power;
      }
    }
    return 10 * power;
  }

  LinePanel add(String name, double[] values, Color color) {
    series.add(new Series(name, values, color));
    return this;
  }

  void draw(Graphics2D g, Rectangle area, int markedX) {
    int points = series.stream().mapToInt(s -> s.values().length).max().orElse(1);
    Rectangle plot = new Rectangle(area.x + 60, area.y + 30, area.width - 80, area.height - 80);
    g.setFont(Canvas.LABEL);
    g.setColor(Color.BLACK);
    Canvas.centered(g, title, plot.x + plot.width / 2, area.y + 18);
    grid(g, plot, points);
    if (markedX >= 1) {
      mark(g, plot, points, markedX);
    }
    for (Series s : series) {
      line(g, plot, points, s);
    }
    legend(g, plot);
    g.setFont(Canvas.LABEL);
    g.setColor(Color.BLACK);
    g.drawString(
        "epoch",
        plot.x + plot.width - g.getFontMetrics().stringWidth("epoch"),
        plot.y + plot.height + 38);
    g.setFont(Canvas.SMALL);
    if (clipped()) {
      String note = "values above " + String.format(yFormat, yMax) + " drawn at the top";
      g.drawString(note, plot.x + plot.width - g.getFontMetrics().stringWidth(note), plot.y - 4);
    }
  }

  private boolean clipped() {
    return series.stream().flatMapToDouble(s -> java.util.Arrays.stream(s.values())).max().orElse(0)
        > yMax;
  }

  private int x(Rectangle plot, int points, double i) {
    return points <= 1
        ? plot.x + plot.width / 2
        : (int) Math.round(plot.x + (i - 1) * plot.width / (points - 1));
  }

  private int y(Rectangle plot, double v) {
    double t = (Math.max(yMin, Math.min(yMax, v)) - yMin) / (yMax - yMin);
    return (int) Math.round(plot.y + plot.height - t * plot.height);
  }

  private void grid(Graphics2D g, Rectangle plot, int points) {
    g.setFont(Canvas.SMALL);
    int ticks = (int) Math.round((yMax - yMin) / step);
    for (int t = 0; t <= ticks; t++) {
      double v = yMin + t * step;
      int y = y(plot, v);
      g.setColor(new Color(225, 225, 225));
      g.drawLine(plot.x, y, plot.x + plot.width, y);
      g.setColor(Color.DARK_GRAY);
      String label = String.format(yFormat, v);
      g.drawString(label, plot.x - 8 - g.getFontMetrics().stringWidth(label), y + 4);
    }
    int step = Math.max(1, (int) Math.ceil(points / 12.0));
    for (int i = 1; i <= points; i += step) {
      Canvas.centered(g, Integer.toString(i), x(plot, points, i), plot.y + plot.height + 18);
    }
    g.setColor(Color.GRAY);
    g.drawRect(plot.x, plot.y, plot.width, plot.height);
  }

  private void mark(Graphics2D g, Rectangle plot, int points, int markedX) {
    Stroke old = g.getStroke();
    g.setStroke(
        new BasicStroke(
            1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0));
    g.setColor(new Color(120, 120, 120));
    int x = x(plot, points, markedX);
    g.drawLine(x, plot.y, x, plot.y + plot.height);
    g.setStroke(old);
    g.setFont(Canvas.SMALL);
    int width = g.getFontMetrics().stringWidth("best epoch");
    g.drawString(
        "best epoch", x + 4 + width > plot.x + plot.width ? x - 4 - width : x + 4, plot.y + 14);
  }

  private void line(Graphics2D g, Rectangle plot, int points, Series s) {
    g.setColor(s.color());
    g.setStroke(new BasicStroke(2.5f));
    double[] v = s.values();
    for (int i = 0; i < v.length; i++) {
      int x = x(plot, points, i + 1);
      int y = y(plot, v[i]);
      g.fillOval(x - 4, y - 4, 8, 8);
      if (i > 0) {
        g.drawLine(x(plot, points, i), y(plot, v[i - 1]), x, y);
      }
    }
    g.setStroke(new BasicStroke(1));
  }

  /** One row under the x axis: a colour swatch and name per series. */
  private void legend(Graphics2D g, Rectangle plot) {
    g.setFont(Canvas.SMALL);
    int x = plot.x;
    int y = plot.y + plot.height + 38;
    for (Series s : series) {
      g.setColor(s.color());
      g.fillRect(x, y - 6, 18, 4);
      g.setColor(Color.BLACK);
      g.drawString(s.name(), x + 24, y - 1);
      x += 40 + g.getFontMetrics().stringWidth(s.name());
    }
  }
}
