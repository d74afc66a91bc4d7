package io.glimpse.model.image;

import io.glimpse.model.image.ImageRejectedException.Reason;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/** Reads JPEG and PNG through {@code javax.imageio}, checking the header size before the pixels. */
final class EncodedImageReader {

  /** The encoded formats, by their ImageIO format name and content type. */
  enum Format {
    JPEG("jpeg", ContentTypes.JPEG),
    PNG("png", ContentTypes.PNG);

    private final String imageIoName;
    private final String contentType;

    Format(String imageIoName, String contentType) {
      this.imageIoName = imageIoName;
      this.contentType = contentType;
    }
  }

  private EncodedImageReader() {}

  static DecodedImage read(byte[] data, Format format, long maxPixels)
      throws ImageRejectedException {
    ImageReader reader = newReader(format);
    FirstWarning warning = new FirstWarning();
    reader.addIIOReadWarningListener(warning);
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(data))) {
      reader.setInput(in, true, true);
      checkSize(format, reader.getWidth(0), reader.getHeight(0), maxPixels);
      BufferedImage image = reader.read(0);
      if (warning.message != null) {
        throw undecodable(format, data, "the decoder warned: " + warning.message, null);
      }
      return BufferedImages.toDecoded(image);
    } catch (IOException | RuntimeException e) {
      throw undecodable(format, data, String.valueOf(e.getMessage()), e);
    } finally {
      reader.dispose();
    }
  }

  private static ImageReader newReader(Format format) {
    Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.imageIoName);
    if (!readers.hasNext()) {
      throw new IllegalStateException("this JDK has no ImageIO reader for " + format.imageIoName);
    }
    return readers.next();
  }

  private static void checkSize(Format format, int width, int height, long maxPixels)
      throws ImageRejectedException {
    if ((long) width * height > maxPixels) {
      throw new ImageRejectedException(
          Reason.TOO_LARGE,
          format.contentType
              + " header declares "
              + width
              + "x"
              + height
              + " pixels, over the limit of "
              + maxPixels
              + " pixels; downscale the image before sending (refused without decoding it)");
    }
  }

  private static ImageRejectedException undecodable(
      Format format, byte[] data, String detail, Throwable cause) {
    return new ImageRejectedException(
        Reason.UNDECODABLE,
        "expected a complete "
            + format.contentType
            + " image but "
            + data.length
            + " bytes starting with "
            + leadingBytes(data)
            + " did not decode ("
            + detail
            + "); send an intact image and check that the content type matches its format",
        cause);
  }

  private static String leadingBytes(byte[] data) {
    StringBuilder hex = new StringBuilder();
    for (int i = 0; i < Math.min(4, data.length); i++) {
      hex.append(i == 0 ? "" : " ").append(String.format(Locale.ROOT, "%02x", data[i] & 0xff));
    }
    return hex.toString();
  }

  /**
   * Keeps the decoder's first warning. Warnings mean the decoder made up pixels (for a truncated
   * JPEG it fills the rest with gray); classifying such an image would give a confident wrong
   * answer, so it is refused.
   */
  private static final class FirstWarning implements IIOReadWarningListener {
    private String message;

    @Override
    public void warningOccurred(ImageReader source, String warning) {
      if (message == null) {
        message = warning;
      }
    }
  }
}
