package io.glimpse.trainer.data;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Record;
import ai.djl.util.Progress;
import io.glimpse.model.artifact.InputShape;
import io.glimpse.model.artifact.Normalization;
import java.nio.FloatBuffer;
import java.util.Random;

/**
 * An {@link ImageDataset} as a DJL {@link RandomAccessDataset}: each image becomes a normalized
 * C×H×W float array and its label a float scalar.
 *
 * <p>{@link #epoch} is the fast path the trainer uses: it builds each batch as one float array in
 * Java (shuffle and augmentation drawn from a {@link Random} seeded by seed and epoch, so a resumed
 * run sees exactly the batches an uninterrupted one would) and creates the batch's two arrays from
 * a sub-manager that {@link Batch#close()} frees. Arrays never come from a long-lived manager:
 * design.md measured a leak of about 10 MB per batch that way.
 */
public final class TrainingDataset extends RandomAccessDataset {

  private final ImageDataset images;
  private final Normalization normalization;
  private final Augmentation augmentation;
  private final int batchSize;
  private final boolean shuffle;
  private final long seed;
  private final InputShape servingInput;

  private TrainingDataset(Builder builder) {
    super(builder);
    images = builder.images;
    normalization = builder.normalization;
    augmentation = builder.augmentation;
    batchSize = builder.batchSize;
    shuffle = builder.shuffle;
    seed = builder.seed;
    servingInput = builder.servingInput;
  }

  /**
   * Returns a builder; images, normalization and batch size are required.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the images behind this data set.
   *
   * @return the images
   */
  public ImageDataset images() {
    return images;
  }

  /**
   * Returns the number of batches an epoch yields: partial last batches are dropped when training
   * (batch normalization needs more than one image) and kept otherwise.
   *
   * @param maxBatches a cap, 0 for none
   * @return the number of batches
   */
  public int batchesPerEpoch(int maxBatches) {
    int n = shuffle ? images.size() / batchSize : (images.size() + batchSize - 1) / batchSize;
    return maxBatches > 0 ? Math.min(n, maxBatches) : n;
  }

  /**
   * Returns one epoch's batches.
   *
   * @param manager the parent of each batch's manager (the trainer's)
   * @param epoch the epoch number; it seeds the shuffle and the augmentation
   * @param maxBatches at most this many batches, 0 for all
   * @return the batches, created lazily; close each one after use
   */
  public Iterable<Batch> epoch(NDManager manager, int epoch, int maxBatches) {
    Random random = new Random(seed * 7_919L + epoch);
    int[] order = new int[images.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    if (shuffle) {
      for (int i = order.length - 1; i > 0; i--) {
        int j = random.nextInt(i + 1);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
    }
    BatchAssembler assembler = assembler(augmentation);
    int batches = batchesPerEpoch(maxBatches);
    return () -> new EpochIterator(manager, assembler, order, batches, batchSize, random);
  }

  /** Returns the whole data set once, in order, without augmentation or shuffling. */
  @Override
  public Iterable<Batch> getData(NDManager manager) {
    return epoch(manager, 0, 0);
  }

  @Override
  public Record get(NDManager manager, long index) {
    int i = Math.toIntExact(index);
    BatchAssembler assembler = assembler(Augmentation.NONE);
    float[] image = new float[assembler.imageFloats()];
    assembler.write(new int[] {i}, 0, 1, null, image);
    Shape shape = assembler.batchShape(1).slice(1);
    NDList data = new NDList(manager.create(FloatBuffer.wrap(image), shape));
    NDList label = new NDList(manager.create((float) images.label(i)));
    return new Record(data, label);
  }

  private BatchAssembler assembler(Augmentation chosen) {
    return servingInput == null
        ? new BatchAssembler(images, normalization, chosen)
        : BatchAssembler.serving(images, servingInput, normalization);
  }

  @Override
  protected long availableSize() {
    return images.size();
  }

  @Override
  public void prepare(Progress progress) {
    // In memory already: readers load everything when the data source is loaded.
  }

  /** Builder in DJL's words: {@code setX} required, {@code optX} optional. */
  public static final class Builder extends BaseBuilder<Builder> {
    private ImageDataset images;
    private Normalization normalization;
    private Augmentation augmentation = Augmentation.NONE;
    private int batchSize;
    private boolean shuffle;
    private long seed;
    private InputShape servingInput;

    private Builder() {}

    @Override
    protected Builder self() {
      return this;
    }

    /**
     * Sets the images. Required.
     *
     * @param images the images, already at the network's input size unless {@link #optServingInput}
     *     is set
     * @return this builder
     */
    public Builder setImages(ImageDataset images) {
      this.images = images;
      return this;
    }

    /**
     * Sets the per-channel normalization. Required.
     *
     * @param normalization mean and std on the 0-1 scale
     * @return this builder
     */
    public Builder setNormalization(Normalization normalization) {
      this.normalization = normalization;
      return this;
    }

    /**
     * Sets the batch size and whether each epoch is shuffled (and drops its partial last batch).
     * Required.
     *
     * @param batchSize images per batch
     * @param shuffle true for training data
     * @return this builder
     */
    public Builder setBatching(int batchSize, boolean shuffle) {
      this.batchSize = batchSize;
      this.shuffle = shuffle;
      setSampling(Math.max(1, batchSize), shuffle, shuffle);
      return this;
    }

    /**
     * Sets the augmentation. Defaults to none.
     *
     * @param augmentation crop and flip settings
     * @return this builder
     */
    public Builder optAugmentation(Augmentation augmentation) {
      this.augmentation = augmentation;
      return this;
    }

    /**
     * Makes every batch the way the pipeline serves images: each image, at its own size, resized
     * and normalized to {@code input} in floats by the model module's {@code ImagePreprocessor}.
     * For evaluation only (no augmentation). Defaults to none: the images are at the input size.
     *
     * @param input the network's input shape, or null
     * @return this builder
     */
    public Builder optServingInput(InputShape input) {
      this.servingInput = input;
      return this;
    }

    /**
     * Sets the seed of shuffling and augmentation. Defaults to 0.
     *
     * @param seed the seed
     * @return this builder
     */
    public Builder optSeed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * Checks the settings and builds the data set.
     *
     * @return the data set
     * @throws IllegalArgumentException when a required setting is missing or invalid
     */
    public TrainingDataset build() {
      if (images == null || normalization == null) {
        throw new IllegalArgumentException("setImages and setNormalization are required");
      }
      if (servingInput != null && (shuffle || !augmentation.equals(Augmentation.NONE))) {
        throw new IllegalArgumentException(
            "the serving input is for evaluation: no shuffling and no augmentation");
      }
      if (batchSize < 1) {
        throw new IllegalArgumentException("setBatching needs a positive batch size");
      }
      if (shuffle && images.size() < batchSize) {
        throw new IllegalArgumentException(
            "a training batch of "
                + batchSize
                + " needs at least that many images, got "
                + images.size()
                + "; lower the batch size");
      }
      return new TrainingDataset(this);
    }
  }
}
