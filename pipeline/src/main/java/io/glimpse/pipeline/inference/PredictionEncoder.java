package io.glimpse.pipeline.inference;

import io.glimpse.pipeline.batch.PendingRecord;
import io.glimpse.pipeline.batch.RetriableBatchException;
import io.glimpse.schemas.avro.Prediction;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serializes predictions for the predictions topic inside the batch, before anything is forwarded.
 *
 * <p>The Avro serializer asks the schema registry for the prediction schema's id the first time. In
 * a sink that call would run after the batch was handled, and a registry outage there would kill
 * the stream thread over and over. Here an outage fails the batch with a {@link
 * RetriableBatchException}: it stays buffered and is retried with backoff, and {@code /health}
 * names the outage. Any other serialization failure (a registry refusing the schema as
 * incompatible) is not tied to one image and fails the batch as a whole.
 */
public final class PredictionEncoder {
  private final Serializer<Prediction> serializer;
  private final String topic;

  /**
   * @param serializer a configured serializer for predictions' values
   * @param topic the predictions topic (the registry subject derives from it)
   */
  public PredictionEncoder(Serializer<Prediction> serializer, String topic) {
    this.serializer = Objects.requireNonNull(serializer, "serializer");
    this.topic = Objects.requireNonNull(topic, "topic");
  }

  /**
   * The prediction's bytes as the predictions topic holds them.
   *
   * @throws RetriableBatchException when the registry cannot be asked for the schema's id now
   */
  byte[] encode(PendingRecord source, Prediction prediction) {
    try {
      return serializer.serialize(topic, source.headers(), prediction);
    } catch (RuntimeException e) {
      RegistryOutage.rethrowIfUnavailable(e, "for the id of the prediction schema of " + topic);
      throw e;
    }
  }
}
