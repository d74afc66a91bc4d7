package io.glimpse.schemas.serde;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.Decoder;
import org.apache.avro.util.Utf8;

/**
 * A binary decoder that refuses a string or bytes length longer than the bytes left in the input,
 * before allocating anything. Avro's own decoder allocates whatever length the varint claims (up to
 * 2 GiB), so a single corrupt record could exhaust the heap of a pipeline that reads it.
 */
final class BoundedBinaryDecoder extends Decoder {
  private final BinaryDecoder in;

  BoundedBinaryDecoder(BinaryDecoder in) {
    this.in = in;
  }

  /** Whether every byte was consumed. */
  boolean isEnd() throws IOException {
    return in.isEnd();
  }

  private int checkedLength() throws IOException {
    long length = in.readLong();
    int left = in.inputStream().available();
    if (length < 0 || length > left) {
      throw new AvroRuntimeException(
          "Length " + length + " is impossible with " + left + " bytes left in the record");
    }
    return (int) length;
  }

  private byte[] readLengthPrefixed() throws IOException {
    byte[] bytes = new byte[checkedLength()];
    in.readFixed(bytes, 0, bytes.length);
    return bytes;
  }

  @Override
  public Utf8 readString(Utf8 old) throws IOException {
    return new Utf8(readLengthPrefixed());
  }

  @Override
  public String readString() throws IOException {
    return new String(readLengthPrefixed(), StandardCharsets.UTF_8);
  }

  @Override
  public ByteBuffer readBytes(ByteBuffer old) throws IOException {
    return ByteBuffer.wrap(readLengthPrefixed());
  }

  @Override
  public void skipString() throws IOException {
    in.skipFixed(checkedLength());
  }

  @Override
  public void skipBytes() throws IOException {
    in.skipFixed(checkedLength());
  }

  @Override
  public void readNull() throws IOException {
    in.readNull();
  }

  @Override
  public boolean readBoolean() throws IOException {
    return in.readBoolean();
  }

  @Override
  public int readInt() throws IOException {
    return in.readInt();
  }

  @Override
  public long readLong() throws IOException {
    return in.readLong();
  }

  @Override
  public float readFloat() throws IOException {
    return in.readFloat();
  }

  @Override
  public double readDouble() throws IOException {
    return in.readDouble();
  }

  @Override
  public void readFixed(byte[] bytes, int start, int length) throws IOException {
    in.readFixed(bytes, start, length);
  }

  @Override
  public void skipFixed(int length) throws IOException {
    in.skipFixed(length);
  }

  @Override
  public int readEnum() throws IOException {
    return in.readEnum();
  }

  @Override
  public long readArrayStart() throws IOException {
    return in.readArrayStart();
  }

  @Override
  public long arrayNext() throws IOException {
    return in.arrayNext();
  }

  @Override
  public long skipArray() throws IOException {
    return in.skipArray();
  }

  @Override
  public long readMapStart() throws IOException {
    return in.readMapStart();
  }

  @Override
  public long mapNext() throws IOException {
    return in.mapNext();
  }

  @Override
  public long skipMap() throws IOException {
    return in.skipMap();
  }

  @Override
  public int readIndex() throws IOException {
    return in.readIndex();
  }
}
