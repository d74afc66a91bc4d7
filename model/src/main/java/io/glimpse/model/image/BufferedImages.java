package io.glimpse.model.image;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;

/**
 * Converts whatever ImageIO returns into 8-bit gray (one channel) or RGB (three channels): gray
 * stays gray, colour becomes RGB, alpha is dropped, palettes are expanded and samples wider than 8
 * bits are scaled down.
 */
final class BufferedImages {

  private BufferedImages() {}

  static DecodedImage toDecoded(BufferedImage image) {
    ColorModel colorModel = image.getColorModel();
    if (!(colorModel instanceof IndexColorModel) && colorModel.getNumColorComponents() == 1) {
      return gray(image);
    }
    if (isPlainSrgb(colorModel, image.getRaster())) {
      return plainRgb(image);
    }
    return convertedRgb(image);
  }

  /** Gray samples as stored (no colour-space conversion), scaled to 8 bits. */
  private static DecodedImage gray(BufferedImage image) {
    int width = image.getWidth();
    int height = image.getHeight();
    Raster raster = image.getRaster();
    long max = (1L << raster.getSampleModel().getSampleSize(0)) - 1;
    byte[] out = new byte[width * height];
    int[] row = new int[width];
    for (int y = 0; y < height; y++) {
      raster.getSamples(0, y, width, 1, 0, row);
      for (int x = 0; x < width; x++) {
        out[y * width + x] = (byte) ((row[x] * 255L + max / 2) / max);
      }
    }
    return new DecodedImage(width, height, 1, out);
  }

  /** 8-bit sRGB components, optionally with straight alpha: copy R, G and B. */
  private static boolean isPlainSrgb(ColorModel colorModel, Raster raster) {
    if (!(colorModel instanceof ComponentColorModel)
        || !colorModel.getColorSpace().isCS_sRGB()
        || colorModel.isAlphaPremultiplied()) {
      return false;
    }
    for (int size : raster.getSampleModel().getSampleSize()) {
      if (size != 8) {
        return false;
      }
    }
    return true;
  }

  private static DecodedImage plainRgb(BufferedImage image) {
    int width = image.getWidth();
    int height = image.getHeight();
    Raster raster = image.getRaster();
    int bands = raster.getNumBands();
    byte[] out = new byte[width * height * 3];
    int[] row = new int[width * bands];
    for (int y = 0; y < height; y++) {
      raster.getPixels(0, y, width, 1, row);
      int o = y * width * 3;
      for (int i = 0; i < row.length; i += bands) {
        out[o++] = (byte) row[i];
        out[o++] = (byte) row[i + 1];
        out[o++] = (byte) row[i + 2];
      }
    }
    return new DecodedImage(width, height, 3, out);
  }

  /** Anything else (palettes, 16-bit, other colour spaces): Java2D's conversion to sRGB. */
  private static DecodedImage convertedRgb(BufferedImage image) {
    int width = image.getWidth();
    int height = image.getHeight();
    byte[] out = new byte[width * height * 3];
    int[] row = new int[width];
    for (int y = 0; y < height; y++) {
      image.getRGB(0, y, width, 1, row, 0, width);
      int o = y * width * 3;
      for (int argb : row) {
        out[o++] = (byte) (argb >> 16);
        out[o++] = (byte) (argb >> 8);
        out[o++] = (byte) argb;
      }
    }
    return new DecodedImage(width, height, 3, out);
  }
}
