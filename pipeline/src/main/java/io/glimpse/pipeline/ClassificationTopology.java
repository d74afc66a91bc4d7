package io.glimpse.pipeline;

import io.glimpse.pipeline.batch.BatchHandler;
import io.glimpse.pipeline.batch.BatchingProcessorSupplier;
import io.glimpse.pipeline.batch.FaultTracker;
import io.glimpse.pipeline.batch.InputBacklog;
import io.glimpse.pipeline.config.PipelineConfig;
import io.glimpse.pipeline.metrics.PipelineMetrics;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.Topology;

/**
 * The pipeline's topology: {@code images} (raw bytes, so even undeserializable records reach the
 * batcher and can be dead-lettered with their reason) → durable batching and classification →
 * {@code predictions} (the image's key, byte for byte; the value serialized by the batch handler)
 * or {@code images.dlq}.
 */
public final class ClassificationTopology {
  public static final String SOURCE = "images-source";
  public static final String BATCHER = "image-batcher";
  public static final String PREDICTIONS_SINK = "predictions-sink";
  public static final String DEAD_LETTER_SINK = "dead-letter-sink";

  private ClassificationTopology() {}

  /**
   * Builds the topology the pipeline runs and the tests drive.
   *
   * @param config topic names and batch policy
   * @param handler classifies one batch
   * @param metrics the pipeline's meters
   * @param faults failure counts and outages, shared by the batchers of all stream threads
   * @param backlog what the stream threads' consumers know is waiting in each input partition
   */
  public static Topology buildTopology(
      PipelineConfig config,
      BatchHandler handler,
      PipelineMetrics metrics,
      FaultTracker faults,
      InputBacklog backlog) {
    Topology topology = new Topology();
    topology.addSource(
        SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(), config.imagesTopic());
    topology.addProcessor(
        BATCHER,
        new BatchingProcessorSupplier(
            config.batchPolicy(),
            handler,
            metrics,
            faults,
            backlog,
            PREDICTIONS_SINK,
            DEAD_LETTER_SINK),
        SOURCE);
    topology.addSink(
        PREDICTIONS_SINK,
        config.predictionsTopic(),
        new ByteArraySerializer(),
        new ByteArraySerializer(),
        BATCHER);
    topology.addSink(
        DEAD_LETTER_SINK,
        config.dlqTopic(),
        new ByteArraySerializer(),
        new ByteArraySerializer(),
        BATCHER);
    return topology;
  }
}
