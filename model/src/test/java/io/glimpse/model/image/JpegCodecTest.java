package io.glimpse.model.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Choosing the JPEG codec: the builder's option, the system property's default, the fallback. */
class JpegCodecTest {

  @AfterEach
  void clearProperty() {
    System.clearProperty(JpegCodec.PROPERTY);
  }

  @Test
  void usesImageIoWhenForcedEvenWithASizeHint() throws Exception {
    ImageDecoder decoder = ImageDecoder.builder().optJpegCodec(JpegCodec.IMAGEIO).build();
    byte[] jpeg = TestJpegs.jpeg(TestJpegs.photoLike(640, 480, 1), 75);

    DecodedImage image = decoder.decode(ContentTypes.JPEG, jpeg, null, null, null, 224, 224);

    assertThat(decoder.jpegCodec()).isEqualTo(JpegCodec.IMAGEIO);
    assertThat(new int[] {image.width(), image.height(), image.channels()})
        .as("ImageIO decodes at full size")
        .containsExactly(640, 480, 3);
  }

  @Test
  void takesTheDefaultFromTheSystemProperty() {
    System.setProperty(JpegCodec.PROPERTY, " ImageIO ");
    assertThat(JpegCodec.fromSystemProperty()).isEqualTo(JpegCodec.IMAGEIO);
    assertThat(ImageDecoder.builder().build().jpegCodec()).isEqualTo(JpegCodec.IMAGEIO);

    System.setProperty(JpegCodec.PROPERTY, "auto");
    assertThat(JpegCodec.fromSystemProperty()).isEqualTo(JpegCodec.AUTO);
    System.clearProperty(JpegCodec.PROPERTY);
    assertThat(JpegCodec.fromSystemProperty()).isEqualTo(JpegCodec.AUTO);
  }

  @Test
  void builderOptionWinsOverTheProperty() {
    System.setProperty(JpegCodec.PROPERTY, "native");

    assertThat(ImageDecoder.builder().optJpegCodec(JpegCodec.IMAGEIO).build().jpegCodec())
        .isEqualTo(JpegCodec.IMAGEIO);
  }

  @Test
  void autoResolvesToWhatLoaded() {
    JpegCodec expected = TurboJpeg.loaded().isPresent() ? JpegCodec.NATIVE : JpegCodec.IMAGEIO;

    assertThat(ImageDecoder.builder().optJpegCodec(JpegCodec.AUTO).build().jpegCodec())
        .isEqualTo(expected);
  }

  @Test
  void refusesAnUnknownPropertyValueAndANegativeSize() {
    System.setProperty(JpegCodec.PROPERTY, "turbo");
    assertThatThrownBy(() -> ImageDecoder.builder().build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("glimpse.image.decoder must be auto, native or imageio, got \"turbo\"");

    ImageDecoder decoder = ImageDecoder.builder().optJpegCodec(JpegCodec.IMAGEIO).build();
    assertThatThrownBy(
            () -> decoder.decode(ContentTypes.JPEG, new byte[] {1}, null, null, null, -1, 224))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("got -1x224");
  }
}
