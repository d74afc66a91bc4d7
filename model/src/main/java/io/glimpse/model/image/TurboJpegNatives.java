package io.glimpse.model.image;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;

/**
 * The few decompression functions of libjpeg-turbo's TurboJPEG 2.x API ({@code turbojpeg.h}) that
 * {@link NativeJpegReader} calls, bound by JNA direct mapping: cheaper per call than an interface
 * proxy, which shows on 64×64 images. {@link TurboJpeg} binds them once; before that every method
 * throws {@link UnsatisfiedLinkError}. Arrays are copied to native memory for the call and back.
 */
final class TurboJpegNatives {

  /** {@code TJPF_RGB}: 3 bytes per pixel, R, G, B. */
  static final int TJPF_RGB = 0;

  /** {@code TJPF_GRAY}: 1 byte per pixel. */
  static final int TJPF_GRAY = 6;

  /** {@code TJCS_GRAY}: a one-component JPEG. */
  static final int TJCS_GRAY = 2;

  /** {@code TJCS_CMYK}: a four-component JPEG stored as CMYK. */
  static final int TJCS_CMYK = 3;

  /** {@code TJCS_YCCK}: a four-component JPEG stored as YCCK (Adobe transform 2). */
  static final int TJCS_YCCK = 4;

  /** {@code TJERR_WARNING}: the call completed but libjpeg warned (its other value is fatal). */
  static final int TJERR_WARNING = 0;

  /** {@code TJFLAG_STOPONWARNING}: stop at the first warning instead of making up pixels. */
  static final int TJFLAG_STOPONWARNING = 8192;

  /** {@code TJFLAG_LIMITSCANS}: refuse progressive JPEGs of more than 500 scans (a CPU bomb). */
  static final int TJFLAG_LIMITSCANS = 32768;

  private TurboJpegNatives() {}

  static void bind(NativeLibrary library) {
    Native.register(TurboJpegNatives.class, library);
  }

  static native Pointer tjInitDecompress();

  static native int tjDecompressHeader3(
      Pointer handle,
      byte[] jpegBuf,
      NativeLong jpegSize,
      int[] width,
      int[] height,
      int[] jpegSubsamp,
      int[] jpegColorspace);

  static native Pointer tjGetScalingFactors(int[] numScalingFactors);

  static native int tjDecompress2(
      Pointer handle,
      byte[] jpegBuf,
      NativeLong jpegSize,
      byte[] dstBuf,
      int width,
      int pitch,
      int height,
      int pixelFormat,
      int flags);

  static native String tjGetErrorStr2(Pointer handle);

  static native int tjGetErrorCode(Pointer handle);

  static native int tjDestroy(Pointer handle);
}
