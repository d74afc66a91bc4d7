package io.glimpse.ops.publish;

import io.glimpse.model.image.ContentTypes;
import io.glimpse.model.image.ImageDecoder;
import io.glimpse.model.image.ImageRejectedException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Reads an image file and checks it the way the pipeline will, so that a file the pipeline would
 * dead-letter is reported to the person publishing it instead: it must be readable, no larger than
 * the pipeline's {@code glimpse.image.max.bytes}, a JPEG or PNG by its first bytes (or raw pixels
 * of the given layout), and decode completely within the pixel limit.
 */
public final class ImageFileReader {
  /** The pipeline's default {@code glimpse.image.max.bytes}: 900 KiB. */
  public static final long DEFAULT_MAX_BYTES = 921_600;

  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  private static final byte[] JPEG_SIGNATURE = {(byte) 0xff, (byte) 0xd8, (byte) 0xff};

  private final ImageDecoder decoder = ImageDecoder.builder().build();
  private final long maxBytes;
  private final RawLayout rawLayout;

  /**
   * Creates a reader.
   *
   * @param maxBytes the largest file accepted
   * @param rawLayout the layout of files that are neither JPEG nor PNG, or null to refuse them
   */
  public ImageFileReader(long maxBytes, RawLayout rawLayout) {
    if (maxBytes < 1) {
      throw new IllegalArgumentException("maxBytes must be positive, got " + maxBytes);
    }
    this.maxBytes = maxBytes;
    this.rawLayout = rawLayout;
  }

  /** Whether raw-pixel files are accepted. */
  public boolean acceptsRaw() {
    return rawLayout != null;
  }

  /**
   * Reads and checks one file.
   *
   * @throws UnreadableImageException naming the file, what is wrong and what to do
   */
  public ImageContent read(Path file) throws UnreadableImageException {
    byte[] data = readBytes(file);
    String type = contentType(file, data);
    try {
      if (type.equals(ContentTypes.RAW)) {
        decoder.decode(type, data, rawLayout.width(), rawLayout.height(), rawLayout.channels());
        return new ImageContent(
            type, data, rawLayout.width(), rawLayout.height(), rawLayout.channels());
      }
      decoder.decode(type, data, null, null, null);
      return new ImageContent(type, data, null, null, null);
    } catch (ImageRejectedException e) {
      throw new UnreadableImageException(file + ": " + e.getMessage(), e);
    }
  }

  private byte[] readBytes(Path file) throws UnreadableImageException {
    try {
      if (!Files.isRegularFile(file)) {
        throw new UnreadableImageException(file + ": not a regular file", null);
      }
      long size = Files.size(file);
      if (size == 0) {
        throw new UnreadableImageException(file + ": the file is empty", null);
      }
      if (size > maxBytes) {
        throw new UnreadableImageException(
            String.format(
                Locale.ROOT,
                "%s: %d bytes, over the %d the pipeline takes (glimpse.image.max.bytes): shrink it,"
                    + " or raise that limit in the pipeline and here with --max-bytes",
                file,
                size,
                maxBytes),
            null);
      }
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new UnreadableImageException(file + ": no such file", e);
    } catch (AccessDeniedException e) {
      throw new UnreadableImageException(file + ": permission denied", e);
    } catch (IOException e) {
      throw new UnreadableImageException(file + ": cannot be read: " + e, e);
    }
  }

  private String contentType(Path file, byte[] data) throws UnreadableImageException {
    if (startsWith(data, PNG_SIGNATURE)) {
      return ContentTypes.PNG;
    }
    if (startsWith(data, JPEG_SIGNATURE)) {
      return ContentTypes.JPEG;
    }
    if (rawLayout != null) {
      if (data.length != rawLayout.bytes()) {
        throw new UnreadableImageException(
            String.format(
                Locale.ROOT,
                "%s: neither JPEG nor PNG, and its %d bytes are not raw pixels of --raw-layout %s"
                    + " (%d bytes)",
                file,
                data.length,
                rawLayout,
                rawLayout.bytes()),
            null);
      }
      return ContentTypes.RAW;
    }
    throw new UnreadableImageException(
        file
            + ": not a JPEG or PNG image (it starts with "
            + HexFormat.ofDelimiter(" ").formatHex(data, 0, Math.min(8, data.length))
            + "); convert it, or publish raw pixels with --raw-layout <width>x<height>x<channels>",
        null);
  }

  private static boolean startsWith(byte[] data, byte[] prefix) {
    if (data.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (data[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }
}
