package io.glimpse.trainer.metrics;

import java.util.Arrays;
import java.util.List;

/**
 * How a classifier did on a set of images: the confusion matrix, the mean loss and each image's
 * predicted class. Immutable: arrays are copied in and out.
 */
public final class ClassificationReport {

  private final List<String> classes;
  private final long[][] confusion;
  private final double loss;
  private final int[] predictions;

  /**
   * Creates a report.
   *
   * @param classes class names
   * @param confusion {@code confusion[actual][predicted]} counts, classes × classes
   * @param loss the mean loss
   * @param predictions the predicted class of each image, in data set order
   */
  public ClassificationReport(
      List<String> classes, long[][] confusion, double loss, int[] predictions) {
    if (confusion.length != classes.size()) {
      throw new IllegalArgumentException("the confusion matrix needs one row per class");
    }
    this.classes = List.copyOf(classes);
    this.confusion = new long[confusion.length][];
    for (int i = 0; i < confusion.length; i++) {
      if (confusion[i].length != classes.size()) {
        throw new IllegalArgumentException("the confusion matrix must be square");
      }
      this.confusion[i] = confusion[i].clone();
    }
    this.loss = loss;
    this.predictions = predictions.clone();
  }

  /**
   * @return the class names
   */
  public List<String> classes() {
    return classes;
  }

  /**
   * @return a copy of {@code confusion[actual][predicted]}
   */
  public long[][] confusion() {
    long[][] copy = new long[confusion.length][];
    for (int i = 0; i < confusion.length; i++) {
      copy[i] = confusion[i].clone();
    }
    return copy;
  }

  /**
   * @return the mean loss
   */
  public double loss() {
    return loss;
  }

  /**
   * @return a copy of each image's predicted class
   */
  public int[] predictions() {
    return predictions.clone();
  }

  /**
   * @return the number of images
   */
  public long total() {
    return Arrays.stream(confusion).flatMapToLong(Arrays::stream).sum();
  }

  /**
   * @return the share of images classified right, 0 when there are none
   */
  public double accuracy() {
    long right = 0;
    for (int i = 0; i < confusion.length; i++) {
      right += confusion[i][i];
    }
    long total = total();
    return total == 0 ? 0 : (double) right / total;
  }

  /**
   * @return per class, the share of its images classified right (recall); NaN for none
   */
  public double[] perClassAccuracy() {
    double[] accuracy = new double[confusion.length];
    for (int i = 0; i < confusion.length; i++) {
      long n = Arrays.stream(confusion[i]).sum();
      accuracy[i] = n == 0 ? Double.NaN : (double) confusion[i][i] / n;
    }
    return accuracy;
  }

  @Override
  public String toString() {
    return String.format(
        "ClassificationReport{%d images, accuracy %.4f, loss %.4f}", total(), accuracy(), loss);
  }
}
