package io.glimpse.schemas.registry;

import java.util.List;
import org.apache.avro.Schema;

/**
 * The operations Glimpse needs from a Confluent-compatible schema registry. Implementations: {@link
 * RestSchemaRegistryClient} over HTTP, {@link InMemorySchemaRegistry} for {@code mock://} URLs, and
 * {@link CachedSchemaRegistryClient} in front of either.
 *
 * <p>Every method throws {@link SchemaRegistryException} carrying the registry's error code.
 */
public interface SchemaRegistryClient {

  /** Registers the schema under the subject (or finds it already there) and returns its id. */
  int register(String subject, Schema schema);

  /** Returns the id of a schema already registered under the subject; 40403 when it is not. */
  int getId(String subject, Schema schema);

  /** Returns the schema with the given global id; 40403 when there is none. */
  Schema getSchemaById(int id);

  /** Returns the latest version of the subject; 40401 when the subject does not exist. */
  SchemaMetadata getLatestSchemaMetadata(String subject);

  /** Returns one version of the subject; 40401 or 40402 when missing. */
  SchemaMetadata getSchemaMetadata(String subject, int version);

  /** Whether the schema may be registered under the subject's compatibility level. */
  boolean testCompatibility(String subject, Schema schema);

  /** All subjects not deleted. */
  List<String> getAllSubjects();

  /** Deletes (soft) every version of the subject and returns the deleted version numbers. */
  List<Integer> deleteSubject(String subject);

  /**
   * The compatibility level in force for the subject (its own, else the global one), or the global
   * one when subject is null.
   */
  CompatibilityLevel getCompatibility(String subject);

  /** Sets the compatibility level of the subject, or the global one when subject is null. */
  void updateCompatibility(String subject, CompatibilityLevel level);
}
