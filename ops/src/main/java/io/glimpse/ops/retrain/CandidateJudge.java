package io.glimpse.ops.retrain;

import io.glimpse.lifecycle.CompactedTopicReader;
import io.glimpse.lifecycle.DeploymentRefusedException;
import io.glimpse.lifecycle.ModelDeployer;
import io.glimpse.lifecycle.PublishException;
import io.glimpse.lifecycle.VersionPublisher;
import io.glimpse.model.store.ModelStoreException;
import io.glimpse.ops.evaluation.EvaluationException;
import io.glimpse.ops.evaluation.PredictionComparison;
import io.glimpse.ops.evaluation.ReplayEvaluation;
import io.glimpse.ops.evaluation.ReplayRange;
import io.glimpse.schemas.avro.ModelComparison;
import io.glimpse.schemas.avro.ModelVersion;
import java.nio.file.Path;

/**
 * Judges a candidate the way an operator would, on images it never trained on: replays the held-out
 * range through the pipeline's own handler for the candidate and for the serving version ({@link
 * ReplayEvaluation}), joins their predictions by image id ({@link PredictionComparison}), records
 * the comparison on {@code model-comparisons}, asks the lifecycle's gate ({@link
 * ModelDeployer#promoteIfBetter}; a pinned deployment always stays), and records the comparison
 * again with the decision and its reason.
 */
public final class CandidateJudge {
  /** {@code model-comparisons}' decision for a candidate the gate deployed. */
  public static final String PROMOTED = "PROMOTED";

  /** {@code model-comparisons}' decision for a candidate the gate (or a pin) kept out. */
  public static final String REFUSED = "REFUSED";

  private final RetrainSettings settings;

  /** A judge for the settings' model, Kafka and store. */
  public CandidateJudge(RetrainSettings settings) {
    this.settings = settings;
  }

  /**
   * What was decided, and why.
   *
   * @param promoted whether the candidate now serves
   * @param reason the gate's reason, or the refusal's
   * @param comparison the comparison the decision was made on, with the decision recorded
   */
  public record Decision(boolean promoted, String reason, ModelComparison comparison) {}

  /**
   * Evaluates, compares, gates and records.
   *
   * @param candidate the registered candidate
   * @param serving the registered serving version
   * @param holdout the held-out range of {@code images}
   * @param note what started the round, for the deployment's reason
   * @throws RetrainException when an evaluation or Kafka fails (nothing is deployed then)
   */
  public Decision judge(
      ModelVersion candidate, ModelVersion serving, ReplayRange holdout, String note)
      throws RetrainException {
    String model = settings.model();
    try {
      evaluate(candidate, holdout);
      evaluate(serving, holdout);
      ModelComparison comparison =
          new PredictionComparison(new CompactedTopicReader(settings.kafka()))
              .compare(model, candidate.getVersion(), serving.getVersion());
      VersionPublisher publisher = VersionPublisher.of(settings.kafka());
      publisher.recordComparison(comparison);
      boolean promoted;
      String reason;
      try {
        var change =
            new ModelDeployer(settings.kafka(), settings.store())
                .promoteIfBetter(
                    model, candidate.getVersion(), settings.gate(), note, "glimpse retrain");
        promoted = change.published();
        reason = change.after().getReason();
      } catch (DeploymentRefusedException refused) {
        promoted = false;
        reason = refused.getMessage();
      }
      comparison.setDecision(promoted ? PROMOTED : REFUSED);
      comparison.setDecisionReason(reason);
      publisher.recordComparison(comparison);
      return new Decision(promoted, reason, comparison);
    } catch (EvaluationException | PublishException e) {
      throw new RetrainException(
          "Could not judge " + model + " v" + candidate.getVersion() + ": " + e.getMessage(), e);
    }
  }

  private void evaluate(ModelVersion version, ReplayRange range)
      throws EvaluationException, RetrainException {
    Path artifact;
    try {
      artifact = Path.of(settings.store().resolve(version.getArtifactUri()).uri());
    } catch (ModelStoreException | IllegalArgumentException e) {
      throw new RetrainException(
          version.getModelName()
              + " v"
              + version.getVersion()
              + " is not in the store "
              + settings.store().uri()
              + ": "
              + e.getMessage(),
          e);
    }
    ReplayEvaluation.builder()
        .setKafka(settings.kafka())
        .setModel(version.getModelName(), version.getVersion())
        .setArtifact(artifact)
        .optSha256(version.getSha256())
        .optImagesTopic(settings.imagesTopic())
        .setRange(range)
        .build()
        .run();
  }
}
