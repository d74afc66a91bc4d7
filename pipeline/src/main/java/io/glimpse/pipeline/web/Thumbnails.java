package io.glimpse.pipeline.web;

import io.glimpse.model.image.DecodedImage;
import io.glimpse.model.image.ImageDecoder;
import io.glimpse.model.image.ImageRejectedException;
import io.glimpse.schemas.avro.ImageEvent;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.Optional;
import javax.imageio.ImageIO;

/**
 * Makes the page's thumbnails: decodes an image with the pipeline's own decoder (its pixel limit
 * included), scales it to fit {@value #SIDE} pixels (never up: the page scales small images up
 * without smoothing) and encodes it once as a PNG data URI, so that a thumbnail costs a few
 * kilobytes however large the image was.
 */
final class Thumbnails {
  /** The longest side of a thumbnail, in pixels. */
  static final int SIDE = 96;

  private final ImageDecoder decoder;

  Thumbnails(ImageDecoder decoder) {
    this.decoder = decoder;
  }

  /** The image's thumbnail, or empty when it does not decode. */
  Optional<String> of(ImageEvent event) {
    try {
      return Optional.of(dataUri(scaled(toBufferedImage(decoder.decode(event, SIDE, SIDE)))));
    } catch (ImageRejectedException | IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static BufferedImage toBufferedImage(DecodedImage image) {
    int w = image.width();
    int h = image.height();
    int c = image.channels();
    byte[] px = image.pixels();
    BufferedImage out =
        new BufferedImage(w, h, c == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
    if (c == 1) {
      out.getRaster().setDataElements(0, 0, w, h, px);
      return out;
    }
    int[] rgb = new int[w * h];
    for (int i = 0; i < rgb.length; i++) {
      int o = i * c;
      rgb[i] = (px[o] & 0xff) << 16 | (px[o + 1] & 0xff) << 8 | (px[o + 2] & 0xff);
    }
    out.setRGB(0, 0, w, h, rgb, 0, w);
    return out;
  }

  private static BufferedImage scaled(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    double scale = Math.min(1.0, (double) SIDE / Math.max(w, h));
    if (scale == 1.0) {
      return image;
    }
    int sw = Math.max(1, (int) Math.round(w * scale));
    int sh = Math.max(1, (int) Math.round(h * scale));
    BufferedImage out = new BufferedImage(sw, sh, image.getType());
    Graphics2D g = out.createGraphics();
    try {
      g.setRenderingHint(
          RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.drawImage(image, 0, 0, sw, sh, null);
    } finally {
      g.dispose();
    }
    return out;
  }

  private static String dataUri(BufferedImage image) throws IOException {
    ByteArrayOutputStream png = new ByteArrayOutputStream(4096);
    if (!ImageIO.write(image, "png", png)) {
      throw new IOException("no PNG writer");
    }
    return "data:image/png;base64," + Base64.getEncoder().encodeToString(png.toByteArray());
  }
}
