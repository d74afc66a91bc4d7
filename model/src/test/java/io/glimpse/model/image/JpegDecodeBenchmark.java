package io.glimpse.model.image;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Not a test: decodes the same JPEGs with ImageIO and libjpeg-turbo on one thread, side by side,
 * and prints images/s and their ratio per round; {@code rss} decodes 20,000 images natively (and
 * refuses 2,000 truncated ones, 200 of them on short-lived threads) and prints the resident set as
 * it goes (run it with a fixed heap, {@code -Xms256m -Xmx256m}, so that only native memory moves).
 * Run from the repository root after {@code mvn -o -q test-compile -pl model}:
 *
 * <pre>
 * mvn -B -o -q dependency:build-classpath -pl model -Dmdep.outputFile=/tmp/cp.txt
 * LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4 java \
 *   -cp model/target/classes:model/target/test-classes:$(cat /tmp/cp.txt) \
 *   io.glimpse.model.image.JpegDecodeBenchmark [rounds] [seconds-per-measurement] | [rss]
 * </pre>
 */
public final class JpegDecodeBenchmark {

  private JpegDecodeBenchmark() {}

  /**
   * Runs the comparison, or the RSS check.
   *
   * @param args {@code [rounds [seconds]]} or {@code rss}
   * @throws Exception when a JPEG does not decode
   */
  public static void main(String[] args) throws Exception {
    ImageDecoder imageIo = ImageDecoder.builder().optJpegCodec(JpegCodec.IMAGEIO).build();
    ImageDecoder turbo = ImageDecoder.builder().optJpegCodec(JpegCodec.NATIVE).build();
    List<byte[]> photos = photos();
    if (args.length > 0 && args[0].equals("rss")) {
      rss(turbo, photos);
      return;
    }
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 2;
    for (int quality : new int[] {90, 75}) {
      List<byte[]> small = benchPictures(quality);
      compare(
          "64x64 colour q" + quality + ", full size", small, 0, imageIo, turbo, rounds, seconds);
    }
    compare("640x480 photo, full size", photos, 0, imageIo, turbo, rounds, seconds);
    compare("640x480 photo, for 224x224", photos, 224, imageIo, turbo, rounds, seconds);
  }

  private static void compare(
      String name,
      List<byte[]> jpegs,
      int minSize,
      ImageDecoder imageIo,
      ImageDecoder turbo,
      int rounds,
      double seconds)
      throws ImageRejectedException {
    long bytes = jpegs.stream().mapToLong(jpeg -> jpeg.length).sum();
    DecodedImage sample =
        turbo.decode(ContentTypes.JPEG, jpegs.get(0), null, null, null, minSize, minSize);
    System.out.printf(
        Locale.ROOT,
        "%s: %d distinct JPEGs, mean %.1f KB, native output %s%n",
        name,
        jpegs.size(),
        bytes / 1024.0 / jpegs.size(),
        sample);
    rate(imageIo, jpegs, minSize, seconds); // warm-up
    rate(turbo, jpegs, minSize, seconds);
    double[] ratios = new double[rounds];
    for (int round = 0; round < rounds; round++) {
      // Alternate the order so that neither always runs on a cooler or hotter machine.
      boolean nativeFirst = round % 2 == 1;
      double first = rate(nativeFirst ? turbo : imageIo, jpegs, minSize, seconds);
      double second = rate(nativeFirst ? imageIo : turbo, jpegs, minSize, seconds);
      double ioRate = nativeFirst ? second : first;
      double nativeRate = nativeFirst ? first : second;
      ratios[round] = nativeRate / ioRate;
      System.out.printf(
          Locale.ROOT,
          "  round %d: ImageIO %8.0f images/s, libjpeg-turbo %8.0f images/s, ratio %.2fx%n",
          round + 1,
          ioRate,
          nativeRate,
          ratios[round]);
    }
    Arrays.sort(ratios);
    System.out.printf(Locale.ROOT, "  median ratio %.2fx%n", ratios[rounds / 2]);
  }

  private static double rate(ImageDecoder decoder, List<byte[]> jpegs, int minSize, double seconds)
      throws ImageRejectedException {
    long deadline = System.nanoTime() + (long) (seconds * 1e9);
    long start = System.nanoTime();
    int decoded = 0;
    while (System.nanoTime() < deadline) {
      for (byte[] jpeg : jpegs) {
        decoder.decode(ContentTypes.JPEG, jpeg, null, null, null, minSize, minSize);
      }
      decoded += jpegs.size();
    }
    return decoded / ((System.nanoTime() - start) / 1e9);
  }

  private static void rss(ImageDecoder turbo, List<byte[]> photos) throws Exception {
    byte[] truncated = Arrays.copyOf(photos.get(0), photos.get(0).length / 2);
    for (int i = 1; i <= 20_000; i++) {
      byte[] jpeg = photos.get(i % photos.size());
      turbo.decode(ContentTypes.JPEG, jpeg, null, null, null, i % 2 == 0 ? 224 : 0, 224);
      if (i % 10 == 0) {
        refuse(turbo, truncated); // a failure destroys this thread's handle: a new one next time
      }
      if (i % 100 == 0) {
        // A short-lived thread: its handle is destroyed by the Cleaner once the thread is gone.
        Thread thread = new Thread(() -> refuse(turbo, truncated));
        thread.start();
        thread.join();
      }
      if (i % 2_000 == 0) {
        System.gc();
        System.out.printf(Locale.ROOT, "%6d decodes: %s%n", i, residentSet());
      }
    }
  }

  private static void refuse(ImageDecoder turbo, byte[] truncated) {
    try {
      turbo.decode(ContentTypes.JPEG, truncated, null, null, null);
      throw new IllegalStateException("a truncated JPEG decoded");
    } catch (ImageRejectedException expected) {
      // refused, as it should be
    }
  }

  private static String residentSet() throws IOException {
    return Files.readAllLines(Path.of("/proc/self/status")).stream()
        .filter(line -> line.startsWith("VmRSS"))
        .findFirst()
        .orElse("VmRSS unknown")
        .replaceAll("\\s+", " ");
  }

  /** 32 photo-like 640×480 JPEGs of about 45 KB. */
  private static List<byte[]> photos() {
    List<byte[]> photos = new ArrayList<>();
    for (int i = 0; i < 32; i++) {
      photos.add(TestJpegs.jpeg(TestJpegs.photoLike(640, 480, i), 72));
    }
    return photos;
  }

  /** 128 distinct 64×64 pictures drawn as the pipeline benchmark draws them (ops BenchImages). */
  private static List<byte[]> benchPictures(int quality) {
    Random random = new Random(42);
    List<byte[]> pictures = new ArrayList<>();
    for (int n = 0; n < 128; n++) {
      BufferedImage image = new BufferedImage(64, 64, BufferedImage.TYPE_3BYTE_BGR);
      Graphics2D g = image.createGraphics();
      g.setPaint(new GradientPaint(0, 0, color(random), 64, 64, color(random)));
      g.fillRect(0, 0, 64, 64);
      for (int i = 0; i < 6; i++) {
        g.setColor(color(random));
        int w = 1 + random.nextInt(32);
        g.fillOval(random.nextInt(64), random.nextInt(64), w, w);
      }
      g.dispose();
      for (int i = 0; i < 64 * 64 / 8; i++) {
        image.setRGB(random.nextInt(64), random.nextInt(64), color(random).getRGB());
      }
      pictures.add(TestJpegs.jpeg(image, quality));
    }
    return pictures;
  }

  private static Color color(Random random) {
    return new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256));
  }
}
