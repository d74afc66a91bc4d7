package io.glimpse.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Record;
import io.glimpse.model.artifact.InputShape;
import io.glimpse.model.artifact.Normalization;
import io.glimpse.model.image.ImagePreprocessor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Batches as the trainer sees them: shapes, values, per-epoch determinism, memory ownership. */
class TrainingDatasetTest {

  /** Ten 1×32×32 images; image i has every pixel equal to 10 i; label i mod 3. */
  private static final ImageDataset IMAGES = images();

  private static final Normalization NORMALIZATION =
      new Normalization(List.of(0.5f), List.of(0.25f));

  @Test
  void evaluationBatchesHoldEveryImageNormalizedInOrder() {
    TrainingDataset data = dataset(4, false, Augmentation.NONE);
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      List<Batch> batches = new ArrayList<>();
      data.getData(manager).forEach(batches::add);

      assertThat(batches).hasSize(3);
      assertThat(batches.get(2).getSize()).isEqualTo(2);
      Batch first = batches.get(0);
      assertThat(first.getData().head().getShape()).isEqualTo(new Shape(4, 1, 32, 32));
      float[] values = first.getData().head().toFloatArray();
      assertThat(values[1024 * 3]).isEqualTo((30 / 255f - 0.5f) / 0.25f);
      assertThat(first.getLabels().head().toFloatArray()).containsExactly(0, 1, 2, 0);
      batches.forEach(Batch::close);
      assertThat(first.getData().head().isReleased()).isTrue();
    }
  }

  @Test
  void trainingEpochsShuffleByEpochDropThePartialBatchAndRepeatExactly() {
    TrainingDataset data = dataset(4, true, Augmentation.DEFAULT);
    assertThat(data.batchesPerEpoch(0)).isEqualTo(2);
    assertThat(data.batchesPerEpoch(1)).isEqualTo(1);
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      float[] epoch3 = firstBatch(data, manager, 3);
      assertThat(firstBatch(data, manager, 3)).isEqualTo(epoch3);
      assertThat(firstBatch(data, manager, 4)).isNotEqualTo(epoch3);
    }
  }

  @Test
  void aSingleRecordIsOneNormalizedImage() {
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      Record record = dataset(4, false, Augmentation.NONE).get(manager, 7);
      assertThat(record.getData().head().getShape()).isEqualTo(new Shape(1, 32, 32));
      assertThat(record.getData().head().toFloatArray()[100]).isEqualTo((70 / 255f - 0.5f) / 0.25f);
      assertThat(record.getLabels().head().getFloat()).isEqualTo(1f);
    }
  }

  @Test
  void cropShiftsFillTheBorderWithBlackAndFlipsMirror() {
    byte[] pixels = new byte[32 * 32];
    pixels[5 * 32 + 0] = (byte) 200; // row 5, column 0
    ImageDataset one = new InMemoryImageDataset(List.of("x"), 1, 32, 32, pixels, new int[] {0});
    BatchAssembler flipOnly =
        new BatchAssembler(one, new Normalization(List.of(0f), List.of(1f)), Augmentation.NONE);
    float[] out = new float[1024];
    flipOnly.write(new int[] {0}, 0, 1, null, out);
    assertThat(out[5 * 32]).isEqualTo(200 / 255f);

    BatchAssembler flipping =
        new BatchAssembler(one, new Normalization(List.of(0f), List.of(1f)), flipAlways());
    flipping.write(new int[] {0}, 0, 1, new java.util.Random(1), out);
    assertThat(out[5 * 32 + 31]).isEqualTo(200 / 255f);
    assertThat(out[5 * 32]).isZero();
  }

  @Test
  void evaluationAtTheServingInputWritesWhatThePipelineFeedsTheModel() {
    InputShape input = new InputShape(1, 64, 64);
    TrainingDataset data =
        TrainingDataset.builder()
            .setImages(IMAGES)
            .setNormalization(NORMALIZATION)
            .setBatching(4, false)
            .optServingInput(input)
            .build();
    float[] expected = new float[3 * 64 * 64];
    ImagePreprocessor.of(input, NORMALIZATION).writeTensor(IMAGES.image(3), expected, 0);
    try (NDManager manager = NDManager.newBaseManager("PyTorch");
        Batch first = data.getData(manager).iterator().next()) {
      assertThat(first.getData().head().getShape()).isEqualTo(new Shape(4, 1, 64, 64));
      float[] values = first.getData().head().toFloatArray();
      assertThat(java.util.Arrays.copyOfRange(values, 3 * 4096, 4 * 4096))
          .isEqualTo(java.util.Arrays.copyOf(expected, 4096));
      assertThat(data.get(manager, 3).getData().head().getShape()).isEqualTo(new Shape(1, 64, 64));
    }
  }

  @Test
  void randomErasingFillsOneRectangleOfTwoToFortyPercentWithRandomPixels() {
    byte[] pixels = new byte[32 * 32];
    java.util.Arrays.fill(pixels, (byte) 7); // a value the eraser draws only 1 time in 256
    ImageDataset one = new InMemoryImageDataset(List.of("x"), 1, 32, 32, pixels, new int[] {0});
    Normalization identity = new Normalization(List.of(0f), List.of(1f));
    float[] plain = new float[1024];
    new BatchAssembler(one, identity, new Augmentation(0, false, 0f))
        .write(new int[] {0}, 0, 1, new java.util.Random(3), plain);
    for (float v : plain) {
      assertThat(v).isEqualTo(7 / 255f);
    }

    BatchAssembler erasing = new BatchAssembler(one, identity, new Augmentation(0, false, 1f));
    java.util.Random random = new java.util.Random(3);
    for (int image = 0; image < 20; image++) {
      float[] out = new float[1024];
      erasing.write(new int[] {0}, 0, 1, random, out);
      int top = 32;
      int bottom = -1;
      int left = 32;
      int right = -1;
      int changed = 0;
      for (int y = 0; y < 32; y++) {
        for (int x = 0; x < 32; x++) {
          if (out[y * 32 + x] != plain[y * 32 + x]) {
            changed++;
            top = Math.min(top, y);
            bottom = Math.max(bottom, y);
            left = Math.min(left, x);
            right = Math.max(right, x);
          }
        }
      }
      int box = (bottom - top + 1) * (right - left + 1);
      // 2-40 % of 1024 pixels, give or take the rounding of the rectangle's sides
      assertThat(box).as("image %d: erased box", image).isBetween(10, 440);
      assertThat(changed)
          .as("image %d: most of the box is random", image)
          .isGreaterThan(box * 9 / 10);
    }
  }

  private static Augmentation flipAlways() {
    // With a seeded Random the flip is a coin toss; seed 1's first boolean is true.
    assertThat(new java.util.Random(1).nextBoolean()).isTrue();
    return new Augmentation(0, true);
  }

  private static float[] firstBatch(TrainingDataset data, NDManager manager, int epoch) {
    try (Batch batch = data.epoch(manager, epoch, 1).iterator().next()) {
      return batch.getData().head().toFloatArray();
    }
  }

  private static TrainingDataset dataset(int batchSize, boolean shuffle, Augmentation aug) {
    return TrainingDataset.builder()
        .setImages(IMAGES)
        .setNormalization(NORMALIZATION)
        .setBatching(batchSize, shuffle)
        .optAugmentation(aug)
        .optSeed(11)
        .build();
  }

  private static ImageDataset images() {
    byte[] pixels = new byte[10 * 1024];
    int[] labels = new int[10];
    for (int i = 0; i < 10; i++) {
      java.util.Arrays.fill(pixels, i * 1024, (i + 1) * 1024, (byte) (10 * i));
      labels[i] = i % 3;
    }
    return new InMemoryImageDataset(List.of("a", "b", "c"), 1, 32, 32, pixels, labels);
  }
}
