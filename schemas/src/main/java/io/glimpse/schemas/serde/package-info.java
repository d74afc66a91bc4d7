/**
 * The Confluent-compatible Avro serde: the wire format (0x00, 4-byte schema id, Avro binary), the
 * serializer, deserializer and serde, and their configuration, read from Confluent's own keys.
 */
package io.glimpse.schemas.serde;
