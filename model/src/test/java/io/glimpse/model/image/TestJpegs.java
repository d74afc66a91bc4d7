package io.glimpse.model.image;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOInvalidTreeException;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.ImageOutputStream;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** JPEGs written by ImageIO for the decoder tests and the decode benchmark. */
final class TestJpegs {

  private static final String JPEG_METADATA = "javax_imageio_jpeg_image_1.0";

  private TestJpegs() {}

  /** How a colour JPEG stores chroma: luma sampling factors, horizontal × vertical. */
  enum Chroma {
    S444(1, 1),
    S422(2, 1),
    S440(1, 2),
    S420(2, 2);

    private final int horizontal;
    private final int vertical;

    Chroma(int horizontal, int vertical) {
      this.horizontal = horizontal;
      this.vertical = vertical;
    }
  }

  /** Encodes with ImageIO's JPEG writer at a quality from 1 to 100 (colour: 4:2:0, baseline). */
  static byte[] jpeg(BufferedImage image, int quality) {
    return write(new IIOImage(image, null, null), quality, false);
  }

  /** Encodes colour with the given chroma subsampling, baseline or progressive. */
  static byte[] jpeg(BufferedImage image, int quality, Chroma chroma, boolean progressive) {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    try {
      IIOMetadata metadata =
          writer.getDefaultImageMetadata(
              new ImageTypeSpecifier(image), writer.getDefaultWriteParam());
      Element tree = (Element) metadata.getAsTree(JPEG_METADATA);
      NodeList components = tree.getElementsByTagName("componentSpec");
      for (int i = 0; i < components.getLength(); i++) {
        Element component = (Element) components.item(i);
        component.setAttribute("HsamplingFactor", String.valueOf(i == 0 ? chroma.horizontal : 1));
        component.setAttribute("VsamplingFactor", String.valueOf(i == 0 ? chroma.vertical : 1));
      }
      metadata.setFromTree(JPEG_METADATA, tree);
      return write(new IIOImage(image, null, metadata), quality, progressive);
    } catch (IIOInvalidTreeException e) {
      throw new IllegalStateException(e);
    } finally {
      writer.dispose();
    }
  }

  /** A four-component JPEG with no Adobe marker, which decoders take as CMYK. */
  static byte[] cmykJpeg(int width, int height) {
    WritableRaster raster =
        Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, width, height, 4, null);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        raster.setPixel(x, y, new int[] {x * 255 / width, y * 255 / height, 60, 20});
      }
    }
    return write(new IIOImage(raster, null, null), 90, false);
  }

  /**
   * A photo-like colour image: a gradient sky, soft overlapping shapes, thin lines and some sensor
   * noise, so that it compresses like a photo (about 45 KB at 640×480, quality 80).
   */
  static BufferedImage photoLike(int width, int height, long seed) {
    Random random = new Random(seed);
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setPaint(new GradientPaint(0, 0, color(random, 255), 0, height, color(random, 255)));
    g.fillRect(0, 0, width, height);
    for (int i = 0; i < 14; i++) {
      g.setColor(color(random, 120 + random.nextInt(100)));
      int w = width / 8 + random.nextInt(width / 3);
      int h = height / 8 + random.nextInt(height / 3);
      g.fillOval(random.nextInt(width) - w / 2, random.nextInt(height) - h / 2, w, h);
    }
    g.setStroke(new BasicStroke(Math.max(1f, width / 320f)));
    for (int i = 0; i < 30; i++) {
      g.setColor(color(random, 200));
      g.drawLine(
          random.nextInt(width), random.nextInt(height),
          random.nextInt(width), random.nextInt(height));
    }
    g.dispose();
    addNoise(image, random, 6);
    return image;
  }

  /** A gray image with the same kind of content as {@link #photoLike}. */
  static BufferedImage photoLikeGray(int width, int height, long seed) {
    BufferedImage colour = photoLike(width, height, seed);
    BufferedImage gray = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
    WritableRaster raster = gray.getRaster();
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int rgb = colour.getRGB(x, y);
        raster.setSample(
            x, y, 0, ((rgb >> 16 & 0xff) * 3 + (rgb >> 8 & 0xff) * 6 + (rgb & 0xff)) / 10);
      }
    }
    return gray;
  }

  /**
   * Patches the frame header (SOF0) of a baseline JPEG to declare another size, as a bomb would.
   */
  static byte[] withDeclaredSize(byte[] jpeg, int width, int height) {
    byte[] patched = jpeg.clone();
    int i = 2;
    while (i + 4 < patched.length) {
      int marker = patched[i + 1] & 0xff;
      int length = (patched[i + 2] & 0xff) << 8 | patched[i + 3] & 0xff;
      if (marker == 0xc0) {
        patched[i + 5] = (byte) (height >> 8);
        patched[i + 6] = (byte) height;
        patched[i + 7] = (byte) (width >> 8);
        patched[i + 8] = (byte) width;
        return patched;
      }
      i += 2 + length;
    }
    throw new IllegalArgumentException("no SOF0 marker: not a baseline JPEG");
  }

  /** Inserts an APP2 ICC profile segment right after the SOI marker. */
  static byte[] withIccProfile(byte[] jpeg, ICC_Profile profile) {
    byte[] data = profile.getData();
    byte[] id = "ICC_PROFILE\0".getBytes(StandardCharsets.US_ASCII);
    int length = 2 + id.length + 2 + data.length;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(jpeg, 0, 2);
    out.write(new byte[] {(byte) 0xff, (byte) 0xe2, (byte) (length >> 8), (byte) length}, 0, 4);
    out.write(id, 0, id.length);
    out.write(new byte[] {1, 1}, 0, 2); // chunk 1 of 1
    out.write(data, 0, data.length);
    out.write(jpeg, 2, jpeg.length - 2);
    return out.toByteArray();
  }

  private static Color color(Random random, int alpha) {
    return new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256), alpha);
  }

  private static void addNoise(BufferedImage image, Random random, double sigma) {
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int rgb = image.getRGB(x, y);
        int noise = (int) Math.round(random.nextGaussian() * sigma);
        int r = clamp((rgb >> 16 & 0xff) + noise);
        int gr = clamp((rgb >> 8 & 0xff) + noise);
        int b = clamp((rgb & 0xff) + noise);
        image.setRGB(x, y, r << 16 | gr << 8 | b);
      }
    }
  }

  private static int clamp(int value) {
    return Math.max(0, Math.min(255, value));
  }

  private static byte[] write(IIOImage image, int quality, boolean progressive) {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ImageWriteParam param = writer.getDefaultWriteParam();
    param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
    param.setCompressionQuality(quality / 100f);
    if (progressive) {
      param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
      writer.setOutput(stream);
      writer.write(null, image, param);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      writer.dispose();
    }
    return out.toByteArray();
  }
}
