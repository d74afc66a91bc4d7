package io.glimpse.ops.evaluation;

import io.glimpse.lifecycle.CompactedTopicReader;
import io.glimpse.lifecycle.PublishException;
import io.glimpse.pipeline.dlq.DeadLetterHeaders;
import io.glimpse.schemas.avro.ModelComparison;
import io.glimpse.schemas.avro.Prediction;
import io.glimpse.schemas.topic.Topic;
import io.glimpse.schemas.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Compares a candidate version with a baseline on the images both classified: reads {@code
 * predictions}, {@code predictions.shadow} and {@code predictions.eval}, and the dead-letter
 * topics, each from its beginning to the end it has when the comparison starts, and joins the two
 * versions' predictions by image id ({@link ComparisonTally}).
 *
 * <p>Why a bounded read and not a Kafka Streams join: a comparison answers "how do these two
 * versions compare on what they have both seen so far", once, from a command line. A read to the
 * topics' current ends gives that answer deterministically (the same topics give the same report)
 * and leaves nothing behind, where a Streams join would need its own application id, state stores
 * and changelogs, a window to guess, and a way to tell when it is "done". The price: the command
 * holds one small entry per image of the two versions in memory (about 200 bytes), fine for
 * millions of images, and reads the prediction topics whole; their retention bounds both.
 */
public final class PredictionComparison {

  private static final List<Topic<String, Prediction>> PREDICTION_TOPICS =
      List.of(Topics.PREDICTIONS, Topics.PREDICTIONS_SHADOW, Topics.PREDICTIONS_EVAL);

  private final CompactedTopicReader reader;

  /**
   * Creates a comparison reading through {@code reader}.
   *
   * @param reader reads topics to their ends
   */
  public PredictionComparison(CompactedTopicReader reader) {
    this.reader = reader;
  }

  /**
   * Compares.
   *
   * @param model the model name
   * @param candidate the candidate version
   * @param baseline the version to compare it with
   * @return the comparison (zero images compared when the two have no image in common)
   * @throws PublishException when Kafka or the registry fails or a read times out
   */
  public ModelComparison compare(String model, String candidate, String baseline)
      throws PublishException {
    ComparisonTally tally = new ComparisonTally();
    for (Topic<String, Prediction> topic : PREDICTION_TOPICS) {
      reader.scan(
          topic,
          record -> {
            Prediction p = record.value();
            if (p == null || !p.getModelName().equals(model)) {
              return;
            }
            if (p.getModelVersion().equals(candidate)) {
              tally.candidate(p);
            } else if (p.getModelVersion().equals(baseline)) {
              tally.baseline(p);
            }
          });
    }
    reader.scan(Topics.IMAGES_DLQ, record -> key(record, tally::baselineDeadLetter));
    reader.scan(Topics.IMAGES_DLQ_SHADOW, record -> key(record, tally::candidateDeadLetter));
    reader.scan(
        Topics.IMAGES_DLQ_EVAL,
        record -> {
          String version =
              DeadLetterHeaders.get(record.headers(), ReplayEvaluation.MODEL_VERSION_HEADER);
          if (candidate.equals(version)) {
            key(record, tally::candidateDeadLetter);
          } else if (baseline.equals(version)) {
            key(record, tally::baselineDeadLetter);
          }
        });
    return tally.build(model, candidate, baseline, Instant.now());
  }

  private static void key(
      ConsumerRecord<byte[], byte[]> record, java.util.function.Consumer<String> sink) {
    if (record.key() != null) {
      sink.accept(new String(record.key(), StandardCharsets.UTF_8));
    }
  }
}
