package io.glimpse.model.image;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves a requested {@link JpegCodec} to the one that decodes, and says so once at INFO: a
 * service logs one line however many decoders it builds.
 */
final class JpegCodecChoice {

  private static final Logger LOG = LoggerFactory.getLogger(ImageDecoder.class);

  private static final Set<String> LOGGED = ConcurrentHashMap.newKeySet();

  private JpegCodecChoice() {}

  /**
   * Returns {@link JpegCodec#NATIVE} or {@link JpegCodec#IMAGEIO}; loads libturbojpeg unless
   * ImageIO was asked for.
   *
   * @throws IllegalStateException when NATIVE was asked for and libturbojpeg does not load
   */
  static JpegCodec resolve(JpegCodec requested) {
    if (requested == JpegCodec.IMAGEIO) {
      logOnce(
          "JPEG decoding: ImageIO (IMAGEIO chosen through "
              + JpegCodec.PROPERTY
              + " or ImageDecoder.Builder.optJpegCodec)");
      return JpegCodec.IMAGEIO;
    }
    if (TurboJpeg.loaded().isPresent()) {
      logOnce("JPEG decoding: " + TurboJpeg.loaded().get().description() + ", native");
      return JpegCodec.NATIVE;
    }
    if (requested == JpegCodec.NATIVE) {
      throw new IllegalStateException(
          "JPEG codec NATIVE needs libturbojpeg.so.0, which did not load ("
              + TurboJpeg.failure()
              + "); install it (apt-get install libturbojpeg0) or choose AUTO or IMAGEIO");
    }
    if (LOGGED.add("fallback")) {
      LOG.info(
          "JPEG decoding: ImageIO (libturbojpeg not found: apt-get install libturbojpeg0 for"
              + " ~3x faster decoding)");
      LOG.debug("libturbojpeg did not load: {}", TurboJpeg.failure());
    }
    return JpegCodec.IMAGEIO;
  }

  private static void logOnce(String line) {
    if (LOGGED.add(line)) {
      LOG.info(line);
    }
  }
}
