package io.glimpse.lifecycle;

import io.glimpse.schemas.avro.ModelComparison;
import io.glimpse.schemas.avro.ModelVersion;
import java.util.Locale;

/**
 * The rule a candidate version must meet to replace the serving one, shared by {@code glimpse
 * models promote --if-better} and the trainer's automatic promotion ({@code train --promote}).
 *
 * <p>The best evidence is a comparison on real traffic ({@code glimpse models compare}, on {@code
 * model-comparisons}) of at least {@link #minImages()} images:
 *
 * <ul>
 *   <li>when at least that many of them carry labels, the candidate's top-1 accuracy must be at
 *       least the serving version's;
 *   <li>without (enough) labels, the two must agree on at least {@link #minAgreement()} of the
 *       images and the candidate's mean top-1 confidence must be at least the serving version's: a
 *       candidate that mostly says the same, no less sure of it.
 * </ul>
 *
 * <p>The trainer has a comparison only for a version someone compared; otherwise it falls back to
 * the offline evidence, {@code validation_accuracy} on {@code model-versions}, judged by the same
 * "at least as good" rule ({@link #judgeValidation}).
 */
public final class PromotionGate {

  /** Images a comparison needs unless set otherwise: enough for a point of accuracy to show. */
  public static final int DEFAULT_MIN_IMAGES = 1000;

  /** The top-1 agreement an unlabelled comparison needs unless set otherwise. */
  public static final double DEFAULT_MIN_AGREEMENT = 0.95;

  private final int minImages;
  private final double minAgreement;

  /**
   * Creates a gate.
   *
   * @param minImages images a comparison must hold, at least 1
   * @param minAgreement top-1 agreement an unlabelled comparison needs, in [0, 1]
   * @throws IllegalArgumentException for values out of range
   */
  public PromotionGate(int minImages, double minAgreement) {
    if (minImages < 1) {
      throw new IllegalArgumentException("the gate needs at least 1 image, got " + minImages);
    }
    if (!(minAgreement >= 0 && minAgreement <= 1)) {
      throw new IllegalArgumentException("the agreement must be in [0, 1], got " + minAgreement);
    }
    this.minImages = minImages;
    this.minAgreement = minAgreement;
  }

  /**
   * Returns the gate with {@link #DEFAULT_MIN_IMAGES} and {@link #DEFAULT_MIN_AGREEMENT}.
   *
   * @return the default gate
   */
  public static PromotionGate defaults() {
    return new PromotionGate(DEFAULT_MIN_IMAGES, DEFAULT_MIN_AGREEMENT);
  }

  /**
   * Returns the number of images a comparison must hold.
   *
   * @return at least 1
   */
  public int minImages() {
    return minImages;
  }

  /**
   * Returns the agreement an unlabelled comparison needs.
   *
   * @return in [0, 1]
   */
  public double minAgreement() {
    return minAgreement;
  }

  /**
   * Judges a comparison of the candidate against the serving version.
   *
   * @param model the model name
   * @param candidate the candidate version
   * @param serving the serving version
   * @param comparison their comparison from {@code model-comparisons}, or null when there is none
   * @return whether the candidate passes, and why
   */
  public Verdict judge(String model, String candidate, String serving, ModelComparison comparison) {
    if (comparison == null) {
      return new Verdict(
          false,
          String.format(
              "no comparison of v%s with the serving v%s on model-comparisons; shadow or evaluate"
                  + " v%s, then run glimpse models compare %s %s",
              candidate, serving, candidate, model, candidate),
          null,
          null);
    }
    Double mine = comparison.getCandidateAccuracy();
    Double theirs = comparison.getBaselineAccuracy();
    long images = comparison.getImagesCompared();
    if (images < minImages) {
      return new Verdict(
          false,
          String.format(
              "only %d images compared, the gate needs %d; let the shadow run longer or evaluate a"
                  + " longer range, then compare again",
              images, minImages),
          mine,
          theirs);
    }
    if (comparison.getLabelledImages() >= minImages && mine != null && theirs != null) {
      return new Verdict(
          mine >= theirs,
          String.format(
              Locale.ROOT,
              "accuracy %.4f %s %.4f of v%s over %d labelled images (agreement %.4f)",
              mine,
              mine >= theirs ? ">=" : "<",
              theirs,
              serving,
              comparison.getLabelledImages(),
              comparison.getAgreement()),
          mine,
          theirs);
    }
    double agreement = comparison.getAgreement();
    double sure = comparison.getCandidateMeanConfidence();
    double theirSure = comparison.getBaselineMeanConfidence();
    boolean agrees = agreement >= minAgreement;
    boolean confident = sure >= theirSure;
    return new Verdict(
        agrees && confident,
        String.format(
            Locale.ROOT,
            "fewer than %d labelled images: agreement %.4f %s %.4f and mean confidence %.4f %s"
                + " %.4f of v%s over %d images",
            minImages,
            agreement,
            agrees ? ">=" : "<",
            minAgreement,
            sure,
            confident ? ">=" : "<",
            theirSure,
            serving,
            images),
        mine,
        theirs);
  }

  /**
   * Judges the offline evidence: the candidate's {@code validation_accuracy} must be at least the
   * serving version's (a serving version without one is beaten by any candidate with one).
   *
   * @param candidate the candidate's record
   * @param servingVersion the serving version
   * @param serving its record, or null when it is not on {@code model-versions}
   * @return whether the candidate passes, and why
   */
  public Verdict judgeValidation(
      ModelVersion candidate, String servingVersion, ModelVersion serving) {
    String metric = ModelVersions.VALIDATION_ACCURACY;
    Double mine = validationAccuracy(candidate);
    Double theirs = serving == null ? null : validationAccuracy(serving);
    if (serving == null) {
      return new Verdict(
          false,
          "the serving v" + servingVersion + " is not on model-versions, nothing to compare",
          mine,
          null);
    }
    if (mine == null) {
      return new Verdict(
          false,
          "the new version has no " + metric + " to compare with v" + servingVersion,
          null,
          theirs);
    }
    if (theirs == null) {
      return new Verdict(
          true,
          "the serving v" + servingVersion + " has no " + metric + "; the new version has one",
          mine,
          null);
    }
    return new Verdict(
        mine >= theirs,
        String.format(
            "%s %.4f %s %.4f of v%s",
            metric, mine, mine >= theirs ? ">=" : "<", theirs, servingVersion),
        mine,
        theirs);
  }

  /** The version's {@code validation_accuracy}, or null when it has none. */
  static Double validationAccuracy(ModelVersion version) {
    return version.getMetrics() == null
        ? null
        : version.getMetrics().get(ModelVersions.VALIDATION_ACCURACY);
  }

  /**
   * What the gate said.
   *
   * @param passed whether the candidate may replace the serving version
   * @param reason a sentence for a human: the numbers, or what is missing and what to do
   * @param candidateAccuracy the candidate's accuracy the verdict used, or null
   * @param servingAccuracy the serving version's, or null
   */
  public record Verdict(
      boolean passed, String reason, Double candidateAccuracy, Double servingAccuracy) {}
}
