package io.glimpse.pipeline.serving;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The version served now, swapped make-before-break: {@link #swap} publishes a fully loaded model
 * for the next batches, while batches that already hold the old one finish on it; the old one is
 * closed when its last lease closes. A batch never waits for a load and never sees two versions.
 */
public final class ModelSlot implements ModelProvider, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ModelSlot.class);

  private final AtomicReference<Version> current = new AtomicReference<>();

  /** An empty slot: {@link #acquire()} fails until the first {@link #swap}. */
  public ModelSlot() {}

  /** A slot serving {@code model} from the start. */
  public static ModelSlot serving(ServingModel model) {
    ModelSlot slot = new ModelSlot();
    slot.swap(model);
    return slot;
  }

  @Override
  public ModelLease acquire() {
    while (true) {
      Version version = current.get();
      if (version == null) {
        throw new IllegalStateException("No model is served yet");
      }
      if (version.retain()) {
        return new Lease(version);
      }
      // Swapped and closed between the read and the retain: the next read sees the new one.
    }
  }

  /** The model served now, if any (for health and metrics, not for running a batch). */
  public Optional<ServingModel> peek() {
    Version version = current.get();
    return version == null ? Optional.empty() : Optional.of(version.model);
  }

  /**
   * Serves {@code model} from the next batch on; the replaced version is closed once no batch holds
   * it any more.
   */
  public void swap(ServingModel model) {
    Version previous = current.getAndSet(new Version(model));
    if (previous != null) {
      previous.retire();
    }
  }

  /** Retires the version served now; it is closed once no batch holds it. */
  @Override
  public void close() {
    Version previous = current.getAndSet(null);
    if (previous != null) {
      previous.retire();
    }
  }

  /**
   * A served version with a count of the batches holding it, plus one for being current. The count
   * drops to zero exactly once, and the model is closed then; a closed version cannot be retained
   * again.
   */
  private static final class Version {
    private final ServingModel model;
    private final AtomicInteger holds = new AtomicInteger(1);

    Version(ServingModel model) {
      this.model = model;
    }

    boolean retain() {
      int n;
      do {
        n = holds.get();
        if (n == 0) {
          return false;
        }
      } while (!holds.compareAndSet(n, n + 1));
      return true;
    }

    void retire() {
      release();
    }

    void release() {
      if (holds.decrementAndGet() == 0) {
        LOG.info("Closing model {} version {}: no batch uses it", model.name(), model.version());
        model.close();
      }
    }
  }

  /** One batch's hold; closing it twice releases once. */
  private static final class Lease implements ModelLease {
    private final Version version;
    private final AtomicBoolean open = new AtomicBoolean(true);

    Lease(Version version) {
      this.version = version;
    }

    @Override
    public ServingModel model() {
      return version.model;
    }

    @Override
    public void close() {
      if (open.compareAndSet(true, false)) {
        version.release();
      }
    }
  }
}
