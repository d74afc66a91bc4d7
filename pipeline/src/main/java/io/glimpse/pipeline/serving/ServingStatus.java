package io.glimpse.pipeline.serving;

import java.time.Instant;

/**
 * What one pipeline instance serves, as {@code /health} and {@code model-serving-status} report it.
 * Absent values are null (this is also the JSON shape).
 *
 * @param modelName the model name the instance serves
 * @param pinnedPath the artifact path when pinned by {@code glimpse.model.path} (deployments are
 *     ignored then), else null
 * @param desiredVersion the version deployed for the name, null while none is
 * @param servedVersion the version classifying images now, null while none is loaded
 * @param servedSha256 the served version's manifest sha256
 * @param servedSince when the served version was swapped in
 * @param lastRefusal the last deployment this instance refused, null if none
 * @param waitingFor why nothing is served yet, null once something is
 */
public record ServingStatus(
    String modelName,
    String pinnedPath,
    String desiredVersion,
    String servedVersion,
    String servedSha256,
    Instant servedSince,
    Refusal lastRefusal,
    String waitingFor) {

  /**
   * A deployment the instance refused to serve.
   *
   * @param version the refused version
   * @param reason what was wrong and what to do
   * @param refusedTime when
   */
  public record Refusal(String version, String reason, Instant refusedTime) {}

  /** Whether a model is loaded and classifying. */
  public boolean serving() {
    return servedVersion != null;
  }
}
