package io.glimpse.ops.publish;

import io.glimpse.model.image.ContentTypes;
import io.glimpse.schemas.avro.ImageEvent;
import io.glimpse.trainer.data.ImageDataset;
import java.nio.ByteBuffer;
import java.time.Instant;

/** Builds the {@code ImageEvent}s Glimpse's publishers send. */
public final class ImageEvents {
  private ImageEvents() {}

  /**
   * A short tag for one run of a publisher, to put in its ids so that they differ from an earlier
   * run's: the time in seconds, base 36, e.g. {@code kutj}.
   */
  public static String runTag() {
    return Long.toString(System.currentTimeMillis() / 1000 % 1_000_000, 36);
  }

  /**
   * One image of a data set as raw pixels (8-bit, HWC), labelled with its class name.
   *
   * @param images the data set
   * @param index 0 to {@code images.size() - 1}
   * @param id the event's id (and the record's key)
   * @param source who published it
   * @return the event, timed now
   */
  public static ImageEvent raw(ImageDataset images, int index, String id, String source) {
    byte[] pixels = new byte[images.imageBytes()];
    images.copyPixels(index, pixels, 0);
    return ImageEvent.newBuilder()
        .setId(id)
        .setSource(source)
        .setContentType(ContentTypes.RAW)
        .setData(ByteBuffer.wrap(pixels))
        .setWidth(images.width())
        .setHeight(images.height())
        .setChannels(images.channels())
        .setEventTime(Instant.now())
        .setLabel(images.classes().get(images.label(index)))
        .build();
  }

  /**
   * An image read from a file.
   *
   * @param content what {@link ImageFileReader} read
   * @param id the event's id
   * @param source who published it
   * @param label the ground truth, or null
   * @return the event, timed now
   */
  public static ImageEvent of(ImageContent content, String id, String source, String label) {
    return ImageEvent.newBuilder()
        .setId(id)
        .setSource(source)
        .setContentType(content.contentType())
        .setData(ByteBuffer.wrap(content.data()))
        .setWidth(content.width())
        .setHeight(content.height())
        .setChannels(content.channels())
        .setEventTime(Instant.now())
        .setLabel(label)
        .build();
  }
}
