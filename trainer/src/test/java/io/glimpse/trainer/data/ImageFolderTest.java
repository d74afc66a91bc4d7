package io.glimpse.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glimpse.model.artifact.InputShape;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The image-folder reader on PNG and JPEG files written here. */
class ImageFolderTest {

  @TempDir Path dir;

  @Test
  void readsOneClassPerSubdirectoryAndResizes() throws Exception {
    write("red", Color.RED, 6, "png");
    write("blue", Color.BLUE, 6, "jpg");
    Files.writeString(dir.resolve("blue/notes.txt"), "not an image");

    DataSplits splits =
        ImageFolder.source(
                DatasetOptions.defaults().withDirectory(dir).withValidationFraction(0.34),
                new InputShape(3, 32, 32))
            .load();

    ImageDataset train = splits.train();
    assertThat(train.classes()).containsExactly("blue", "red");
    assertThat(train.size()).isEqualTo(8);
    assertThat(splits.validation().size()).isEqualTo(4);
    assertThat(splits.testSet()).isEmpty();
    assertThat(train.width()).isEqualTo(32);
    int redIndex = train.label(0) == 1 ? 0 : train.size() - 1;
    byte[] pixels = train.image(redIndex).pixels();
    assertThat(pixels[0] & 0xff).isGreaterThan(240); // red stays red after resizing
    assertThat(pixels[2] & 0xff).isLessThan(15);
  }

  @Test
  void theSplitDependsOnlyOnTheSeed() throws Exception {
    write("a", Color.WHITE, 10, "png");
    write("b", Color.BLACK, 10, "png");
    DatasetOptions options = DatasetOptions.defaults().withDirectory(dir).withSeed(7);
    InputShape shape = new InputShape(1, 32, 32);

    DataSplits first = ImageFolder.source(options, shape).load();
    DataSplits second = ImageFolder.source(options, shape).load();

    assertThat(first.validation().size()).isEqualTo(2);
    assertThat(first.validation().image(1).pixels())
        .isEqualTo(second.validation().image(1).pixels());
  }

  @Test
  void aFolderWithOneClassIsRefused() throws Exception {
    write("only", Color.RED, 3, "png");
    assertThatThrownBy(
            () ->
                ImageFolder.source(
                        DatasetOptions.defaults().withDirectory(dir), new InputShape(3, 32, 32))
                    .load())
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining("at least 2");
  }

  @Test
  void anUndecodableImageIsNamed() throws Exception {
    write("a", Color.RED, 2, "png");
    write("b", Color.RED, 2, "png");
    Path broken = dir.resolve("b/broken.png");
    Files.write(broken, new byte[] {1, 2, 3});
    assertThatThrownBy(
            () ->
                ImageFolder.source(
                        DatasetOptions.defaults().withDirectory(dir), new InputShape(3, 32, 32))
                    .load())
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining(broken.toString());
  }

  private void write(String label, Color color, int count, String format) throws Exception {
    Path classDir = Files.createDirectories(dir.resolve(label));
    for (int i = 0; i < count; i++) {
      BufferedImage image = new BufferedImage(40 + i, 30, BufferedImage.TYPE_INT_RGB);
      Graphics2D g = image.createGraphics();
      g.setColor(color);
      g.fillRect(0, 0, image.getWidth(), image.getHeight());
      g.dispose();
      ImageIO.write(image, format, classDir.resolve(i + "." + format).toFile());
    }
  }
}
