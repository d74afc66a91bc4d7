package io.glimpse.ops.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.glimpse.ops.cli.connection.ConnectionSettings;
import io.glimpse.ops.cli.connection.KafkaOptions;
import io.glimpse.ops.tail.DeadLetterView;
import io.glimpse.ops.tail.PredictionView;
import io.glimpse.ops.tail.TopicFollower;
import io.glimpse.schemas.avro.Prediction;
import io.glimpse.schemas.topic.Topics;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code glimpse tail}: follows {@code predictions} (or the dead-letter topic with {@code --dlq})
 * and prints one line per record, or one JSON object per line with {@code --json}. Reads committed
 * records only. Stops on Ctrl-C, after {@code --max} records or after {@code --timeout}.
 */
@Command(
    name = "tail",
    mixinStandardHelpOptions = true,
    description = {
      "Follow the predictions topic (read_committed): one line per image with its id, top-1 label"
          + " and probability, model version and latency; --json for one JSON object per line.",
      "--dlq follows the dead-letter topic instead, with the reason each record is there.",
      "Exit code 0, or 1 when --max records did not arrive within --timeout."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  glimpse tail                                   # new predictions until Ctrl-C",
      "  glimpse tail --from-beginning --max 10",
      "  glimpse tail --json | jq -r .topK[0].label",
      "  glimpse tail --dlq --from-beginning --timeout 5",
      "  GLIMPSE_KAFKA_BOOTSTRAP_SERVERS=kafka:9092 glimpse tail --config client.properties"
    })
public final class TailCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration POLL = Duration.ofMillis(500);

  @Spec private CommandSpec spec;
  @Mixin private KafkaOptions connection;

  @Option(names = "--json", description = "Print one JSON object per record.")
  private boolean json;

  @Option(
      names = "--dlq",
      description =
          "Follow the dead-letter topic (images.dlq): source partition and offset, reason, key,"
              + " message and exception of each record the pipeline could not classify.")
  private boolean dlq;

  @Option(
      names = "--from-beginning",
      description = "Start from the oldest record kept (default: only records from now on).")
  private boolean fromBeginning;

  @Option(
      names = "--max",
      paramLabel = "<n>",
      defaultValue = "0",
      description = "Stop after this many records; 0 = no limit (default: ${DEFAULT-VALUE}).")
  private long max;

  @Option(
      names = "--timeout",
      paramLabel = "<seconds>",
      defaultValue = "0",
      description = "Stop after this many seconds; 0 = no limit (default: ${DEFAULT-VALUE}).")
  private long timeoutSeconds;

  @Option(
      names = "--topic",
      paramLabel = "<topic>",
      description = "Follow this topic instead (default: predictions, or images.dlq with --dlq).")
  private String topic;

  private final CountDownLatch done = new CountDownLatch(1);
  private volatile boolean stopping;
  private String unreadable;

  @Override
  public Integer call() throws IOException, InterruptedException {
    if (max < 0 || timeoutSeconds < 0) {
      throw new ParameterException(spec.commandLine(), "--max and --timeout must be 0 or more");
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ConnectionSettings settings = connection.settings();
    String name =
        topic != null ? topic : dlq ? Topics.IMAGES_DLQ.name() : Topics.PREDICTIONS.name();
    long count;
    try (TopicFollower follower =
        new TopicFollower(
            settings.clientConfig(),
            name,
            fromBeginning,
            Duration.ofSeconds(timeoutSeconds == 0 ? 15 : Math.min(timeoutSeconds, 15)))) {
      err.printf(
          "Following %s on %s (%s)%s.%n",
          name,
          settings.bootstrapServers(),
          fromBeginning ? "from the beginning" : "new records",
          max > 0 ? ", until " + max + (max == 1 ? " record" : " records") : "; Ctrl-C to stop");
      err.flush();
      Thread hook = new Thread(() -> stopOnSignal(follower), "glimpse-tail-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      try {
        count = follow(follower, name, settings, out, err);
      } finally {
        done.countDown();
        removeHook(hook);
      }
    } catch (KafkaException e) {
      throw new IllegalStateException(
          "cannot follow "
              + name
              + " on Kafka at "
              + settings.bootstrapServers()
              + ": "
              + e.getMessage()
              + ". Is it running there? bin/glimpse up starts one on this machine.",
          e);
    }
    if (max > 0 && count < max && !stopping) {
      err.printf(
          Locale.ROOT,
          "glimpse tail: %d of %d records arrived within %d s.%n",
          count,
          max,
          timeoutSeconds);
      return FailureReporter.FAILURE;
    }
    return 0;
  }

  private long follow(
      TopicFollower follower,
      String name,
      ConnectionSettings settings,
      PrintWriter out,
      PrintWriter err)
      throws JsonProcessingException {
    Deserializer<Prediction> predictions =
        Topics.PREDICTIONS.valueSerde(settings.serdeConfig()).deserializer();
    long deadline =
        timeoutSeconds == 0 ? Long.MAX_VALUE : System.nanoTime() + timeoutSeconds * 1_000_000_000L;
    long count = 0;
    while (!stopping && (max == 0 || count < max)) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      Iterable<ConsumerRecord<byte[], byte[]>> records;
      try {
        records = follower.poll(Duration.ofNanos(Math.min(left, POLL.toNanos())));
      } catch (WakeupException e) {
        break;
      }
      for (ConsumerRecord<byte[], byte[]> record : records) {
        if (max > 0 && count >= max) {
          break;
        }
        String line = render(record, name, predictions);
        if (line == null) {
          err.printf(
              "glimpse tail: %s-%d@%d skipped: %s%n",
              name, record.partition(), record.offset(), unreadable);
        } else {
          out.println(line);
          count++;
        }
      }
      out.flush();
      err.flush();
    }
    return count;
  }

  /** The record's line, or null (and why in {@code unreadable}) when it cannot be read. */
  private String render(
      ConsumerRecord<byte[], byte[]> record, String name, Deserializer<Prediction> predictions)
      throws JsonProcessingException {
    if (dlq) {
      return json
          ? JSON.writeValueAsString(DeadLetterView.json(record))
          : DeadLetterView.line(record);
    }
    if (record.value() == null) {
      unreadable = "no value (a tombstone)";
      return null;
    }
    Prediction prediction;
    try {
      prediction = predictions.deserialize(name, record.value());
    } catch (KafkaException e) {
      unreadable = "not a readable Prediction: " + e.getMessage();
      return null;
    }
    return json
        ? JSON.writeValueAsString(PredictionView.json(prediction))
        : PredictionView.line(prediction);
  }

  /** Ctrl-C: ends the poll, then lets the command print what it has and close the consumer. */
  private void stopOnSignal(TopicFollower follower) {
    stopping = true;
    follower.wakeup();
    try {
      done.await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // The JVM is shutting down: the hook is running and waits for this command.
    }
  }
}
