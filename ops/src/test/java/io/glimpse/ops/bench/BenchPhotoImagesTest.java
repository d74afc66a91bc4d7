package io.glimpse.ops.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.glimpse.schemas.avro.ImageEvent;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.Test;

/** {@code --content photo}: camera-sized JPEGs of a photo's size, the same on every run. */
class BenchPhotoImagesTest {
  /** Keeps each event's JPEG bytes, so the events' mean size is the JPEGs' mean size. */
  private static final Serializer<ImageEvent> JPEG_BYTES =
      (topic, event) -> {
        ByteBuffer data = event.getData();
        byte[] bytes = new byte[data.remaining()];
        data.duplicate().get(bytes);
        return bytes;
      };

  @Test
  void vgaPhotosAtQuality85AreAboutFortyFiveKilobytes() throws IOException {
    BenchImages photos = photos(48);

    assertThat(photos.meanValueBytes()).isBetween(35_000.0, 55_000.0);
    for (byte[] jpeg : photos.values()) {
      assertThat(jpeg.length).isBetween(20_000, 80_000);
    }
    BufferedImage first = ImageIO.read(new ByteArrayInputStream(photos.value(0)));
    assertThat(first.getWidth()).isEqualTo(640);
    assertThat(first.getHeight()).isEqualTo(480);
  }

  @Test
  void theSameSeedsMakeTheSameBytes() {
    List<byte[]> once = new ArrayList<>(photos(8).values());
    List<byte[]> again = new ArrayList<>(photos(8).values());

    for (int i = 0; i < once.size(); i++) {
      assertThat(again.get(i)).as("photo %d", i).isEqualTo(once.get(i));
    }
  }

  private static BenchImages photos(int count) {
    return BenchImages.generate(
        count,
        BenchSettings.PHOTO_WIDTH,
        BenchSettings.PHOTO_HEIGHT,
        3,
        ImageFormat.JPEG,
        ImageContent.PHOTO,
        JPEG_BYTES);
  }
}
