package io.glimpse.schemas.registry.server;

import io.glimpse.schemas.registry.CompatibilityLevel;
import io.glimpse.schemas.registry.RegistryErrorCode;
import io.glimpse.schemas.registry.SchemaRegistryException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityResult;

/**
 * The registry server's view of schema text: parsing what clients send, and checking a candidate
 * against registered versions with Avro's own {@link SchemaCompatibility}.
 */
final class SchemaTexts {

  private SchemaTexts() {}

  /**
   * A parsed schema and its canonical text, {@link Schema#toString()}. The canonical text is the
   * schema's identity: it keeps properties such as {@code avro.java.string}, so two texts that
   * differ only there are different schemas, as they are in Confluent's registry.
   */
  record Parsed(Schema schema, String canonical) {}

  /** A registered version to check a new schema against. */
  record Previous(int version, Schema schema) {}

  /**
   * Parses Avro schema JSON.
   *
   * @throws SchemaRegistryException 42201 when the text is not a valid Avro schema
   */
  static Parsed parse(String text) {
    if (text == null || text.isBlank()) {
      throw invalid("the schema is empty");
    }
    try {
      Schema schema = new Schema.Parser().parse(text);
      return new Parsed(schema, schema.toString());
    } catch (RuntimeException e) { // SchemaParseException, AvroTypeException for bad defaults, ...
      throw invalid(e.getMessage());
    }
  }

  /**
   * Checks a candidate against earlier versions under a level: BACKWARD means the candidate can
   * read data written with the earlier schema, FORWARD the reverse, FULL both; non-transitive
   * levels check only the first (newest) entry of {@code newestFirst}.
   *
   * @return one line per incompatibility; empty when compatible
   */
  static List<String> incompatibilities(
      CompatibilityLevel level, Schema candidate, List<Previous> newestFirst) {
    List<String> problems = new ArrayList<>();
    if (level == CompatibilityLevel.NONE || newestFirst.isEmpty()) {
      return problems;
    }
    List<Previous> against = level.transitive() ? newestFirst : newestFirst.subList(0, 1);
    boolean backward = level.name().startsWith("BACKWARD") || level.name().startsWith("FULL");
    boolean forward = level.name().startsWith("FORWARD") || level.name().startsWith("FULL");
    for (Previous previous : against) {
      String version = "version " + previous.version();
      if (backward) {
        check(problems, candidate, previous.schema(), "new schema cannot read data of " + version);
      }
      if (forward) {
        check(problems, previous.schema(), candidate, version + " cannot read data of new schema");
      }
    }
    return problems;
  }

  private static void check(List<String> problems, Schema reader, Schema writer, String what) {
    SchemaCompatibilityResult result =
        SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getResult();
    for (Incompatibility i : result.getIncompatibilities()) {
      problems.add(what + ": " + i.getType() + " at '" + i.getLocation() + "': " + i.getMessage());
    }
  }

  private static SchemaRegistryException invalid(String problem) {
    return SchemaRegistryException.of(
        RegistryErrorCode.INVALID_SCHEMA,
        "Invalid Avro schema: " + problem + "; send the schema's JSON as a string");
  }
}
