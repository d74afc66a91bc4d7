package io.glimpse.model.image;

import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import java.lang.ref.Cleaner;

/**
 * A TurboJPEG decompressor handle, one per thread: a handle is not thread-safe, and making one per
 * image would cost more than decoding a 64×64 JPEG. The handle is destroyed ({@code tjDestroy})
 * when its thread's instance becomes unreachable, and at once after a failed call, so that no
 * libjpeg state an error left behind is ever reused.
 */
final class TurboJpegDecompressor {

  private static final Cleaner CLEANER = Cleaner.create();

  private static final ThreadLocal<TurboJpegDecompressor> PER_THREAD =
      ThreadLocal.withInitial(TurboJpegDecompressor::new);

  private final Pointer handle;
  private final Cleaner.Cleanable destroy;
  private final int[] width = new int[1];
  private final int[] height = new int[1];
  private final int[] subsampling = new int[1];
  private final int[] colorspace = new int[1];

  private TurboJpegDecompressor() {
    handle = TurboJpegNatives.tjInitDecompress();
    if (handle == null) {
      throw new OutOfMemoryError("tjInitDecompress could not allocate a TurboJPEG handle");
    }
    destroy = CLEANER.register(this, new Destroy(handle));
  }

  /** This thread's decompressor, made on its first use. */
  static TurboJpegDecompressor forThisThread() {
    return PER_THREAD.get();
  }

  /**
   * Reads the header alone ({@code tjDecompressHeader3}): nothing is decoded or allocated for
   * pixels.
   */
  Header readHeader(byte[] jpeg) throws TurboJpegException {
    width[0] = 0;
    height[0] = 0;
    int status =
        TurboJpegNatives.tjDecompressHeader3(
            handle, jpeg, new NativeLong(jpeg.length), width, height, subsampling, colorspace);
    if (status != 0) {
      throw failure("tjDecompressHeader3");
    }
    if (width[0] <= 0 || height[0] <= 0) {
      // A tables-only stream "succeeds" without an image.
      throw new TurboJpegException("tjDecompressHeader3", "no image in the stream", false);
    }
    return new Header(width[0], height[0], colorspace[0]);
  }

  /**
   * Decodes into {@code pixels}, which holds exactly {@code width × height} pixels of the format;
   * TurboJPEG picks the scaling factor whose output is that size.
   */
  void decompress(byte[] jpeg, byte[] pixels, int width, int height, int pixelFormat, int flags)
      throws TurboJpegException {
    int pitch = pixels.length / height;
    int status =
        TurboJpegNatives.tjDecompress2(
            handle,
            jpeg,
            new NativeLong(jpeg.length),
            pixels,
            width,
            pitch,
            height,
            pixelFormat,
            flags);
    if (status != 0) {
      throw failure("tjDecompress2");
    }
  }

  private TurboJpegException failure(String function) {
    TurboJpegException failure =
        new TurboJpegException(
            function,
            TurboJpegNatives.tjGetErrorStr2(handle),
            TurboJpegNatives.tjGetErrorCode(handle) == TurboJpegNatives.TJERR_WARNING);
    PER_THREAD.remove();
    destroy.clean();
    return failure;
  }

  /**
   * What the header says.
   *
   * @param width the full width
   * @param height the full height
   * @param colorspace a {@code TJCS_*} constant
   */
  record Header(int width, int height, int colorspace) {

    boolean isGray() {
      return colorspace == TurboJpegNatives.TJCS_GRAY;
    }

    /** Four-component JPEGs, which TurboJPEG cannot convert to RGB. */
    boolean isCmykOrYcck() {
      return colorspace == TurboJpegNatives.TJCS_CMYK || colorspace == TurboJpegNatives.TJCS_YCCK;
    }
  }

  /** The cleaning action: holds the handle, never the instance, or it would never be cleaned. */
  private record Destroy(Pointer handle) implements Runnable {
    @Override
    public void run() {
      TurboJpegNatives.tjDestroy(handle);
    }
  }
}
