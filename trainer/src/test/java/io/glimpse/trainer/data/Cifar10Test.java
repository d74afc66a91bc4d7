package io.glimpse.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CIFAR-10 binary reader on files written here in the official layout. */
class Cifar10Test {

  @TempDir Path dir;

  @Test
  void readsRecordsAndTurnsPlanesIntoInterleavedPixels() throws Exception {
    Path batches = Files.createDirectories(dir.resolve(Cifar10.ARCHIVE_DIRECTORY));
    writeBatch(batches.resolve("data_batch_1.bin"), 30, 0);
    writeBatch(batches.resolve("data_batch_2.bin"), 20, 30);
    writeBatch(batches.resolve("test_batch.bin"), 10, 100);

    DataSplits splits =
        Cifar10.source(DatasetOptions.defaults().withDirectory(dir).withValidationFraction(0.2))
            .load();

    assertThat(splits.train().size()).isEqualTo(40);
    assertThat(splits.validation().size()).isEqualTo(10);
    ImageDataset test = splits.testSet().orElseThrow();
    assertThat(test.size()).isEqualTo(10);
    assertThat(test.channels()).isEqualTo(3);
    assertThat(test.classes()).isEqualTo(Cifar10.CLASSES);
    assertThat(test.label(4)).isEqualTo(4);
    byte[] pixels = test.image(4).pixels();
    int p = 5 * 32 + 7; // row 5, column 7
    for (int c = 0; c < 3; c++) {
      assertThat(pixels[p * 3 + c] & 0xff).isEqualTo(value(104, c, p));
    }
  }

  @Test
  void readsClassNamesFromTheMetaFileAndHonoursTheLimit() throws Exception {
    writeBatch(dir.resolve("data_batch_1.bin"), 30, 0);
    Files.writeString(dir.resolve("batches.meta.txt"), "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n\n");

    DataSplits splits =
        Cifar10.source(DatasetOptions.defaults().withDirectory(dir).withLimit(20)).load();

    assertThat(splits.train().size() + splits.validation().size()).isEqualTo(20);
    assertThat(splits.train().classes()).startsWith("a", "b").hasSize(10);
    assertThat(splits.testSet()).isEmpty();
  }

  @Test
  void aFileOfPartialRecordsIsRefused() throws Exception {
    Path file = dir.resolve("data_batch_1.bin");
    Files.write(file, new byte[Cifar10.RECORD_BYTES + 5]);
    assertThatThrownBy(() -> Cifar10.source(DatasetOptions.defaults().withDirectory(dir)).load())
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("3073-byte");
  }

  @Test
  void aDirectoryWithoutBatchesIsRefused() {
    assertThatThrownBy(() -> Cifar10.source(DatasetOptions.defaults().withDirectory(dir)).load())
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining("data_batch_1.bin")
        .hasMessageContaining("does not exist");
  }

  /** Record r: label r mod 10, channel c pixel p = (r + 3 c + p) mod 256. */
  private static void writeBatch(Path file, int records, int first) throws IOException {
    byte[] bytes = new byte[records * Cifar10.RECORD_BYTES];
    for (int r = 0; r < records; r++) {
      int at = r * Cifar10.RECORD_BYTES;
      bytes[at] = (byte) ((first + r) % 10);
      for (int c = 0; c < 3; c++) {
        for (int p = 0; p < 1024; p++) {
          bytes[at + 1 + c * 1024 + p] = (byte) value(first + r, c, p);
        }
      }
    }
    Files.write(file, bytes);
  }

  private static int value(int record, int channel, int pixel) {
    return (record + 3 * channel + pixel) % 256;
  }
}
