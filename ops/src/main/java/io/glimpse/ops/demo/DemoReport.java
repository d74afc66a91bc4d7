package io.glimpse.ops.demo;

import io.glimpse.pipeline.dlq.DeadLetterHeaders;
import io.glimpse.schemas.avro.ClassScore;
import io.glimpse.schemas.avro.Prediction;
import io.glimpse.schemas.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * The demo's consumer: reads committed predictions and dead letters, prints one line per interval
 * (throughput, end-to-end latency, accuracy against the images' labels, dead letters, the latest
 * prediction) and adds everything to the run's {@link DemoSummary}.
 */
public final class DemoReport implements AutoCloseable {
  private final KafkaConsumer<byte[], Object> consumer;
  private final byte[] idPrefix;
  private final String predictionsTopic;
  private final Set<String> topics;
  private final DemoSummary summary;
  private LatencyHistogram intervalLatencies = new LatencyHistogram();
  private long intervalLabelled;
  private long intervalCorrect;
  private String lastDeadLetter = "";
  private Prediction last;

  /**
   * A read_committed consumer of the predictions and dead-letter topics, reading from their ends.
   *
   * @param clientConfig bootstrap servers and schema registry URL
   * @param predictionsTopic where the pipeline writes predictions
   * @param dlqTopic where it writes dead letters
   * @param summary the run's summary, which this report adds to
   * @param idPrefix only records keyed with it count: images this run published, not those an
   *     earlier run, {@code up} or another client left for a new pipeline to classify
   */
  public DemoReport(
      Map<String, Object> clientConfig,
      String predictionsTopic,
      String dlqTopic,
      DemoSummary summary,
      String idPrefix) {
    this.predictionsTopic = predictionsTopic;
    this.idPrefix = idPrefix.getBytes(StandardCharsets.UTF_8);
    this.topics = Set.of(predictionsTopic, dlqTopic);
    this.summary = summary;
    var predictionDeserializer = Topics.PREDICTIONS.valueSerde(clientConfig).deserializer();
    var raw = new ByteArrayDeserializer();
    this.consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                clientConfig.get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG),
                ConsumerConfig.GROUP_ID_CONFIG,
                "glimpse-demo-report-" + UUID.randomUUID(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "latest"),
            new ByteArrayDeserializer(),
            (Deserializer<Object>)
                (topic, data) ->
                    topic.equals(predictionsTopic)
                        ? predictionDeserializer.deserialize(topic, data)
                        : raw.deserialize(topic, data));
    consumer.subscribe(List.of(predictionsTopic, dlqTopic));
  }

  /**
   * Polls until both topics are assigned and their starting offsets fixed, so that nothing
   * published after this returns is missed; at most {@code timeout}.
   *
   * @return whether the consumer got there in time
   */
  public boolean awaitAssignment(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      pollOnce();
      Set<String> assigned =
          consumer.assignment().stream().map(TopicPartition::topic).collect(Collectors.toSet());
      if (assigned.equals(topics)) {
        consumer.assignment().forEach(consumer::position);
        return true;
      }
    }
    return false;
  }

  /** Reads for {@code interval} and returns the line describing what arrived. */
  public String poll(Duration interval) {
    long deadline = System.nanoTime() + interval.toNanos();
    intervalLatencies = new LatencyHistogram();
    intervalLabelled = 0;
    intervalCorrect = 0;
    while (System.nanoTime() < deadline) {
      pollOnce();
    }
    return line(interval);
  }

  /**
   * Reads until {@code expected} records (predictions and dead letters together) have arrived since
   * the start, or {@code timeout} passes: what was published last has time to come out.
   */
  public void drain(long expected, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (summary.predictions() + summary.deadLetters() < expected
        && System.nanoTime() < deadline) {
      pollOnce();
    }
  }

  private void pollOnce() {
    for (ConsumerRecord<byte[], Object> record : consumer.poll(Duration.ofMillis(100))) {
      take(record);
    }
  }

  private boolean ofThisRun(byte[] key) {
    return key != null
        && key.length >= idPrefix.length
        && Arrays.equals(key, 0, idPrefix.length, idPrefix, 0, idPrefix.length);
  }

  private void take(ConsumerRecord<byte[], Object> record) {
    if (!ofThisRun(record.key())) {
      return;
    }
    if (!record.topic().equals(predictionsTopic)) {
      lastDeadLetter = DeadLetterHeaders.get(record.headers(), DeadLetterHeaders.REASON);
      summary.addDeadLetter(lastDeadLetter);
      return;
    }
    Prediction p = (Prediction) record.value();
    summary.addPrediction(p);
    intervalLatencies.record(p.getTimings().getEndToEndMs());
    if (p.getLabel() != null) {
      intervalLabelled++;
      intervalCorrect += p.getLabel().equals(p.getTopK().get(0).getLabel()) ? 1 : 0;
    }
    last = p;
  }

  private String line(Duration interval) {
    String latest = "";
    if (last != null) {
      ClassScore top = last.getTopK().get(0);
      latest =
          String.format(
              Locale.ROOT,
              "model %s | %s: %s -> %s (%.2f), batch %d",
              last.getModelVersion(),
              last.getImageId(),
              last.getLabel(),
              top.getLabel(),
              top.getProbability(),
              last.getBatchSize());
    }
    long deadLetters = summary.deadLetters();
    return String.format(
        Locale.ROOT,
        "%6.1f images/s | e2e p50 %4d ms | accuracy %s (%s of %d) | DLQ %d%s | %s",
        intervalLatencies.count() * 1000.0 / interval.toMillis(),
        intervalLatencies.percentile(50),
        intervalLabelled == 0
            ? "  n/a"
            : String.format(Locale.ROOT, "%5.1f%%", 100.0 * intervalCorrect / intervalLabelled),
        summary.accuracy().strip(),
        summary.labelled(),
        deadLetters,
        deadLetters == 0 ? "" : " (last: " + lastDeadLetter + ")",
        latest);
  }

  @Override
  public void close() {
    consumer.close();
  }
}
