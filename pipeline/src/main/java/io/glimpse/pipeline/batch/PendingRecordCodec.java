package io.glimpse.pipeline.batch;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The batch buffer's value format. Versioned (first byte), so a pipeline upgraded while records
 * wait in the changelog still reads them.
 */
public final class PendingRecordCodec {
  static final byte VERSION = 1;

  private PendingRecordCodec() {}

  /** Encodes a pending record. */
  public static byte[] encode(PendingRecord record) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + length(record.value()));
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(VERSION);
      out.writeUTF(record.topic());
      out.writeInt(record.partition());
      out.writeLong(record.offset());
      out.writeLong(record.timestamp());
      out.writeLong(record.arrivalMillis());
      writeNullable(out, record.key());
      writeNullable(out, record.value());
      Header[] headers = record.headers().toArray();
      out.writeInt(headers.length);
      for (Header header : headers) {
        out.writeUTF(header.key());
        writeNullable(out, header.value());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * Decodes a pending record.
   *
   * @throws IllegalStateException when the bytes were written by an unknown codec version
   */
  public static PendingRecord decode(byte[] data) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
      byte version = in.readByte();
      if (version != VERSION) {
        throw new IllegalStateException(
            "Batch buffer entry has codec version " + version + "; this pipeline reads " + VERSION);
      }
      String topic = in.readUTF();
      int partition = in.readInt();
      long offset = in.readLong();
      long timestamp = in.readLong();
      long arrival = in.readLong();
      byte[] key = readNullable(in);
      byte[] value = readNullable(in);
      Headers headers = new RecordHeaders();
      int count = in.readInt();
      for (int i = 0; i < count; i++) {
        headers.add(in.readUTF(), readNullable(in));
      }
      return new PendingRecord(topic, partition, offset, timestamp, arrival, key, value, headers);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int length(byte[] bytes) {
    return bytes == null ? 0 : bytes.length;
  }

  private static void writeNullable(DataOutputStream out, byte[] bytes) throws IOException {
    out.writeInt(bytes == null ? -1 : bytes.length);
    if (bytes != null) {
      out.write(bytes);
    }
  }

  private static byte[] readNullable(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length < 0) {
      return null;
    }
    byte[] bytes = new byte[length];
    in.readFully(bytes);
    return bytes;
  }
}
