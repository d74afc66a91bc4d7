package io.glimpse.pipeline.quality;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What one image id has seen so far: its predictions (one per model version: the serving one, and
 * shadows) and its label, if either came. Stored per image id in the join's state, encoded by
 * {@link #encode()}.
 */
final class LabelJoinEntry {
  private static final byte FORMAT = 1;

  /** One version's prediction of the image: its top-1 label and the prediction's timestamp. */
  record Seen(String model, String version, String predicted, long time) {}

  private String label;
  private long labelTime;
  private final List<Seen> predictions = new ArrayList<>();
  private long expiry;

  Optional<String> label() {
    return Optional.ofNullable(label);
  }

  long labelTime() {
    return labelTime;
  }

  void setLabel(String label, long time) {
    this.label = label;
    this.labelTime = time;
  }

  List<Seen> predictions() {
    return predictions;
  }

  /** Whether this version already predicted the image (a repeated prediction is ignored). */
  boolean hasPredictionOf(String model, String version) {
    return predictions.stream().anyMatch(p -> p.model.equals(model) && p.version.equals(version));
  }

  /** The stream time after which the entry is dropped; 0 before the first update. */
  long expiry() {
    return expiry;
  }

  void extendExpiry(long until) {
    expiry = Math.max(expiry, until);
  }

  byte[] encode() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(FORMAT);
      out.writeLong(expiry);
      out.writeBoolean(label != null);
      if (label != null) {
        out.writeUTF(label);
        out.writeLong(labelTime);
      }
      out.writeInt(predictions.size());
      for (Seen p : predictions) {
        out.writeUTF(p.model);
        out.writeUTF(p.version);
        out.writeUTF(p.predicted);
        out.writeLong(p.time);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static LabelJoinEntry decode(byte[] bytes) {
    LabelJoinEntry entry = new LabelJoinEntry();
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      byte format = in.readByte();
      if (format != FORMAT) {
        throw new IllegalStateException(
            "Label join state in format " + format + ", this version reads " + FORMAT);
      }
      entry.expiry = in.readLong();
      if (in.readBoolean()) {
        entry.label = in.readUTF();
        entry.labelTime = in.readLong();
      }
      int count = in.readInt();
      for (int i = 0; i < count; i++) {
        entry.predictions.add(new Seen(in.readUTF(), in.readUTF(), in.readUTF(), in.readLong()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return entry;
  }
}
