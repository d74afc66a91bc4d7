package io.glimpse.ops.retrain;

import io.glimpse.trainer.data.TopicRange;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * One round of {@link RetrainLoop}: what started it, what it trained on and judged on, and what was
 * decided.
 *
 * @param number 1 for the first round
 * @param trigger why it ran: enough new labelled images, or a drift alert
 * @param servingVersion the version it fine-tuned and compared with
 * @param candidateVersion the version it trained
 * @param training the pinned range it trained (and validated) on
 * @param holdout the pinned range it judged on, never trained on
 * @param promoted whether the candidate now serves
 * @param reason the gate's reason, or the refusal's
 * @param candidateAccuracy the candidate's accuracy on the labelled held-out images, or null
 * @param servingAccuracy the serving version's on the same images, or null
 * @param comparedImages images both classified in the held-out range
 * @param started when training started
 * @param trainingTime how long training took
 * @param judgingTime how long evaluating, comparing and gating took
 */
public record RetrainRound(
    int number,
    String trigger,
    String servingVersion,
    String candidateVersion,
    TopicRange training,
    TopicRange holdout,
    boolean promoted,
    String reason,
    Double candidateAccuracy,
    Double servingAccuracy,
    long comparedImages,
    Instant started,
    Duration trainingTime,
    Duration judgingTime) {

  /** The round in one line, as {@code glimpse retrain} prints it. */
  public String summary() {
    return String.format(
        Locale.ROOT,
        "round %d (%s): v%s fine-tuned into v%s in %d s on %s; judged on %d held-out images of %s:"
            + " v%s %s, v%s %s -> %s: %s",
        number,
        trigger,
        servingVersion,
        candidateVersion,
        trainingTime.toSeconds(),
        training,
        comparedImages,
        holdout,
        candidateVersion,
        percent(candidateAccuracy),
        servingVersion,
        percent(servingAccuracy),
        promoted ? "PROMOTED" : "REFUSED",
        reason);
  }

  private static String percent(Double accuracy) {
    return accuracy == null ? "-" : String.format(Locale.ROOT, "%.2f %%", 100 * accuracy);
  }
}
