package io.glimpse.ops.demo;

import io.glimpse.pipeline.dlq.DeadLetterHeaders;
import io.glimpse.schemas.avro.ClassScore;
import io.glimpse.schemas.avro.Prediction;
import io.glimpse.schemas.topic.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * The demo's consumer: reads committed predictions and dead letters and summarises them as one line
 * per interval — throughput, end-to-end latency, accuracy against the images' labels, dead letters,
 * and the latest prediction.
 */
public final class DemoReport implements AutoCloseable {
  private final KafkaConsumer<byte[], Object> consumer;
  private final String predictionsTopic;
  private final List<Long> latencies = new ArrayList<>();
  private long predictions;
  private long labelled;
  private long correct;
  private long deadLetters;
  private String lastDeadLetter = "";
  private Prediction last;

  /** A read_committed consumer of the predictions and dead-letter topics. */
  public DemoReport(Map<String, Object> clientConfig, String predictionsTopic, String dlqTopic) {
    this.predictionsTopic = predictionsTopic;
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

  /** Reads for {@code interval} and returns the summary line of what arrived. */
  public String poll(Duration interval) {
    long deadline = System.nanoTime() + interval.toNanos();
    latencies.clear();
    long before = predictions;
    while (System.nanoTime() < deadline) {
      for (ConsumerRecord<byte[], Object> record : consumer.poll(Duration.ofMillis(100))) {
        take(record);
      }
    }
    return summary(predictions - before, interval);
  }

  private void take(ConsumerRecord<byte[], Object> record) {
    if (!record.topic().equals(predictionsTopic)) {
      deadLetters++;
      lastDeadLetter = DeadLetterHeaders.get(record.headers(), DeadLetterHeaders.REASON);
      return;
    }
    Prediction p = (Prediction) record.value();
    predictions++;
    latencies.add(p.getTimings().getEndToEndMs());
    if (p.getLabel() != null) {
      labelled++;
      if (p.getLabel().equals(p.getTopK().get(0).getLabel())) {
        correct++;
      }
    }
    last = p;
  }

  private String summary(long count, Duration interval) {
    Collections.sort(latencies);
    long p50 = latencies.isEmpty() ? 0 : latencies.get(latencies.size() / 2);
    String accuracy =
        labelled == 0 ? "  n/a" : String.format(Locale.ROOT, "%5.1f%%", 100.0 * correct / labelled);
    String latest = "";
    if (last != null) {
      ClassScore top = last.getTopK().get(0);
      latest =
          String.format(
              Locale.ROOT,
              "%s: %s -> %s (%.2f), batch %d",
              last.getImageId(),
              last.getLabel(),
              top.getLabel(),
              top.getProbability(),
              last.getBatchSize());
    }
    return String.format(
        Locale.ROOT,
        "%6.1f images/s | e2e p50 %4d ms | accuracy %s of %d | DLQ %d%s | %s",
        count * 1000.0 / interval.toMillis(),
        p50,
        accuracy,
        labelled,
        deadLetters,
        deadLetters == 0 ? "" : " (last: " + lastDeadLetter + ")",
        latest);
  }

  @Override
  public void close() {
    consumer.close();
  }
}
