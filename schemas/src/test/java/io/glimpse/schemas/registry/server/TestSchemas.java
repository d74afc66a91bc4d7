package io.glimpse.schemas.registry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glimpse.schemas.registry.SchemaRegistryException;
import java.util.function.Consumer;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Avro schema texts and assertions shared by the registry tests. */
final class TestSchemas {
  /** User with a name. */
  static final String USER_V1 =
      "{\"type\":\"record\",\"name\":\"User\",\"namespace\":\"t\","
          + "\"fields\":[{\"name\":\"name\",\"type\":\"string\"}]}";

  /** USER_V1 plus a field with a default: BACKWARD and FULL compatible. */
  static final String USER_V2_WITH_DEFAULT =
      "{\"type\":\"record\",\"name\":\"User\",\"namespace\":\"t\",\"fields\":["
          + "{\"name\":\"name\",\"type\":\"string\"},"
          + "{\"name\":\"age\",\"type\":\"int\",\"default\":0}]}";

  /** USER_V1 plus a field without default: FORWARD compatible only. */
  static final String USER_V2_NO_DEFAULT =
      "{\"type\":\"record\",\"name\":\"User\",\"namespace\":\"t\",\"fields\":["
          + "{\"name\":\"name\",\"type\":\"string\"},"
          + "{\"name\":\"email\",\"type\":\"string\"}]}";

  /** A different record, for other subjects. */
  static final String IMAGE =
      "{\"type\":\"record\",\"name\":\"Image\",\"namespace\":\"t\","
          + "\"fields\":[{\"name\":\"bytes\",\"type\":\"bytes\"}]}";

  private TestSchemas() {}

  /** A record named R with the given fields JSON. */
  static String record(String fields) {
    return "{\"type\":\"record\",\"name\":\"R\",\"fields\":[" + fields + "]}";
  }

  /** Asserts that the call fails with the registry error code (and HTTP status). */
  static void assertRegistryError(ThrowingCallable call, int httpStatus, int errorCode) {
    assertRegistryError(call, httpStatus, errorCode, e -> {});
  }

  /** As above, then runs more checks on the exception. */
  static void assertRegistryError(
      ThrowingCallable call,
      int httpStatus,
      int errorCode,
      Consumer<SchemaRegistryException> more) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            SchemaRegistryException.class,
            e -> {
              assertThat(e.errorCode()).isEqualTo(errorCode);
              assertThat(e.httpStatus()).isEqualTo(httpStatus);
              more.accept(e);
            });
  }
}
