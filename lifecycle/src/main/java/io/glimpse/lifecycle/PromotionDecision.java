package io.glimpse.lifecycle;

/**
 * Whether a version was deployed by {@code --promote}, and why.
 *
 * @param promoted whether a {@code ModelDeployment} was published
 * @param reason a sentence for a human, e.g. {@code validation_accuracy 0.9120 < 0.9250 of v3}
 * @param servingVersion the version served before, or null when none was
 * @param servingAccuracy its validation accuracy, or null when unknown
 * @param candidateAccuracy the new version's validation accuracy, or null when it has none
 */
public record PromotionDecision(
    boolean promoted,
    String reason,
    String servingVersion,
    Double servingAccuracy,
    Double candidateAccuracy) {}
