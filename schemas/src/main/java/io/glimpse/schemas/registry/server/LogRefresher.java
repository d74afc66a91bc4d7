package io.glimpse.schemas.registry.server;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls {@link SchemaRegistryService#refresh()} at a fixed delay on a daemon thread, so what other
 * registries write to a shared store shows in this one's answers within about one interval. A
 * failure is logged once per run of failures and does not stop the refreshing.
 */
final class LogRefresher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LogRefresher.class);

  private final SchemaRegistryService service;
  private final ScheduledExecutorService executor;
  private boolean failing;

  LogRefresher(SchemaRegistryService service, Duration interval) {
    this.service = service;
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "glimpse-registry-refresh");
              thread.setDaemon(true);
              return thread;
            });
    long ms = Math.max(1, interval.toMillis());
    executor.scheduleWithFixedDelay(this::refresh, ms, ms, TimeUnit.MILLISECONDS);
  }

  private void refresh() {
    try {
      service.refresh();
      if (failing) {
        LOG.info("The schema log is readable again");
      }
      failing = false;
    } catch (RuntimeException e) {
      if (!failing) {
        LOG.warn(
            "Could not read the schema log; subjects and versions other registries add show up"
                + " once it is readable again: {}",
            e.getMessage());
      }
      failing = true;
    }
  }

  /** Stops refreshing, interrupting a refresh in progress. */
  @Override
  public void close() {
    executor.shutdownNow();
    try {
      if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
        LOG.warn("The schema log refresher did not stop within 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
