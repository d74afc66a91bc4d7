package io.glimpse.ops.retrain;

import io.glimpse.lifecycle.ModelCatalog;
import io.glimpse.lifecycle.PublishException;
import io.glimpse.ops.evaluation.ReplayRange;
import io.glimpse.schemas.avro.ModelAlert;
import io.glimpse.schemas.avro.ModelDeployment;
import io.glimpse.schemas.avro.ModelVersion;
import io.glimpse.schemas.topic.Topics;
import io.glimpse.trainer.data.TopicRange;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Continuous retraining of one model. It follows {@code images} from a start position and, every
 * {@link RetrainSettings#every()} labelled images (or sooner, after {@link
 * RetrainSettings#minOnDrift()}, when {@code model-alerts} reports drift of the serving version),
 * runs a round: the new images' range is pinned; the newest {@link
 * RetrainSettings#holdoutFraction()} of each partition is held out; the serving version is
 * fine-tuned on the rest ({@link CandidateTrainer}) and judged against itself on the held-out
 * images ({@link CandidateJudge}), through the same gate as {@code promote --if-better}. A pinned
 * deployment is never replaced; every decision is recorded with its reason.
 */
public final class RetrainLoop implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RetrainLoop.class);

  /** Hears about each round as it ends. */
  public interface Listener {
    /** A round ended with a decision. */
    void onRound(RetrainRound round);

    /** A round could not run (nothing deployed, a failure); the loop goes on. */
    default void onSkipped(String why) {}
  }

  private final RetrainSettings settings;
  private final Listener listener;
  private final LabelledImageCounter counter;
  private final KafkaConsumer<String, ModelAlert> alerts;
  private final ModelCatalog catalog;
  private final CandidateTrainer trainer;
  private final CandidateJudge judge;
  private Map<Integer, Long> start;
  private volatile boolean stopped;

  /**
   * Creates the loop; nothing is read until {@link #run()}.
   *
   * @param settings what to retrain and how
   * @param start where to start counting in each partition of {@code images}; a partition not named
   *     starts at its current end (only images published from now on)
   * @param listener told about every round
   */
  public RetrainLoop(RetrainSettings settings, Map<Integer, Long> start, Listener listener) {
    this(settings, start, -1, listener);
  }

  /**
   * Creates the loop, counting from the same offset in every partition of {@code images}.
   *
   * @param settings what to retrain and how
   * @param offset where to start in each partition: 0 for the earliest retained image
   * @param listener told about every round
   */
  public RetrainLoop(RetrainSettings settings, long offset, Listener listener) {
    this(settings, Map.of(), offset, listener);
  }

  private RetrainLoop(
      RetrainSettings settings, Map<Integer, Long> start, long otherwise, Listener listener) {
    this.settings = settings;
    this.listener = listener;
    this.counter =
        new LabelledImageCounter(
            settings.kafka(), settings.imagesTopic(), start, otherwise, settings.labelsTopic());
    this.start = counter.positions();
    this.catalog = new ModelCatalog(settings.kafka());
    this.trainer = new CandidateTrainer(settings);
    this.judge = new CandidateJudge(settings);
    Map<String, Object> config = new HashMap<>(settings.kafka().clientConfig());
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    this.alerts =
        new KafkaConsumer<>(
            config,
            Topics.MODEL_ALERTS.keySerde(settings.kafka().serdeConfig()).deserializer(),
            Topics.MODEL_ALERTS.valueSerde(settings.kafka().serdeConfig()).deserializer());
    List<TopicPartition> alertPartitions =
        alerts.partitionsFor(Topics.MODEL_ALERTS.name(), settings.kafka().timeout()).stream()
            .map(p -> new TopicPartition(p.topic(), p.partition()))
            .toList();
    alerts.assign(alertPartitions);
    alerts.seekToEnd(alertPartitions);
    alertPartitions.forEach(alerts::position); // seekToEnd is lazy: only alerts from now on
  }

  /**
   * Runs rounds until {@link #stop()} or {@link RetrainSettings#maxRounds()}.
   *
   * @return the rounds that ended with a decision
   */
  public List<RetrainRound> run() {
    List<RetrainRound> rounds = new ArrayList<>();
    boolean drift = false;
    while (!stopped && (settings.maxRounds() == 0 || rounds.size() < settings.maxRounds())) {
      long labelled = counter.poll(settings.pollInterval(), settings.every());
      drift |= driftOfTheServingVersion();
      String trigger = null;
      if (labelled >= settings.every()) {
        trigger = labelled + " new labelled images";
      } else if (drift && labelled >= settings.minOnDrift()) {
        trigger = "drift alert, " + labelled + " new labelled images";
      }
      if (trigger == null) {
        continue;
      }
      drift = false;
      try {
        rounds.add(round(rounds.size() + 1, trigger));
        listener.onRound(rounds.get(rounds.size() - 1));
      } catch (RetrainException | PublishException e) {
        LOG.warn("Retraining round skipped: {}", e.getMessage());
        listener.onSkipped(e.getMessage());
      }
    }
    return rounds;
  }

  private RetrainRound round(int number, String trigger) throws RetrainException, PublishException {
    Map<Integer, Long> cut = counter.positions();
    Map<Integer, Long> from = start;
    start = cut;
    counter.cut();
    String model = settings.model();
    ModelDeployment deployment =
        catalog
            .deployment(model)
            .orElseThrow(
                () ->
                    new RetrainException(
                        "nothing of " + model + " is deployed: deploy a first version", null));
    ModelVersion serving =
        catalog
            .version(model, deployment.getVersion())
            .orElseThrow(
                () ->
                    new RetrainException(
                        model + " v" + deployment.getVersion() + " is not registered", null));
    List<TopicRange.PartitionRange> training = new ArrayList<>();
    List<TopicRange.PartitionRange> heldOut = new ArrayList<>();
    Map<Integer, Long> holdoutStart = new HashMap<>();
    for (Map.Entry<Integer, Long> end : cut.entrySet()) {
      int p = end.getKey();
      long s = from.getOrDefault(p, end.getValue());
      long split = s + (long) Math.floor((end.getValue() - s) * (1 - settings.holdoutFraction()));
      training.add(new TopicRange.PartitionRange(p, s, split));
      heldOut.add(new TopicRange.PartitionRange(p, split, end.getValue()));
      holdoutStart.put(p, split);
    }
    TopicRange trainingRange = new TopicRange(settings.imagesTopic(), training);
    TopicRange holdoutRange = new TopicRange(settings.imagesTopic(), heldOut);
    LOG.info(
        "Retraining round {} ({}): fine-tuning {} v{} on {}, judging on {}",
        number,
        trigger,
        model,
        serving.getVersion(),
        trainingRange,
        holdoutRange);
    Instant started = Instant.now();
    long t0 = System.nanoTime();
    ModelVersion candidate = trainer.train(serving, trainer.rangeOf(serving, trainingRange));
    long t1 = System.nanoTime();
    CandidateJudge.Decision decision =
        judge.judge(
            candidate,
            serving,
            new ReplayRange(
                new ReplayRange.PerPartition(holdoutStart), new ReplayRange.PerPartition(cut)),
            "retrain round " + number + " (" + trigger + ")");
    long t2 = System.nanoTime();
    return new RetrainRound(
        number,
        trigger,
        serving.getVersion(),
        candidate.getVersion(),
        trainingRange,
        holdoutRange,
        decision.promoted(),
        decision.reason(),
        decision.comparison().getCandidateAccuracy(),
        decision.comparison().getBaselineAccuracy(),
        decision.comparison().getImagesCompared(),
        started,
        Duration.ofNanos(t1 - t0),
        Duration.ofNanos(t2 - t1));
  }

  private boolean driftOfTheServingVersion() {
    boolean drift = false;
    for (ConsumerRecord<String, ModelAlert> r : alerts.poll(Duration.ZERO)) {
      if (r.value() != null && settings.model().equals(r.value().getModelName())) {
        LOG.info("Drift alert for {} v{}", settings.model(), r.value().getVersion());
        drift = true;
      }
    }
    return drift;
  }

  /** Makes {@link #run()} return after the round in progress. */
  public void stop() {
    stopped = true;
  }

  @Override
  public void close() {
    counter.close();
    alerts.close();
  }
}
