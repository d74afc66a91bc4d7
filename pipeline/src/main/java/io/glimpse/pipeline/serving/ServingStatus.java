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
 * @param servedDevice the device the served version's forward passes really run on, as DJL names it
 *     ({@code cpu()}, {@code gpu(0)}), null while none is loaded
 * @param servedAs how they run ({@code folded TorchScript}, {@code folded TorchScript bf16}, {@code
 *     DJL block}, {@code TorchScript}), null while none is loaded
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
    String servedDevice,
    String servedAs,
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
