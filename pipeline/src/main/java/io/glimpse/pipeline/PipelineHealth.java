package io.glimpse.pipeline;

import io.glimpse.pipeline.serving.ServingStatus;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The pipeline's health, as {@code /health} reports it in JSON: live while Streams has not failed
 * or stopped; ready when, in addition, a model is served and Streams is RUNNING.
 *
 * @param live whether the process is worth keeping (orchestrators restart it when not)
 * @param ready whether it classifies images now
 * @param streamsState the Kafka Streams state
 * @param modelName the model name served
 * @param modelVersion the version served now, null while none is
 * @param desiredVersion the version deployed for the name, null while none is (or when pinned)
 * @param pinnedPath the pinned artifact, null when following deployments
 * @param servedSince when the served version was swapped in (ISO-8601), null while none is
 * @param device the device forward passes really run on ({@code cpu()}, {@code gpu(0)}), whatever
 *     {@code glimpse.model.device} asked for; null while no version is served
 * @param servedAs how they run: {@code folded TorchScript} (fp32), {@code folded TorchScript bf16},
 *     {@code DJL block} or {@code TorchScript}; null while no version is served
 * @param waitingFor what the instance waits for before it can serve, null once it serves
 * @param lastRefusal the last deployment refused, with its reason; null if none
 * @param outage what the pipeline waits for while batches cannot be classified (the schema registry
 *     is unreachable, say), null when nothing; the pipeline is not ready meanwhile
 */
public record PipelineHealth(
    boolean live,
    boolean ready,
    String streamsState,
    String modelName,
    String modelVersion,
    String desiredVersion,
    String pinnedPath,
    String servedSince,
    String device,
    String servedAs,
    String waitingFor,
    Refusal lastRefusal,
    String outage) {

  /**
   * A refused deployment.
   *
   * @param version the refused version
   * @param reason what was wrong and what to do
   * @param refusedTime when (ISO-8601)
   */
  public record Refusal(String version, String reason, String refusedTime) {}

  /** The health of a pipeline in {@code state} serving as {@code serving} says, with no outage. */
  public static PipelineHealth of(KafkaStreams.State state, ServingStatus serving) {
    return of(state, serving, null);
  }

  /**
   * The health of a pipeline in {@code state} serving as {@code serving} says, waiting for {@code
   * outage} to end (null: none).
   */
  public static PipelineHealth of(KafkaStreams.State state, ServingStatus serving, String outage) {
    boolean live = state != KafkaStreams.State.ERROR && state != KafkaStreams.State.NOT_RUNNING;
    boolean ready =
        live && serving.serving() && state == KafkaStreams.State.RUNNING && outage == null;
    return new PipelineHealth(
        live,
        ready,
        state.name(),
        serving.modelName(),
        serving.servedVersion(),
        serving.desiredVersion(),
        serving.pinnedPath(),
        serving.servedSince() == null ? null : serving.servedSince().toString(),
        serving.servedDevice(),
        serving.servedAs(),
        serving.waitingFor(),
        serving.lastRefusal() == null
            ? null
            : new Refusal(
                serving.lastRefusal().version(),
                serving.lastRefusal().reason(),
                serving.lastRefusal().refusedTime().toString()),
        outage);
  }
}
