package io.glimpse.gpukit;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.util.cuda.CudaUtils;
import io.glimpse.model.artifact.InputShape;
import io.glimpse.model.artifact.LoadedModel;
import io.glimpse.model.artifact.ModelArtifactException;
import io.glimpse.model.artifact.ModelArtifactLoader;
import io.glimpse.model.image.ContentTypes;
import io.glimpse.model.image.ImageDecoder;
import io.glimpse.model.image.ImagePreprocessor;
import io.glimpse.model.image.ImageRejectedException;
import io.glimpse.model.inference.BatchClassifier;
import io.glimpse.model.inference.Devices;
import io.glimpse.model.inference.InferenceException;
import io.glimpse.model.mobilenet.UntrainedModels;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * The GPU kit's probe: classifies images with a model artifact through the pipeline's own decoder,
 * preprocessor and {@link BatchClassifier}, on whatever libtorch DJL loaded (the bundled one, or
 * the one {@code PYTORCH_LIBRARY_PATH} names), and prints what it saw as one JSON object.
 *
 * <ul>
 *   <li>{@code sample DIR WIDTH SIZE}: writes an untrained MobileNetV1 (α WIDTH, 3×SIZE×SIZE, 10
 *       classes, seed 7) to DIR/model and eight drawn PNG images to DIR/images.
 *   <li>{@code classify ARTIFACT IMAGES DEVICE OUT.json|-}: every {@code .jpg}/{@code .png} in
 *       IMAGES, in name order, as one batch; the top-1 and every probability of each.
 *   <li>{@code reloads ARTIFACT DEVICE COUNT OUT.json|-}: loads, classifies one batch with and
 *       closes the artifact COUNT times, recording the GPU memory in use after each (device memory
 *       after reloads).
 * </ul>
 *
 * <p>The kit builds it ({@code ops/gpu/kit build}); the normal build's DJL runs the same class in
 * the kit's test, so both sides classify with the same code and differ only in the libtorch.
 */
public final class KitProbe {
  private KitProbe() {}

  /** Runs one mode; exit code 2 on a usage error. */
  public static void main(String[] args) throws Exception {
    if (args.length == 4 && args[0].equals("sample")) {
      sample(Path.of(args[1]), Float.parseFloat(args[2]), Integer.parseInt(args[3]));
    } else if (args.length == 5 && args[0].equals("classify")) {
      write(Path.of(args[4]), classify(Path.of(args[1]), Path.of(args[2]), args[3]));
    } else if (args.length == 5 && args[0].equals("reloads")) {
      write(Path.of(args[4]), reloads(Path.of(args[1]), args[2], Integer.parseInt(args[3])));
    } else {
      System.err.println(
          "usage: KitProbe sample DIR WIDTH SIZE | classify ARTIFACT IMAGES DEVICE OUT.json|-"
              + " | reloads ARTIFACT DEVICE COUNT OUT.json|-");
      System.exit(2);
    }
  }

  private static void sample(Path dir, float width, int size)
      throws IOException, ModelArtifactException {
    UntrainedModels.write(
        dir.resolve("model"),
        "kit-probe",
        "1",
        width,
        new InputShape(3, size, size),
        UntrainedModels.numberedLabels(10),
        7);
    Path images = Files.createDirectories(dir.resolve("images"));
    Random random = new Random(7);
    for (int i = 0; i < 8; i++) {
      BufferedImage image = new BufferedImage(320, 240, BufferedImage.TYPE_INT_RGB);
      Graphics2D g = image.createGraphics();
      g.setPaint(
          new GradientPaint(
              0, 0, new Color(random.nextInt()), 320, 240, new Color(random.nextInt())));
      g.fillRect(0, 0, 320, 240);
      for (int disc = 0; disc < 3 + i; disc++) {
        g.setColor(new Color(random.nextInt()));
        int radius = 10 + random.nextInt(60);
        g.fillOval(
            random.nextInt(320) - radius, random.nextInt(240) - radius, 2 * radius, 2 * radius);
      }
      g.dispose();
      ImageIO.write(
          image, "png", images.resolve(String.format(Locale.ROOT, "image-%d.png", i)).toFile());
    }
    System.out.println("{\"model\":" + quote(dir.resolve("model").toString()) + ",\"images\":8}");
  }

  private static String classify(Path artifact, Path images, String device)
      throws IOException, ModelArtifactException, ImageRejectedException, InferenceException {
    List<Path> files;
    try (Stream<Path> listing = Files.list(images)) {
      files = listing.filter(KitProbe::isImage).sorted().toList();
    }
    if (files.isEmpty()) {
      throw new IOException("no .jpg or .png images in " + images);
    }
    ModelArtifactLoader loader =
        ModelArtifactLoader.builder().optDevice(Devices.parse(device)).build();
    try (LoadedModel model = loader.load(artifact);
        BatchClassifier classifier = new BatchClassifier(model)) {
      ImagePreprocessor preprocessor = ImagePreprocessor.of(model.getManifest());
      ImageDecoder decoder = ImageDecoder.builder().build();
      float[] batch = new float[files.size() * preprocessor.tensorSize()];
      for (int i = 0; i < files.size(); i++) {
        Path file = files.get(i);
        String type = file.toString().endsWith(".png") ? ContentTypes.PNG : ContentTypes.JPEG;
        preprocessor.writeTensor(
            decoder.decode(type, Files.readAllBytes(file), null, null, null),
            batch,
            i * preprocessor.tensorSize());
      }
      float[][] probabilities = classifier.classify(batch, files.size());
      List<String> labels = model.getManifest().getLabels();
      List<String> rows = new ArrayList<>();
      for (int i = 0; i < files.size(); i++) {
        int top = argMax(probabilities[i]);
        rows.add(
            String.format(
                Locale.ROOT,
                "{\"file\":%s,\"top1\":%d,\"label\":%s,\"probabilities\":%s}",
                quote(files.get(i).getFileName().toString()),
                top,
                quote(labels.get(top)),
                floats(probabilities[i])));
      }
      return String.format(
          Locale.ROOT,
          "{%s,\"served_as\":%s,\"predictions\":[%s]}",
          engineFacts(model.device()),
          quote(model.servedAs()),
          String.join(",", rows));
    }
  }

  private static String reloads(Path artifact, String device, int count)
      throws ModelArtifactException, InferenceException {
    Device target = Devices.parse(device);
    ModelArtifactLoader loader = ModelArtifactLoader.builder().optDevice(target).build();
    List<String> samples = new ArrayList<>();
    long start = System.nanoTime();
    for (int i = 1; i <= count; i++) {
      try (LoadedModel model = loader.load(artifact);
          BatchClassifier classifier = new BatchClassifier(model)) {
        int size = classifier.inputShape().channels() * classifier.inputShape().height();
        classifier.classify(new float[32 * size * classifier.inputShape().width()], 32);
      }
      samples.add(String.format(Locale.ROOT, "{\"reload\":%d,%s}", i, gpuMemory(target)));
    }
    return String.format(
        Locale.ROOT,
        "{%s,\"reloads\":%d,\"seconds\":%.3f,\"memory_after\":[%s]}",
        engineFacts(target.toString()),
        count,
        (System.nanoTime() - start) / 1e9,
        String.join(",", samples));
  }

  private static String gpuMemory(Device device) {
    if (!device.isGpu()) {
      return "\"gpu_used_bytes\":null";
    }
    MemoryUsage usage = CudaUtils.getGpuMemory(device);
    return String.format(
        Locale.ROOT,
        "\"gpu_used_bytes\":%d,\"gpu_total_bytes\":%d",
        usage.getUsed(),
        usage.getMax());
  }

  private static String engineFacts(String device) {
    Engine engine = Engine.getEngine("PyTorch");
    return String.format(
        Locale.ROOT,
        "\"engine\":%s,\"libtorch\":%s,\"library_path\":%s,\"gpus\":%d,\"device\":%s",
        quote(engine.getEngineName()),
        quote(engine.getVersion()),
        quote(String.valueOf(System.getenv("PYTORCH_LIBRARY_PATH"))),
        engine.getGpuCount(),
        quote(device));
  }

  private static boolean isImage(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    return name.endsWith(".jpg") || name.endsWith(".jpeg") || name.endsWith(".png");
  }

  private static int argMax(float[] values) {
    int best = 0;
    for (int i = 1; i < values.length; i++) {
      if (values[i] > values[best]) {
        best = i;
      }
    }
    return best;
  }

  private static String floats(float[] values) {
    StringBuilder out = new StringBuilder("[");
    for (int i = 0; i < values.length; i++) {
      out.append(i == 0 ? "" : ",").append(Float.toString(values[i]));
    }
    return out.append(']').toString();
  }

  private static String quote(String text) {
    return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }

  /** Writes the JSON to {@code out}, or to standard output when it is {@code -}. */
  private static void write(Path out, String json) throws IOException {
    if (out.toString().equals("-")) {
      System.out.println(json);
      return;
    }
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(out, json + "\n", StandardCharsets.UTF_8);
  }
}
