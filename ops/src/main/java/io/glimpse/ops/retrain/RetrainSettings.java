package io.glimpse.ops.retrain;

import io.glimpse.lifecycle.KafkaConnection;
import io.glimpse.lifecycle.PromotionGate;
import io.glimpse.model.store.ModelStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How {@link RetrainLoop} retrains one model. Built with {@link #builder()}: {@code setX} required,
 * {@code optX} optional.
 */
public final class RetrainSettings {
  private final Builder b;

  private RetrainSettings(Builder b) {
    this.b = b;
  }

  /** A builder. */
  public static Builder builder() {
    return new Builder();
  }

  public String model() {
    return b.model;
  }

  public KafkaConnection kafka() {
    return b.kafka;
  }

  public ModelStore store() {
    return b.store;
  }

  public Path workDirectory() {
    return b.workDirectory;
  }

  public String imagesTopic() {
    return b.imagesTopic;
  }

  /** Where late labels come from ({@code labels} unless set); null for the events' labels only. */
  public String labelsTopic() {
    return b.labelsTopic;
  }

  /** Labelled images that start a round. */
  public long every() {
    return b.every;
  }

  /** On a drift alert of the serving version, labelled images enough to start a round early. */
  public long minOnDrift() {
    return b.minOnDrift;
  }

  /** The share of each round's newest images, per partition, held out for evaluation. */
  public double holdoutFraction() {
    return b.holdoutFraction;
  }

  public int epochs() {
    return b.epochs;
  }

  public int batchSize() {
    return b.batchSize;
  }

  public float learningRate() {
    return b.learningRate;
  }

  public long seed() {
    return b.seed;
  }

  public PromotionGate gate() {
    return b.gate;
  }

  public Duration pollInterval() {
    return b.pollInterval;
  }

  /** Rounds to run before {@link RetrainLoop#run()} returns; 0 for no limit. */
  public int maxRounds() {
    return b.maxRounds;
  }

  /** Builder in DJL's words. */
  public static final class Builder {
    private String model;
    private KafkaConnection kafka;
    private ModelStore store;
    private Path workDirectory;
    private String imagesTopic = "images";
    private String labelsTopic = "labels";
    private long every = 5_000;
    private long minOnDrift = -1;
    private double holdoutFraction = 0.2;
    private int epochs = 2;
    private int batchSize = 64;
    private float learningRate = 0.01f;
    private long seed = 42;
    private PromotionGate gate = new PromotionGate(500, PromotionGate.DEFAULT_MIN_AGREEMENT);
    private Duration pollInterval = Duration.ofSeconds(1);
    private int maxRounds;

    private Builder() {}

    /** The model whose serving version is retrained. Required. */
    public Builder setModel(String model) {
      this.model = model;
      return this;
    }

    /** Kafka and the registry. Required. */
    public Builder setKafka(KafkaConnection kafka) {
      this.kafka = kafka;
      return this;
    }

    /** The model store the serving version is in and candidates go to. Required. */
    public Builder setStore(ModelStore store) {
      this.store = store;
      return this;
    }

    /** Where training runs write (one directory per candidate). Required. */
    public Builder setWorkDirectory(Path workDirectory) {
      this.workDirectory = workDirectory;
      return this;
    }

    /** The images topic; {@code images} unless set. */
    public Builder optImagesTopic(String imagesTopic) {
      this.imagesTopic = imagesTopic;
      return this;
    }

    /**
     * The labels topic: its labels count as labelled images and label the training images (the
     * first per image wins over the event's own); {@code labels} unless set, null for none.
     */
    public Builder optLabelsTopic(String labelsTopic) {
      this.labelsTopic = labelsTopic;
      return this;
    }

    /** Labelled images per round; 5,000 unless set. */
    public Builder optEvery(long every) {
      this.every = every;
      return this;
    }

    /** Labelled images that start a round early on a drift alert; every / 5 unless set. */
    public Builder optMinOnDrift(long minOnDrift) {
      this.minOnDrift = minOnDrift;
      return this;
    }

    /** Share of each round's images held out for evaluation; 0.2 unless set. */
    public Builder optHoldoutFraction(double holdoutFraction) {
      this.holdoutFraction = holdoutFraction;
      return this;
    }

    /** Epochs per candidate; 2 unless set. */
    public Builder optEpochs(int epochs) {
      this.epochs = epochs;
      return this;
    }

    /** Training batch size; 64 unless set. */
    public Builder optBatchSize(int batchSize) {
      this.batchSize = batchSize;
      return this;
    }

    /** Fine-tuning learning rate; 0.01 unless set. */
    public Builder optLearningRate(float learningRate) {
      this.learningRate = learningRate;
      return this;
    }

    /** Seed of the splits and of training; 42 unless set. */
    public Builder optSeed(long seed) {
      this.seed = seed;
      return this;
    }

    /** The promotion gate; at least 500 compared images unless set. */
    public Builder optGate(PromotionGate gate) {
      this.gate = gate;
      return this;
    }

    /** How long one wait for new images lasts; 1 s unless set. */
    public Builder optPollInterval(Duration pollInterval) {
      this.pollInterval = pollInterval;
      return this;
    }

    /** Stop after this many rounds; 0 (no limit) unless set. */
    public Builder optMaxRounds(int maxRounds) {
      this.maxRounds = maxRounds;
      return this;
    }

    /**
     * Checks the settings.
     *
     * @throws IllegalArgumentException naming what is missing or out of range
     */
    public RetrainSettings build() {
      Objects.requireNonNull(model, "setModel is required");
      Objects.requireNonNull(kafka, "setKafka is required");
      Objects.requireNonNull(store, "setStore is required");
      Objects.requireNonNull(workDirectory, "setWorkDirectory is required");
      if (every < 10) {
        throw new IllegalArgumentException("--every must be at least 10 images, got " + every);
      }
      if (minOnDrift < 0) {
        minOnDrift = Math.max(10, every / 5);
      }
      if (!(holdoutFraction > 0 && holdoutFraction < 1)) {
        throw new IllegalArgumentException(
            "--holdout must be between 0 and 1, got " + holdoutFraction);
      }
      if (epochs < 1 || batchSize < 1 || !(learningRate > 0) || maxRounds < 0) {
        throw new IllegalArgumentException(
            "epochs, batch size and learning rate must be positive, rounds not negative");
      }
      return new RetrainSettings(this);
    }
  }
}
