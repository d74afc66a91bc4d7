package io.glimpse.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glimpse.trainer.RequiredPackage;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The IDX reader on Debian's real Fashion-MNIST files (first few hundred images) and on bad ones.
 */
class FashionMnistTest {

  @TempDir Path dir;

  @Test
  void readsTheFirstImagesOfTheRealFiles() throws Exception {
    RequiredPackage.assumeInstalled(
        Files.isDirectory(FashionMnist.DEFAULT_DIRECTORY), "dataset-fashion-mnist");
    DataSplits splits =
        FashionMnist.source(DatasetOptions.defaults().withLimit(300).withValidationFraction(0.2))
            .load();

    assertThat(splits.train().size() + splits.validation().size()).isEqualTo(300);
    assertThat(splits.validation().size()).isBetween(55, 65);
    ImageDataset test = splits.testSet().orElseThrow();
    assertThat(test.size()).isEqualTo(300);
    assertThat(test.height()).isEqualTo(28);
    assertThat(test.width()).isEqualTo(28);
    assertThat(test.channels()).isEqualTo(1);
    // The first test image is an ankle boot, the second a pullover (the data set's README).
    assertThat(test.label(0)).isEqualTo(9);
    assertThat(test.label(1)).isEqualTo(2);
    assertThat(test.classes().get(9)).isEqualTo("Ankle boot");
    byte[] pixels = test.image(0).pixels();
    assertThat(pixels[0]).isZero(); // black corner
    assertThat(max(pixels)).isGreaterThan(200);
  }

  @Test
  void readsPlainAndGzippedFilesAlike() throws Exception {
    writeImages(dir.resolve("train-images-idx3-ubyte"), 2051, 20, false);
    writeLabels(dir.resolve("train-labels-idx1-ubyte.gz"), 2049, 20, true);
    writeImages(dir.resolve("t10k-images-idx3-ubyte.gz"), 2051, 10, true);
    writeLabels(dir.resolve("t10k-labels-idx1-ubyte"), 2049, 10, false);

    DataSplits splits = FashionMnist.source(DatasetOptions.defaults().withDirectory(dir)).load();

    assertThat(splits.train().size() + splits.validation().size()).isEqualTo(20);
    ImageDataset test = splits.testSet().orElseThrow();
    assertThat(test.label(3)).isEqualTo(3);
    assertThat(test.image(3).pixels()[5] & 0xff).isEqualTo((3 * 7 + 5) % 256);
  }

  @Test
  void isPresentOnlyWithAllFourFiles() throws Exception {
    assertThat(FashionMnist.isPresent(dir.resolve("nowhere"))).isFalse();
    assertThat(FashionMnist.isPresent(dir)).isFalse();
    writeImages(dir.resolve("train-images-idx3-ubyte"), 2051, 2, false);
    writeLabels(dir.resolve("train-labels-idx1-ubyte.gz"), 2049, 2, true);
    writeImages(dir.resolve("t10k-images-idx3-ubyte.gz"), 2051, 2, true);
    assertThat(FashionMnist.isPresent(dir)).isFalse();

    writeLabels(dir.resolve("t10k-labels-idx1-ubyte"), 2049, 2, false);

    assertThat(FashionMnist.isPresent(dir)).isTrue();
  }

  @Test
  void aMissingDirectorySaysHowToInstallTheData() {
    Path missing = dir.resolve("nowhere");
    assertThatThrownBy(
            () -> FashionMnist.source(DatasetOptions.defaults().withDirectory(missing)).load())
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining(missing.toString())
        .hasMessageContaining("apt-get install dataset-fashion-mnist");
  }

  @Test
  void aMissingFileIsNamed() throws Exception {
    writeImages(dir.resolve("train-images-idx3-ubyte.gz"), 2051, 4, true);
    assertThatThrownBy(() -> load())
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining(dir.resolve("train-labels-idx1-ubyte.gz").toString())
        .hasMessageContaining("does not exist");
  }

  @Test
  void aWrongMagicNumberIsReportedWithTheExpectedOne() throws Exception {
    writeImages(dir.resolve("train-images-idx3-ubyte"), 2049, 4, false);
    writeLabels(dir.resolve("train-labels-idx1-ubyte"), 2049, 4, false);
    assertThatThrownBy(() -> load())
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining(dir.resolve("train-images-idx3-ubyte").toString())
        .hasMessageContaining("magic number 2049")
        .hasMessageContaining("have 2051");
  }

  @Test
  void countsThatDisagreeAreRefused() throws Exception {
    writeImages(dir.resolve("train-images-idx3-ubyte"), 2051, 4, false);
    writeLabels(dir.resolve("train-labels-idx1-ubyte"), 2049, 5, false);
    assertThatThrownBy(() -> load())
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining("holds 4 images")
        .hasMessageContaining("holds 5 labels");
  }

  @Test
  void aTruncatedFileIsRefused() throws Exception {
    Path images = dir.resolve("train-images-idx3-ubyte");
    writeImages(images, 2051, 4, false);
    Files.write(images, java.util.Arrays.copyOf(Files.readAllBytes(images), 16 + 28 * 28 * 3));
    writeLabels(dir.resolve("train-labels-idx1-ubyte"), 2049, 4, false);
    assertThatThrownBy(() -> load())
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining(images.toString())
        .hasMessageContaining("truncated");
  }

  private void load() throws DatasetException {
    FashionMnist.source(DatasetOptions.defaults().withDirectory(dir)).read("train", 0);
  }

  /** Image i has pixel p = (7 i + p) mod 256. */
  static void writeImages(Path file, int magic, int count, boolean gzip) throws IOException {
    try (DataOutputStream out = new DataOutputStream(open(file, gzip))) {
      out.writeInt(magic);
      out.writeInt(count);
      out.writeInt(28);
      out.writeInt(28);
      for (int i = 0; i < count; i++) {
        for (int p = 0; p < 28 * 28; p++) {
          out.write((7 * i + p) % 256);
        }
      }
    }
  }

  /** Label i is i mod 10. */
  static void writeLabels(Path file, int magic, int count, boolean gzip) throws IOException {
    try (DataOutputStream out = new DataOutputStream(open(file, gzip))) {
      out.writeInt(magic);
      out.writeInt(count);
      for (int i = 0; i < count; i++) {
        out.write(i % 10);
      }
    }
  }

  private static OutputStream open(Path file, boolean gzip) throws IOException {
    OutputStream out = Files.newOutputStream(file);
    return gzip ? new GZIPOutputStream(out) : out;
  }

  private static int max(byte[] pixels) {
    int max = 0;
    for (byte b : pixels) {
      max = Math.max(max, b & 0xff);
    }
    return max;
  }
}
