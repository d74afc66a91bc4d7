package io.glimpse.schemas.registry;

import java.util.Locale;

/** Schema compatibility levels, named as Confluent names them. */
public enum CompatibilityLevel {
  NONE,
  BACKWARD,
  BACKWARD_TRANSITIVE,
  FORWARD,
  FORWARD_TRANSITIVE,
  FULL,
  FULL_TRANSITIVE;

  /**
   * Parses a level name case-insensitively.
   *
   * @throws SchemaRegistryException with code 42203 when the name is not a level
   */
  public static CompatibilityLevel parse(String name) {
    if (name != null) {
      try {
        return valueOf(name.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        // fall through to the registry's own error
      }
    }
    throw SchemaRegistryException.of(
        RegistryErrorCode.INVALID_COMPATIBILITY_LEVEL,
        "Invalid compatibility level '"
            + name
            + "'; expected one of NONE, BACKWARD,"
            + " BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE");
  }

  /** Whether the check runs against every earlier version, not only the latest. */
  public boolean transitive() {
    return name().endsWith("_TRANSITIVE");
  }
}
