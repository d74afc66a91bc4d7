package io.glimpse.ops.publish;

/**
 * An image as it goes on the topic: its content type and bytes, and for raw pixels their layout.
 *
 * @param contentType {@code image/jpeg}, {@code image/png} or {@code application/x-raw-pixels}
 * @param data the file's bytes
 * @param width raw pixels only, else null
 * @param height raw pixels only, else null
 * @param channels raw pixels only, else null
 */
public record ImageContent(
    String contentType, byte[] data, Integer width, Integer height, Integer channels) {}
