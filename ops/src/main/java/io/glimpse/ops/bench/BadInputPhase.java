package io.glimpse.ops.bench;

import io.glimpse.model.artifact.ModelArtifactException;
import io.glimpse.schemas.avro.ImageEvent;
import io.glimpse.schemas.topic.Topics;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The batched pipeline phase run again with {@link BenchSettings#badFraction()} of its records
 * replaced by poison ({@link PoisonRecords}); every other record is byte for byte the clean
 * phase's. Bad input must cost the pipeline only the bad records themselves.
 *
 * @param poisonRecords records replaced by poison
 * @param result the phase's outcome, empty when the fraction is 0 (phase skipped)
 */
record BadInputPhase(int poisonRecords, Optional<PipelineThroughput.Result> result) {
  /** The target: with 2 % bad input the pipeline keeps at least 95 % of its clean images/s. */
  static final double MIN_OVER_CLEAN = 0.95;

  /**
   * Runs the phase, or skips it when the settings ask for no bad input.
   *
   * @throws ModelArtifactException when the pipeline cannot serve the model
   */
  static BadInputPhase run(BenchContext context, Duration timeout) throws ModelArtifactException {
    double fraction = context.settings().badFraction();
    if (fraction == 0) {
      return new BadInputPhase(0, Optional.empty());
    }
    BenchImages poisoned;
    try (Serializer<ImageEvent> serializer =
        Topics.IMAGES.valueSerde(context.clientConfig()).serializer()) {
      poisoned = context.images().withPoison(fraction, serializer);
    }
    PipelineThroughput.Result result =
        PipelineThroughput.measure(
            context, poisoned, "bench-bad-input", context.settings().batchSize(), timeout);
    int poison = (int) Math.floor(context.images().count() * fraction);
    if (result.deadLetters() != poison) {
      throw new IllegalStateException(
          "Phase bench-bad-input: "
              + result.deadLetters()
              + " dead letters for "
              + poison
              + " poison records; the pipeline lost or misrouted records");
    }
    return new BadInputPhase(poison, Optional.of(result));
  }

  /** The report's fields for this phase, measured against the clean batched phase. */
  Map<String, Object> fields(PipelineThroughput.Result clean) {
    Map<String, Object> f = new LinkedHashMap<>();
    if (result.isEmpty()) {
      f.put("bad_input", "skipped (--bad-fraction 0)");
      return f;
    }
    PipelineThroughput.Result bad = result.get();
    double ratio = bad.imagesPerSecond() / clean.imagesPerSecond();
    f.put("pipeline_bad_input_images_per_s", bad.imagesPerSecond());
    f.put("bad_input_over_clean", ratio);
    f.put("bad_input_over_clean_min", MIN_OVER_CLEAN);
    f.put("bad_input_over_clean_met", ratio >= MIN_OVER_CLEAN);
    f.put("bad_input_poison_records", poisonRecords);
    f.put("bad_input_predictions", bad.predictions());
    f.put("bad_input_dead_letters", bad.deadLetters());
    f.put("profile_bad_input", bad.profile());
    return f;
  }
}
