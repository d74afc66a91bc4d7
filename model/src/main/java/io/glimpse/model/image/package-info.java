/**
 * Turning image bytes into model input.
 *
 * <p>{@link io.glimpse.model.image.ImageDecoder} turns JPEG, PNG or raw pixel bytes (see {@link
 * io.glimpse.model.image.ContentTypes}) into a {@link io.glimpse.model.image.DecodedImage}: 8-bit,
 * interleaved, 1, 3 or 4 channels. JPEG decodes with libjpeg-turbo (through JNA) where
 * libturbojpeg0 is installed, else with ImageIO ({@link io.glimpse.model.image.JpegCodec}), and may
 * decode at 1/2, 1/4 or 1/8 scale when the caller resizes to a smaller size anyway. It refuses
 * anything it cannot decode safely with a typed {@link
 * io.glimpse.model.image.ImageRejectedException}, including decompression bombs, whose header
 * dimensions are checked before any pixel is decoded. {@link
 * io.glimpse.model.image.ImagePreprocessor} then resizes, converts channels and normalizes a
 * decoded image into one C×H×W float slice of a batch, as the model's manifest describes.
 */
package io.glimpse.model.image;
