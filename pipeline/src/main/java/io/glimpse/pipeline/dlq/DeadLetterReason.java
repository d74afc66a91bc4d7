package io.glimpse.pipeline.dlq;

/**
 * Why a record went to the dead-letter topic; the value of the {@code glimpse.dlq.reason} header.
 */
public enum DeadLetterReason {
  /**
   * The value is not a readable ImageEvent (or ImageLabel, on labels.dlq): wrong magic byte,
   * unknown schema id, corrupt Avro.
   */
  DESERIALIZATION_FAILED,
  /** The record has no value (a tombstone); there is no image to classify. */
  NULL_VALUE,
  /** The content type is not image/jpeg, image/png or application/x-raw-pixels. */
  UNSUPPORTED_CONTENT_TYPE,
  /** The bytes do not decode as the declared image format. */
  UNDECODABLE_IMAGE,
  /**
   * The image declares more pixels than glimpse.image.max.pixels allows, or the record's value has
   * more bytes than glimpse.image.max.bytes (then the dead letter carries no value; the header
   * glimpse.dlq.value.omitted.bytes gives its size).
   */
  IMAGE_TOO_LARGE,
  /** Raw pixels whose width, height, channels and length do not agree. */
  INVALID_RAW_LAYOUT,
  /** The model failed on this image alone (the rest of its batch was classified). */
  INFERENCE_FAILED,
  /**
   * Processing the record threw glimpse.failure.max.consecutive times in a row (each time the
   * stream thread was replaced and the record replayed); the exception is in the headers.
   */
  PROCESSING_FAILED,
  /**
   * A record of the labels topic whose key is not the image id its value names, or whose label or
   * image id is empty (labels.dlq).
   */
  INVALID_LABEL
}
