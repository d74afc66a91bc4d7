package io.glimpse.pipeline;

import io.glimpse.pipeline.batch.FaultTracker;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the batch buffer bounded during an outage: when a batch cannot be classified for want of a
 * dependency (the schema registry), Streams is paused — its consumers stop fetching, so no new
 * image enters the buffer — and resumed when the batch's backoff is over, so it can be retried. A
 * retry that fails pauses it again; one that succeeds ends the outage. Pause and resume run on a
 * thread of their own, never on the stream thread that reported the outage.
 */
final class OutageGate implements FaultTracker.OutageListener, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OutageGate.class);

  private final KafkaStreams streams;
  private final ScheduledExecutorService executor =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread thread = new Thread(r, "glimpse-outage-gate");
            thread.setDaemon(true);
            return thread;
          });
  private ScheduledFuture<?> resume;

  OutageGate(KafkaStreams streams) {
    this.streams = streams;
  }

  @Override
  public synchronized void unavailable(String reason, Duration retryIn) {
    if (executor.isShutdown()) {
      return;
    }
    if (resume != null) {
      resume.cancel(false);
    }
    executor.execute(
        () -> {
          if (!streams.isPaused()) {
            LOG.warn("Pausing intake until the outage ends: {}", reason);
            streams.pause();
          }
        });
    resume = executor.schedule(this::resumeToRetry, retryIn.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void resumeToRetry() {
    if (streams.isPaused()) {
      LOG.info("Resuming to retry the waiting batch");
      streams.resume();
    }
  }

  @Override
  public synchronized void recovered() {
    if (executor.isShutdown()) {
      return;
    }
    if (resume != null) {
      resume.cancel(false);
      resume = null;
    }
    executor.execute(
        () -> {
          if (streams.isPaused()) {
            streams.resume();
          }
          LOG.info("Outage over: classifying again");
        });
  }

  @Override
  public synchronized void close() {
    executor.shutdownNow();
  }
}
