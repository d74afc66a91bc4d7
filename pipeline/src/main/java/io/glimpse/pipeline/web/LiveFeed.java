package io.glimpse.pipeline.web;

import io.glimpse.schemas.avro.ImageEvent;
import io.glimpse.schemas.avro.Prediction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the live page shows, read on a thread of its own: {@code predictions} and the dead letters,
 * committed records only, on a consumer assigned to every partition (no group, no commits, nothing
 * a stream thread waits for). It reads only while a page is open (and for {@link #LINGER} after the
 * last one closes); opening, it steps back {@link #BACKFILL} records per partition so that a page
 * is not empty, but never to a record it read before. Every prediction counts in the {@link
 * LiveStats}; about {@link #SAMPLES_PER_SECOND} a second are decoded for latency, accuracy and
 * swaps (decoding every one would cost a share of a stream thread); a few a second ({@link
 * #ITEMS_PER_SECOND}) of those become items, each with a thumbnail made once from its image ({@link
 * ImageLookup}), kept in a ring of {@link #ITEMS} and pushed to the {@link EventHub}. When Kafka or
 * the registry fails, the reader closes and reopens after a {@link ReaderBackoff} (0.5 s doubling
 * to 30 s), with one warning per outage.
 */
final class LiveFeed implements AutoCloseable {
  static final int ITEMS = 48;
  static final int DEAD_LETTERS = 16;
  static final int SWAPS = 16;
  static final double ITEMS_PER_SECOND = 6;

  /** Predictions a second decoded for latency, accuracy, swaps and items; the rest only count. */
  static final int SAMPLES_PER_SECOND = 200;

  static final double DEAD_LETTERS_PER_SECOND = 2;
  static final int BACKFILL = 16;
  static final Duration LINGER = Duration.ofSeconds(30);

  /** A version seen within this long before counts as the same deployment (partitions switch). */
  private static final long SWAP_QUIET_MS = 30_000;

  private static final Logger LOG = LoggerFactory.getLogger(LiveFeed.class);

  /**
   * The topics the page reads.
   *
   * @param images where the images are
   * @param predictions where their predictions are
   * @param deadLetters where the dead letters are
   */
  record TopicNames(String images, String predictions, String deadLetters) {}

  /**
   * A change of the version classifying a model's images, as the predictions show it.
   *
   * @param time when the first prediction of the new version was made (epoch ms)
   * @param model the model
   * @param from the version before
   * @param to the version after
   */
  record Swap(long time, String model, String from, String to) {}

  private final Map<String, Object> consumerConfig;
  private final TopicNames topics;
  private final Deserializer<Prediction> predictions;
  private final Deserializer<ImageEvent> images;
  private final Thumbnails thumbnails;
  private final EventHub hub;
  private final Supplier<?> serving;
  private final Thread thread;
  private final LiveStats stats = new LiveStats();
  private final ArrayDeque<LiveItem> items = new ArrayDeque<>();
  private final ArrayDeque<DeadLetterItem> deadLetters = new ArrayDeque<>();
  private final ArrayDeque<Swap> swaps = new ArrayDeque<>();
  private final Map<String, String> currentVersion = new HashMap<>();
  private final Map<String, Long> versionSeen = new HashMap<>();
  private final TokenBucket itemTokens = new TokenBucket(ITEMS_PER_SECOND, 12);
  private final TokenBucket deadLetterTokens = new TokenBucket(DEAD_LETTERS_PER_SECOND, 4);
  private LiveStats.Snapshot lastStats = new LiveStats().snapshot(System.currentTimeMillis());
  private volatile boolean closed;

  /** The next offset to read of every partition read so far: a reopened reader reads none twice. */
  private final Map<TopicPartition, Long> positions = new HashMap<>();

  /** Where each partition stood when the reader opened: records before are backfill. */
  private final Map<TopicPartition, Long> liveFrom = new HashMap<>();

  private final Sampler sampler = new Sampler(SAMPLES_PER_SECOND);
  private final ReaderBackoff backoff;

  /** When the reader may reopen after a failure (System.nanoTime()). */
  private long retryAt = Long.MIN_VALUE;

  /** When the reader opened (System.nanoTime()): one that kept working for MAX ends an outage. */
  private long openedAt;

  private KafkaConsumer<byte[], byte[]> consumer;
  private ImageLookup lookup;

  LiveFeed(
      Map<String, Object> consumerConfig,
      TopicNames topics,
      Deserializer<Prediction> predictions,
      Deserializer<ImageEvent> images,
      Thumbnails thumbnails,
      EventHub hub,
      Supplier<?> serving,
      ReaderBackoff backoff) {
    this.backoff = backoff;
    this.consumerConfig = consumerConfig;
    this.topics = topics;
    this.predictions = predictions;
    this.images = images;
    this.thumbnails = thumbnails;
    this.hub = hub;
    this.serving = serving;
    this.thread = new Thread(this::run, "glimpse-web-feed");
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** Everything a page shows on opening: items and dead letters newest first, stats, swaps. */
  synchronized Map<String, Object> snapshot() {
    Map<String, Object> snapshot = new LinkedHashMap<>();
    snapshot.put("items", new ArrayList<>(items));
    snapshot.put("deadLetters", new ArrayList<>(deadLetters));
    snapshot.put("stats", lastStats);
    snapshot.put("swaps", new ArrayList<>(swaps));
    return snapshot;
  }

  private void run() {
    long lastClient = Long.MIN_VALUE;
    long nextStats = 0;
    while (!closed) {
      try {
        long now = System.nanoTime();
        if (hub.clients() > 0) {
          lastClient = now;
        }
        if (lastClient == Long.MIN_VALUE || now - lastClient > LINGER.toNanos()) {
          closeReaders();
          hub.awaitClient(1000);
          continue;
        }
        if (consumer == null && now < retryAt) {
          Thread.sleep(Math.min(1000, (retryAt - now) / 1_000_000 + 1));
          continue;
        }
        if (consumer == null && !openReaders()) {
          hub.awaitClient(2000);
          continue;
        }
        int polled = 0;
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          polled++;
          positions.put(
              new TopicPartition(record.topic(), record.partition()), record.offset() + 1);
          if (record.topic().equals(topics.deadLetters())) {
            onDeadLetter(record);
          } else {
            onPrediction(record);
          }
        }
        if (polled > 0 || now - openedAt > ReaderBackoff.MAX.toNanos()) {
          int ended = backoff.succeeded();
          if (ended > 0) {
            LOG.info("The live page's reader works again after {} failed tries", ended);
          }
        }
        if (now >= nextStats) {
          nextStats = now + 1_000_000_000L;
          LiveStats.Snapshot snapshot = stats.snapshot(System.currentTimeMillis());
          synchronized (this) {
            lastStats = snapshot;
          }
          hub.broadcast(
              "stats", Map.of("stats", snapshot, "swaps", swapsNow(), "serving", serving.get()));
        }
      } catch (InterruptedException | InterruptException e) {
        Thread.interrupted(); // clear the flag, so that the consumer can close
        break;
      } catch (KafkaException e) {
        closeReaders();
        Duration wait = backoff.failed();
        retryAt = System.nanoTime() + wait.toNanos();
        if (backoff.outageBegan()) {
          LOG.warn(
              "The live page's reader failed; reopening it in {} ms, then less often (up to every"
                  + " {} s) while it keeps failing: {}",
              wait.toMillis(),
              ReaderBackoff.MAX.toSeconds(),
              e.toString());
        } else {
          LOG.debug(
              "The live page's reader failed again; next try in {} ms: {}", wait.toMillis(), e);
        }
      } catch (RuntimeException e) {
        LOG.warn("The live page's feed skipped a record", e);
      }
    }
    closeReaders();
  }

  private boolean openReaders() {
    KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(
            consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    try {
      List<TopicPartition> partitions = new ArrayList<>();
      for (String topic : List.of(topics.predictions(), topics.deadLetters())) {
        List<PartitionInfo> infos = c.partitionsFor(topic);
        if (infos != null) {
          infos.forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        }
      }
      if (partitions.isEmpty()) {
        c.close();
        return false;
      }
      c.assign(partitions);
      Map<TopicPartition, Long> begin = c.beginningOffsets(partitions);
      Map<TopicPartition, Long> end = c.endOffsets(partitions);
      for (TopicPartition tp : partitions) {
        long from = Math.max(begin.get(tp), end.get(tp) - BACKFILL);
        c.seek(tp, Math.max(from, positions.getOrDefault(tp, 0L)));
        liveFrom.put(tp, end.get(tp));
      }
    } catch (KafkaException e) {
      c.close();
      throw e;
    }
    consumer = c;
    openedAt = System.nanoTime();
    lookup = new ImageLookup(consumerConfig, topics.images());
    LOG.info("Live page opened: reading {} and {}", topics.predictions(), topics.deadLetters());
    return true;
  }

  private void closeReaders() {
    if (consumer != null) {
      consumer.close();
      consumer = null;
      lookup.close();
      lookup = null;
      LOG.info("The live page's reader stops");
    }
  }

  private void onPrediction(ConsumerRecord<byte[], byte[]> record) {
    // Records from before the page opened only fill the rings; the others count, and a sample of
    // them (not every one: decoding each would cost a share of a stream thread) is decoded.
    boolean live =
        record.offset()
            >= liveFrom.getOrDefault(new TopicPartition(record.topic(), record.partition()), 0L);
    long now = System.currentTimeMillis();
    if (live) {
      stats.count(now);
      if (!sampler.take(now)) {
        return;
      }
    }
    Prediction p = predictions.deserialize(record.topic(), record.headers(), record.value());
    if (p == null || record.key() == null) {
      return;
    }
    String id = new String(record.key(), StandardCharsets.UTF_8);
    LiveItem item = LiveItem.of(id, p);
    if (live) {
      stats.sample(now, item.latencyMs(), item.correct());
      noteVersion(item);
    }
    if (!itemTokens.take()) {
      return;
    }
    long imageTimestamp = item.time() - item.latencyMs();
    Optional<String> thumbnail =
        lookup.find(id, imageTimestamp).flatMap(bytes -> thumbnail(record.topic(), bytes));
    LiveItem shown = item.withThumbnail(thumbnail.orElse(null));
    synchronized (this) {
      push(items, shown, ITEMS);
    }
    hub.broadcast("item", shown);
  }

  private void onDeadLetter(ConsumerRecord<byte[], byte[]> record) {
    if (!deadLetterTokens.take()) {
      return;
    }
    String thumbnail =
        record.value() == null ? null : thumbnail(record.topic(), record.value()).orElse(null);
    DeadLetterItem item = DeadLetterItem.of(record, thumbnail);
    synchronized (this) {
      push(deadLetters, item, DEAD_LETTERS);
    }
    hub.broadcast("deadletter", item);
  }

  private Optional<String> thumbnail(String topic, byte[] value) {
    try {
      ImageEvent event = images.deserialize(topic, value);
      return event == null ? Optional.empty() : thumbnails.of(event);
    } catch (RuntimeException e) {
      return Optional.empty(); // not an image record: no thumbnail
    }
  }

  private void noteVersion(LiveItem item) {
    String current = currentVersion.get(item.model());
    String key = item.model() + "/" + item.version();
    Long seen = versionSeen.put(key, item.time());
    if (current == null || current.equals(item.version())) {
      currentVersion.put(item.model(), item.version());
      return;
    }
    currentVersion.put(item.model(), item.version());
    if (seen == null || item.time() - seen > SWAP_QUIET_MS) {
      Swap swap = new Swap(item.time(), item.model(), current, item.version());
      synchronized (this) {
        push(swaps, swap, SWAPS);
      }
      hub.broadcast("swap", swap);
    }
  }

  private synchronized List<Swap> swapsNow() {
    return new ArrayList<>(swaps);
  }

  private static <T> void push(ArrayDeque<T> ring, T item, int capacity) {
    ring.addFirst(item);
    while (ring.size() > capacity) {
      ring.removeLast();
    }
  }

  /** Failures of the reader in a row so far (0 while it works). */
  int readerFailures() {
    return backoff.failures();
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Takes about {@code perSecond} of the records of each second, evenly: every n-th, n following
   * from how many came in the second before.
   */
  private static final class Sampler {
    private final int perSecond;
    private long second;
    private long seen;
    private long stride = 1;

    Sampler(int perSecond) {
      this.perSecond = perSecond;
    }

    boolean take(long nowMs) {
      long s = nowMs / 1000;
      if (s != second) {
        stride = s == second + 1 ? Math.max(1, seen / perSecond) : 1;
        second = s;
        seen = 0;
      }
      return seen++ % stride == 0;
    }
  }

  /** At most {@code rate} a second, in bursts of at most {@code burst}. */
  private static final class TokenBucket {
    private final double rate;
    private final double burst;
    private double tokens;
    private long last = System.nanoTime();

    TokenBucket(double rate, double burst) {
      this.rate = rate;
      this.burst = burst;
      this.tokens = burst;
    }

    boolean take() {
      long now = System.nanoTime();
      tokens = Math.min(burst, tokens + (now - last) / 1e9 * rate);
      last = now;
      if (tokens < 1) {
        return false;
      }
      tokens--;
      return true;
    }
  }
}
