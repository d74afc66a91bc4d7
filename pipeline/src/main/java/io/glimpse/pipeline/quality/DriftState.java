package io.glimpse.pipeline.quality;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * One version's drift histograms: top-1 classes and top-1 confidence (ten bins of 0.1) of its
 * reference window and of the window filling now. Stored per {@code <model>/<version>}.
 */
final class DriftState {
  private static final byte FORMAT = 1;
  static final int CONFIDENCE_BINS = 10;

  final Map<String, Long> referenceClasses = new TreeMap<>();
  final Map<String, Long> referenceConfidence = new TreeMap<>();
  long referenceImages;
  final Map<String, Long> classes = new TreeMap<>();
  final Map<String, Long> confidence = new TreeMap<>();
  long images;

  /** Counts one prediction into the current window. */
  void add(String predicted, float probability) {
    classes.merge(predicted, 1L, Long::sum);
    confidence.merge(confidenceBin(probability), 1L, Long::sum);
    images++;
  }

  static String confidenceBin(float probability) {
    int bin = (int) Math.floor(Math.max(0f, Math.min(1f, probability)) * CONFIDENCE_BINS);
    return Integer.toString(Math.min(bin, CONFIDENCE_BINS - 1));
  }

  boolean hasReference() {
    return referenceImages > 0;
  }

  /** The current window becomes the reference (the version's first window). */
  void keepAsReference() {
    referenceClasses.clear();
    referenceClasses.putAll(classes);
    referenceConfidence.clear();
    referenceConfidence.putAll(confidence);
    referenceImages = images;
    startWindow();
  }

  void startWindow() {
    classes.clear();
    confidence.clear();
    images = 0;
  }

  byte[] encode() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(FORMAT);
      out.writeLong(referenceImages);
      write(out, referenceClasses);
      write(out, referenceConfidence);
      out.writeLong(images);
      write(out, classes);
      write(out, confidence);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static DriftState decode(byte[] bytes) {
    DriftState state = new DriftState();
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      byte format = in.readByte();
      if (format != FORMAT) {
        throw new IllegalStateException(
            "Drift state in format " + format + ", this version reads " + FORMAT);
      }
      state.referenceImages = in.readLong();
      read(in, state.referenceClasses);
      read(in, state.referenceConfidence);
      state.images = in.readLong();
      read(in, state.classes);
      read(in, state.confidence);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return state;
  }

  private static void write(DataOutputStream out, Map<String, Long> counts) throws IOException {
    out.writeInt(counts.size());
    for (Map.Entry<String, Long> e : counts.entrySet()) {
      out.writeUTF(e.getKey());
      out.writeLong(e.getValue());
    }
  }

  private static void read(DataInputStream in, Map<String, Long> counts) throws IOException {
    int size = in.readInt();
    for (int i = 0; i < size; i++) {
      counts.put(in.readUTF(), in.readLong());
    }
  }
}
