package io.glimpse.model.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
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
      Rejections.checkSize(format.contentType, reader.getWidth(0), reader.getHeight(0), maxPixels);
      BufferedImage image = reader.read(0);
      if (warning.message != null) {
        throw Rejections.undecodable(
            format.contentType, data, "the decoder warned: " + warning.message, null);
      }
      return BufferedImages.toDecoded(image);
    } catch (IOException | RuntimeException e) {
      throw Rejections.undecodable(format.contentType, data, String.valueOf(e.getMessage()), e);
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
