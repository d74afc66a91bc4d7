package io.glimpse.pipeline.serving;

import java.time.Instant;

/** The instance's {@link ServingStatus}, updated by the reloader and read by health and status. */
final class ServingState {
  private final String modelName;
  private final String pinnedPath;
  private String desiredVersion;
  private String servedVersion;
  private String servedSha256;
  private Instant servedSince;
  private String servedDevice;
  private String servedAs;
  private ServingStatus.Refusal lastRefusal;
  private boolean lastRefusalDeferred;
  private String waitingFor;

  ServingState(String modelName, String pinnedPath, String waitingFor) {
    this.modelName = modelName;
    this.pinnedPath = pinnedPath;
    this.waitingFor = waitingFor;
  }

  synchronized ServingStatus snapshot() {
    return new ServingStatus(
        modelName,
        pinnedPath,
        desiredVersion,
        servedVersion,
        servedSha256,
        servedSince,
        servedDevice,
        servedAs,
        lastRefusal,
        waitingFor);
  }

  synchronized void desired(String version) {
    desiredVersion = version;
    if (lastRefusalDeferred && !version.equals(lastRefusal.version())) {
      lastRefusal = null; // a newer deployment replaced the one that waited for the store
      lastRefusalDeferred = false;
    }
  }

  synchronized void served(
      String version, String sha256, Instant since, String device, String form) {
    servedVersion = version;
    servedSha256 = sha256;
    servedSince = since;
    servedDevice = device;
    servedAs = form;
    waitingFor = null;
    if (lastRefusalDeferred && version.equals(lastRefusal.version())) {
      lastRefusal = null; // it was only waiting for the store, and is served now
    }
    lastRefusalDeferred = false;
  }

  synchronized void refused(String version, String reason, Instant when) {
    lastRefusal = new ServingStatus.Refusal(version, reason, when);
    lastRefusalDeferred = false;
    if (servedVersion == null) {
      waitingFor =
          "a deployment of model " + modelName + " that can be served (the last was refused)";
    }
  }

  /**
   * A version that could not be loaded yet because the store is unavailable: reported as the last
   * refusal (so {@code /health} and {@code model-serving-status} say why), and cleared once it is
   * served.
   */
  synchronized void deferred(String version, String reason, Instant when) {
    lastRefusal = new ServingStatus.Refusal(version, reason, when);
    lastRefusalDeferred = true;
    if (servedVersion == null) {
      waitingFor = "the model store, to load version " + version + " of model " + modelName;
    }
  }

  synchronized void waitingFor(String reason) {
    waitingFor = reason;
  }
}
