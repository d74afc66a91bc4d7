package io.glimpse.pipeline.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code glimpse_instance_info{application_id, instance_id}}, always 1: names the pipeline instance
 * behind a scrape target. Prometheus labels a target by its address, which says little when
 * replicas come and go (one per container); a dashboard joins this on {@code instance} to show each
 * replica's {@code glimpse.instance.id} beside what it serves ({@code glimpse_model_info}).
 */
public final class InstanceInfo {
  private InstanceInfo() {}

  /** Registers the gauge in {@code registry}. */
  public static void register(MeterRegistry registry, String applicationId, String instanceId) {
    Gauge.builder("glimpse.instance.info", () -> 1)
        .description("This pipeline instance: its application id and instance id (always 1)")
        .tag("application_id", applicationId)
        .tag("instance_id", instanceId)
        .register(registry);
  }
}
