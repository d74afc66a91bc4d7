package io.glimpse.ops.bench;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Writes the report's values (maps, lists, numbers, booleans, strings, null) as one line of JSON
 * with Jackson. Doubles and floats keep at most four decimals, so a report reads as measured rather
 * than as binary noise; NaN and infinities (a rate that could not be measured) become null.
 */
final class Json {
  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
          .registerModule(
              new SimpleModule("glimpse-bench")
                  .addSerializer(Double.class, new Rounded<>())
                  .addSerializer(Double.TYPE, new Rounded<>())
                  .addSerializer(Float.class, new Rounded<>())
                  .addSerializer(Float.TYPE, new Rounded<>()));

  private Json() {}

  static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("Cannot write the bench report as JSON", e);
    }
  }

  /** Four decimals at most, trailing zeros dropped; null when not finite. */
  private static final class Rounded<T extends Number> extends JsonSerializer<T> {
    @Override
    public void serialize(T value, JsonGenerator out, SerializerProvider provider)
        throws IOException {
      double d = value.doubleValue();
      if (Double.isFinite(d)) {
        out.writeNumber(
            new BigDecimal(Double.toString(d))
                .setScale(4, RoundingMode.HALF_UP)
                .stripTrailingZeros());
      } else {
        out.writeNull();
      }
    }
  }
}
