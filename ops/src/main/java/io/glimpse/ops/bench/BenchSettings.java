package io.glimpse.ops.bench;

import io.glimpse.model.artifact.InputShape;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What {@code glimpse bench pipeline} measures: the model (MobileNetV1 width α and input shape),
 * the source images, the batch size, the pipeline settings the benchmark passes, and whether a
 * Python peer runs beside it.
 *
 * @param widthMultiplier MobileNet α in (0, 1]
 * @param inputSize the model's input height and width (at least 32)
 * @param channels the model's input channels, and the source images' (1 or 3)
 * @param classes the model's output classes
 * @param batchSize B: the raw batch size and the pipeline's {@code glimpse.batch.max.size}
 * @param images M: images pre-published per throughput phase
 * @param imageWidth the encoded source images' width
 * @param imageHeight the encoded source images' height
 * @param format how the source images are encoded
 * @param content what the source images show
 * @param loadSeconds how long the latency probe offers its paced load
 * @param loadFractions offered loads for the latency probes, as fractions of the measured pipeline
 *     throughput
 * @param lowRate a fixed low offered load (images/s) probed first, or 0 for none
 * @param guarantee the pipeline's {@code processing.guarantee}
 * @param threads the pipeline's {@code num.stream.threads}; 0 leaves it to the pipeline (auto: one
 *     per core when the model runs best on one intra-op thread)
 * @param partitions partitions of the benchmark's images topic
 * @param lingerMs the pipeline's {@code glimpse.batch.max.linger.ms}
 * @param commitIntervalMs the pipeline's {@code commit.interval.ms}, or -1 for its default
 * @param warmUpRuns unreported batched pipeline runs before the measured one (JIT warm-up)
 * @param badFraction the share of poison records in the batched phase run with bad input; 0 skips
 *     that phase
 * @param idleFlush whether the pipeline flushes and commits when no input waits (its default)
 * @param peer whether the Python peer ({@link PythonPeer}) runs
 * @param peerThreads the peer's {@code torch.set_num_threads}; 0 picks 1 for inputs up to 64×64
 *     (intra-op threads do not pay there) and 2 otherwise, at most the cores
 */
public record BenchSettings(
    float widthMultiplier,
    int inputSize,
    int channels,
    int classes,
    int batchSize,
    int images,
    int imageWidth,
    int imageHeight,
    ImageFormat format,
    ImageContent content,
    int loadSeconds,
    List<Double> loadFractions,
    double lowRate,
    String guarantee,
    int threads,
    int partitions,
    long lingerMs,
    long commitIntervalMs,
    int warmUpRuns,
    double badFraction,
    boolean idleFlush,
    Peer peer,
    int peerThreads) {

  /** The processing guarantees the pipeline accepts. */
  public static final Set<String> GUARANTEES = Set.of("exactly_once_v2", "at_least_once");

  /** The size of {@code --content photo} images unless {@code --image-size} says otherwise. */
  public static final int PHOTO_WIDTH = 640;

  public static final int PHOTO_HEIGHT = 480;

  /** Whether the Python peer runs: {@code --peer}, {@code --no-peer}, or when Python can. */
  public enum Peer {
    /** Runs when {@code /usr/bin/python3} imports the modules it needs; skipped otherwise. */
    AUTO,
    /** Runs; the benchmark fails up front when Python cannot. */
    ON,
    /** Skipped. */
    OFF
  }

  /** Validates every setting; the message names the option to fix. */
  public BenchSettings {
    require(widthMultiplier > 0 && widthMultiplier <= 1, "--width must be in (0, 1]");
    new InputShape(channels, inputSize, inputSize); // MobileNetV1's own limits
    require(classes >= 2, "--classes must be at least 2");
    require(batchSize >= 1, "--batch-size must be at least 1");
    require(images >= 2 * batchSize, "--images must be at least twice --batch-size");
    require(imageWidth >= 1 && imageHeight >= 1, "--image-size must be at least 1x1");
    require(format != null, "--format must be jpeg, png or raw");
    require(content != null, "--content must be synthetic or photo");
    require(
        content != ImageContent.PHOTO || format == ImageFormat.JPEG,
        "--content photo takes --format jpeg (photos are JPEGs)");
    require(loadSeconds >= 1, "--load-seconds must be at least 1");
    loadFractions = List.copyOf(loadFractions);
    require(
        !loadFractions.isEmpty()
            && loadFractions.stream().allMatch(f -> f > 0 && f <= 2)
            && loadFractions.stream().distinct().count() == loadFractions.size(),
        "--load-fraction must be one or more different fractions in (0, 2]");
    require(lowRate >= 0, "--low-rate must not be negative");
    require(
        guarantee != null && GUARANTEES.contains(guarantee),
        "--guarantee must be exactly_once_v2 or at_least_once");
    require(threads >= 0, "--threads must not be negative");
    require(partitions >= 1, "--partitions must be at least 1");
    require(lingerMs >= 0, "--linger-ms must not be negative");
    require(commitIntervalMs >= -1, "--commit-interval-ms must not be negative");
    require(warmUpRuns >= 0, "--warm-up-runs must not be negative");
    require(badFraction >= 0 && badFraction <= 0.5, "--bad-fraction must be in [0, 0.5]");
    require(peer != null, "--peer must be on, off or auto");
    require(peerThreads >= 0, "--peer-threads must not be negative");
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }

  /** The model's input shape. */
  public InputShape inputShape() {
    return new InputShape(channels, inputSize, inputSize);
  }

  /** The model as the report names it, e.g. {@code mobilenet_v1 alpha=0.25 3x64x64}. */
  public String modelDescription() {
    return String.format(
        Locale.ROOT,
        "mobilenet_v1 alpha=%s %dx%dx%d",
        trim(widthMultiplier),
        channels,
        inputSize,
        inputSize);
  }

  /** The source images' size as the report names it, e.g. {@code 640x480}. */
  public String imageSizeDescription() {
    return imageWidth + "x" + imageHeight;
  }

  /** The Python peer's torch threads: {@link #peerThreads()}, or as that describes for 0. */
  public int peerThreadsOrDefault() {
    if (peerThreads > 0) {
      return peerThreads;
    }
    int threads = inputSize <= 64 ? 1 : 2;
    return Math.min(threads, Runtime.getRuntime().availableProcessors());
  }

  private static String trim(float value) {
    String text = Float.toString(value);
    return text.endsWith(".0") ? text.substring(0, text.length() - 2) : text;
  }

  /**
   * A builder with the command line's defaults (α=0.25, 3x64x64, B=32, 3000 synthetic JPEG images,
   * the Python peer when Python can run it).
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Builder in DJL's words: every setting is optional, {@link #build()} validates. */
  public static final class Builder {
    private float widthMultiplier = 0.25f;
    private int inputSize = 64;
    private int channels = 3;
    private int classes = 10;
    private int batchSize = 32;
    private int images = 3000;
    private int imageWidth;
    private int imageHeight;
    private ImageFormat format = ImageFormat.JPEG;
    private ImageContent content = ImageContent.SYNTHETIC;
    private int loadSeconds = 20;
    private List<Double> loadFractions = List.of(0.5);
    private double lowRate;
    private String guarantee = "exactly_once_v2";
    private int threads;
    private int partitions;
    private long lingerMs = 20;
    private long commitIntervalMs = -1;
    private int warmUpRuns = 2;
    private double badFraction = 0.02;
    private boolean idleFlush = true;
    private Peer peer = Peer.AUTO;
    private int peerThreads;

    private Builder() {}

    /** MobileNet α (default 0.25). */
    public Builder optWidthMultiplier(float widthMultiplier) {
      this.widthMultiplier = widthMultiplier;
      return this;
    }

    /** Input height and width (default 64). */
    public Builder optInputSize(int inputSize) {
      this.inputSize = inputSize;
      return this;
    }

    /** Input channels, 1 or 3 (default 3). */
    public Builder optChannels(int channels) {
      this.channels = channels;
      return this;
    }

    /** Output classes (default 10). */
    public Builder optClasses(int classes) {
      this.classes = classes;
      return this;
    }

    /** B (default 32). */
    public Builder optBatchSize(int batchSize) {
      this.batchSize = batchSize;
      return this;
    }

    /** M (default 3000). */
    public Builder optImages(int images) {
      this.images = images;
      return this;
    }

    /** Square source images; 0 (default) means the input size, or 640×480 for photos. */
    public Builder optImageSize(int imageSize) {
      return optImageSize(imageSize, imageSize);
    }

    /** Source image width and height; 0 (default) means the input size, or 640×480 for photos. */
    public Builder optImageSize(int width, int height) {
      this.imageWidth = width;
      this.imageHeight = height;
      return this;
    }

    /** What the source images show (default synthetic). */
    public Builder optContent(ImageContent content) {
      this.content = content;
      return this;
    }

    /** Runs the Python peer ({@code true}) or skips it; by default it runs when Python can. */
    public Builder optPeer(boolean peer) {
      this.peer = peer ? Peer.ON : Peer.OFF;
      return this;
    }

    /** The Python peer's torch threads; 0 (default) picks by input size. */
    public Builder optPeerThreads(int peerThreads) {
      this.peerThreads = peerThreads;
      return this;
    }

    /** Source encoding (default JPEG). */
    public Builder optFormat(ImageFormat format) {
      this.format = format;
      return this;
    }

    /** Seconds of paced load for the latency probe (default 20). */
    public Builder optLoadSeconds(int loadSeconds) {
      this.loadSeconds = loadSeconds;
      return this;
    }

    /** Offered load as a fraction of the measured throughput (default 0.5). */
    public Builder optLoadFractions(List<Double> loadFractions) {
      this.loadFractions = loadFractions;
      return this;
    }

    /** {@code exactly_once_v2} (default) or {@code at_least_once}. */
    public Builder optGuarantee(String guarantee) {
      this.guarantee = guarantee == null ? null : guarantee.toLowerCase(Locale.ROOT);
      return this;
    }

    /** Stream threads (default 1). */
    public Builder optThreads(int threads) {
      this.threads = threads;
      return this;
    }

    /** Partitions of the images topic; 0 (default) means one per stream thread. */
    public Builder optPartitions(int partitions) {
      this.partitions = partitions;
      return this;
    }

    /** The batch linger in ms (default 20). */
    public Builder optLingerMs(long lingerMs) {
      this.lingerMs = lingerMs;
      return this;
    }

    /** {@code commit.interval.ms}; -1 (default) keeps the pipeline's own default. */
    public Builder optCommitIntervalMs(long commitIntervalMs) {
      this.commitIntervalMs = commitIntervalMs;
      return this;
    }

    /** Unreported batched runs before the measured one (default 2). */
    public Builder optWarmUpRuns(int warmUpRuns) {
      this.warmUpRuns = warmUpRuns;
      return this;
    }

    /** The share of poison records in the phase with bad input (default 0.02; 0 skips it). */
    public Builder optBadFraction(double badFraction) {
      this.badFraction = badFraction;
      return this;
    }

    /** Sets a fixed low offered load, in images/s, probed before the fractions (0: none). */
    public Builder optLowRate(double lowRate) {
      this.lowRate = lowRate;
      return this;
    }

    /**
     * Sets whether the pipeline flushes and commits when no input waits ({@code
     * glimpse.batch.flush.when.idle} and {@code commit.when.idle}; false: size and linger only).
     */
    public Builder optIdleFlush(boolean idleFlush) {
      this.idleFlush = idleFlush;
      return this;
    }

    /**
     * Validates and builds the settings.
     *
     * @throws IllegalArgumentException naming the option that is out of range
     */
    public BenchSettings build() {
      boolean photo = content == ImageContent.PHOTO;
      int defaultWidth = photo ? PHOTO_WIDTH : inputSize;
      int defaultHeight = photo ? PHOTO_HEIGHT : inputSize;
      return new BenchSettings(
          widthMultiplier,
          inputSize,
          channels,
          classes,
          batchSize,
          images,
          imageWidth == 0 && imageHeight == 0 ? defaultWidth : imageWidth,
          imageWidth == 0 && imageHeight == 0 ? defaultHeight : imageHeight,
          format,
          content,
          loadSeconds,
          loadFractions,
          lowRate,
          guarantee,
          threads,
          partitions == 0
              ? (threads == 0 ? Runtime.getRuntime().availableProcessors() : threads)
              : partitions,
          lingerMs,
          commitIntervalMs,
          warmUpRuns,
          badFraction,
          idleFlush,
          peer,
          peerThreads);
    }
  }
}
