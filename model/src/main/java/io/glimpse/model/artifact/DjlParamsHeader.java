package io.glimpse.model.artifact;

import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The header of a DJL parameter file, read in plain Java before libtorch sees the file: magic,
 * format version, saved model name, data type and the input shapes the network was initialized
 * with. DJL itself silently ignores a file without the {@code DJL@} magic (its {@code
 * readParameters} returns false and the block stays empty), so the magic is checked here.
 *
 * @param dataType the parameters' data type name, e.g. {@code FLOAT32}
 * @param inputShapes the shapes the saved network was initialized with, batch dimension included
 */
record DjlParamsHeader(String dataType, List<Shape> inputShapes) {

  private static final int MAX_INPUTS = 16;
  private static final int MAX_RANK = 8;

  static DjlParamsHeader read(Path file) throws IOException, ModelArtifactException {
    try (DataInputStream in =
        new DataInputStream(
            new BufferedInputStream(Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)))) {
      byte[] magic = in.readNBytes(4);
      if (!"DJL@".equals(new String(magic, StandardCharsets.US_ASCII))) {
        throw new ModelArtifactException(
            file.getFileName()
                + " is not a DJL parameter file (it does not start with \"DJL@\"); an artifact"
                + " of format djl holds Model.save output");
      }
      in.readInt(); // DJL's own format version: DJL checks it when loading
      in.readUTF(); // the name the model was saved under
      String dataType = in.readUTF();
      int inputs = bounded(in.readInt(), MAX_INPUTS, "input count", file);
      List<Shape> shapes = new ArrayList<>();
      for (int i = 0; i < inputs; i++) {
        in.readUTF(); // input name
        shapes.add(readShape(in, file));
      }
      return new DjlParamsHeader(dataType, shapes);
    } catch (EOFException e) {
      throw new ModelArtifactException(file.getFileName() + " is truncated; re-publish it", e);
    }
  }

  /** Rejects a parameter file saved from a network with another input layout than the manifest. */
  void checkAgainst(ModelManifest manifest, String fileName) throws ModelArtifactException {
    if (!DataType.FLOAT32.name().equals(dataType)) {
      throw new ModelArtifactException(
          fileName + " holds " + dataType + " parameters; Glimpse serves FLOAT32 models only");
    }
    int channels = manifest.getInputShape().channels();
    if (inputShapes.size() != 1
        || inputShapes.get(0).dimension() != 4
        || inputShapes.get(0).get(1) != channels) {
      throw new ModelArtifactException(
          "manifest says input (N, "
              + channels
              + ", H, W) but "
              + fileName
              + " was saved from a network whose input was "
              + inputShapes
              + "; the manifest and the parameters come from different models, re-publish it");
    }
  }

  private static Shape readShape(DataInputStream in, Path file)
      throws IOException, ModelArtifactException {
    long[] dims = new long[bounded(in.readInt(), MAX_RANK, "shape rank", file)];
    for (int i = 0; i < dims.length; i++) {
      dims[i] = in.readLong();
    }
    char[] layout = new char[bounded(in.readInt(), MAX_RANK, "layout length", file)];
    for (int i = 0; i < layout.length; i++) {
      layout[i] = in.readChar();
    }
    try {
      return new Shape(dims, new String(layout));
    } catch (IllegalArgumentException e) {
      throw new ModelArtifactException(
          file.getFileName() + " has a corrupt header: " + e.getMessage(), e);
    }
  }

  private static int bounded(int value, int max, String what, Path file)
      throws ModelArtifactException {
    if (value < 0 || value > max) {
      throw new ModelArtifactException(
          file.getFileName()
              + " has a corrupt header: "
              + what
              + " "
              + value
              + " (0.."
              + max
              + ")");
    }
    return value;
  }
}
