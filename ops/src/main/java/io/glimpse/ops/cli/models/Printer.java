package io.glimpse.ops.cli.models;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Prints a command's result on stdout: a text for people, or with {@code --json} one JSON document
 * (an object or an array, on one line) for scripts.
 */
final class Printer {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Printer() {}

  /**
   * Prints the result.
   *
   * @param spec the command, for its stdout
   * @param json whether {@code --json} was given
   * @param document the JSON form: maps, lists, strings, numbers, booleans, nulls
   * @param text the text form, ending with a line break
   */
  static void print(
      CommandSpec spec, boolean json, Supplier<Object> document, Supplier<String> text) {
    PrintWriter out = spec.commandLine().getOut();
    out.print(json ? toJson(document.get()) + System.lineSeparator() : text.get());
    out.flush();
  }

  static String toJson(Object document) {
    try {
      return MAPPER.writeValueAsString(document);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("cannot write the result as JSON", e);
    }
  }

  /** A time for a table, to the second: {@code 2026-11-29T10:00:00Z}; "-" for none. */
  static String time(Instant time) {
    return time == null ? "-" : time.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /** A time for JSON, to the millisecond, or null. */
  static String jsonTime(Instant time) {
    return time == null ? null : time.toString();
  }
}
