package io.glimpse.lifecycle;

import io.glimpse.schemas.avro.ModelVersion;
import java.util.Optional;

/**
 * The outcome of {@link Publication#publish}.
 *
 * @param version the version's event, with its store URI and manifest sha256
 * @param announced whether it was sent to {@code model-versions}
 * @param decision the promotion decision, or null when promotion was not asked for
 */
public record PublishedVersion(
    ModelVersion version, boolean announced, PromotionDecision decision) {

  /**
   * Returns the promotion decision, when promotion was asked for.
   *
   * @return the decision
   */
  public Optional<PromotionDecision> promotion() {
    return Optional.ofNullable(decision);
  }
}
