package io.glimpse.pipeline.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.glimpse.schemas.registry.RegistryErrorCode;
import io.glimpse.schemas.registry.SchemaRegistryException;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which registry answers are an outage (the batch waits) and which blame the record. */
class RegistryOutageTest {

  @ParameterizedTest(name = "HTTP {0}, error {1}: outage {2}")
  @CsvSource({
    "0, 0, true", // no answer: refused, reset, timed out, interrupted
    "500, 50001, true",
    "502, 502, true",
    "503, 503, true",
    "408, 408, true", // request timeout
    "429, 429, true", // throttled
    "401, 401, true", // our credentials refused: fix the configuration, keep the images
    "403, 403, true",
    "404, 40403, false", // a healthy registry has no such schema id: the record is at fault
    "404, 40401, false", // no such subject: a fault of configuration, not of the registry
    "409, 409, false",
    "422, 42201, false"
  })
  void classifiesTheRegistrysAnswer(int status, int code, boolean outage) {
    assertThat(RegistryOutage.unavailable(new SchemaRegistryException(status, code, "x")))
        .isEqualTo(outage);
  }

  @ParameterizedTest(name = "HTTP {0}")
  @CsvSource({"0, true", "503, true", "404, false"})
  void findsTheRegistryFailureBehindASerializationException(int status, boolean outage) {
    int code = status == 404 ? RegistryErrorCode.SCHEMA_NOT_FOUND.code() : status;
    var failure =
        new SerializationException(
            "Error deserializing",
            new IllegalStateException(new SchemaRegistryException(status, code, "registry")));

    assertThat(RegistryOutage.behind(failure).isPresent()).isEqualTo(outage);
    assertThat(RegistryOutage.behind(new SerializationException("corrupt Avro"))).isEmpty();
  }
}
